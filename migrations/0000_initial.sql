CREATE TYPE "public"."access_mode" AS ENUM('public', 'private', 'invite');--> statement-breakpoint
CREATE TYPE "public"."partnership_status" AS ENUM('APPROVED', 'PENDING', 'REJECTED', 'SUSPENDED');--> statement-breakpoint
CREATE TYPE "public"."program_status" AS ENUM('active', 'inactive');--> statement-breakpoint
CREATE TABLE "affiliates" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"program_id" text NOT NULL,
	"group_id" text NOT NULL,
	"tracking_id" text NOT NULL,
	"external_user_id" text,
	"metadata" jsonb,
	"status" "partnership_status" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "affiliates_user_program_unique" UNIQUE("user_id","program_id"),
	CONSTRAINT "affiliates_program_tracking_id_unique" UNIQUE("program_id","tracking_id"),
	CONSTRAINT "affiliates_tracking_id_shape" CHECK ("affiliates"."tracking_id" ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length("affiliates"."tracking_id") BETWEEN 3 AND 32)
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"name" text,
	"digest" text NOT NULL,
	"display_prefix" text NOT NULL,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_digest_unique" UNIQUE("digest"),
	CONSTRAINT "api_keys_digest_hex" CHECK ("api_keys"."digest" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "embed_tokens" (
	"affiliate_id" text NOT NULL,
	"token_id" uuid NOT NULL,
	"program_id" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "embed_tokens_affiliate_id_pk" PRIMARY KEY("affiliate_id"),
	CONSTRAINT "embed_tokens_token_id_unique" UNIQUE("token_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groups_program_id_id_unique" UNIQUE("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "program_invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"email" text NOT NULL,
	"accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "program_invitations_program_email_unique" UNIQUE("program_id","email"),
	CONSTRAINT "program_invitations_email_lower" CHECK ("program_invitations"."email" = lower("program_invitations"."email"))
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" text PRIMARY KEY NOT NULL,
	"team_id" text NOT NULL,
	"name" text NOT NULL,
	"website_url" text NOT NULL,
	"referral_param" text DEFAULT 'via' NOT NULL,
	"access_mode" "access_mode" DEFAULT 'public' NOT NULL,
	"status" "program_status" DEFAULT 'active' NOT NULL,
	"default_group_id" text NOT NULL,
	"logo_url" text,
	"primary_color" text,
	"background_color" text,
	"allowed_embed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_referral_param_shape" CHECK ("programs"."referral_param" ~ '^[A-Za-z0-9_.~-]{1,32}$'),
	CONSTRAINT "programs_colors_hex" CHECK (("programs"."primary_color" IS NULL OR "programs"."primary_color" ~ '^#[0-9a-fA-F]{6}$') AND ("programs"."background_color" IS NULL OR "programs"."background_color" ~ '^#[0-9a-fA-F]{6}$'))
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"image" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_email_lower" CHECK ("users"."email" = lower("users"."email"))
);
--> statement-breakpoint
ALTER TABLE "affiliates" ADD CONSTRAINT "affiliates_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "affiliates" ADD CONSTRAINT "affiliates_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "affiliates" ADD CONSTRAINT "affiliates_group_fk" FOREIGN KEY ("program_id","group_id") REFERENCES "public"."groups"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "embed_tokens" ADD CONSTRAINT "embed_tokens_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "embed_tokens" ADD CONSTRAINT "embed_tokens_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_invitations" ADD CONSTRAINT "program_invitations_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_default_group_fk" FOREIGN KEY ("id","default_group_id") REFERENCES "public"."groups"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "embed_tokens_expires_idx" ON "embed_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "programs_team_idx" ON "programs" USING btree ("team_id");