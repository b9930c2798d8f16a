ALTER TABLE "affiliates" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "affiliates" ADD COLUMN "image" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "token_epoch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "embed_tokens" ADD COLUMN "api_key_id" text;--> statement-breakpoint
ALTER TABLE "embed_tokens" ADD COLUMN "api_key_epoch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "embed_tokens" ADD COLUMN "program_epoch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "token_epoch" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "embed_tokens" ADD CONSTRAINT "embed_tokens_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "embed_tokens_api_key_idx" ON "embed_tokens" USING btree ("api_key_id");--> statement-breakpoint
-- Each affiliate takes the name and image its user row holds now, which is what its dashboard
-- showed until this migration, so nothing anybody sees changes here. From now on they are
-- written per affiliate, from the request of the affiliate's own program's team.
UPDATE "affiliates" AS a SET "name" = u."name", "image" = u."image" FROM "users" AS u WHERE u."id" = a."user_id";
