CREATE TYPE "public"."reward_duration" AS ENUM('once', 'forever', 'months');--> statement-breakpoint
CREATE TYPE "public"."reward_type" AS ENUM('percentage', 'fixed');--> statement-breakpoint
CREATE TYPE "public"."click_source" AS ENUM('api', 'script');--> statement-breakpoint
CREATE TYPE "public"."commission_kind" AS ENUM('sale', 'lead', 'clawback');--> statement-breakpoint
CREATE TYPE "public"."commission_status" AS ENUM('unpaid', 'paid', 'refunded', 'declined');--> statement-breakpoint
CREATE TYPE "public"."payout_status" AS ENUM('pending', 'paid', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('lead', 'customer', 'rejected');--> statement-breakpoint
CREATE TABLE "clicks" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"source" "click_source" NOT NULL,
	"clicked_at" timestamp with time zone NOT NULL,
	"landing_url" text,
	"referrer" text,
	"ip_hash" text,
	"user_agent" text,
	"attributes" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clicks_id_shape" CHECK ("clicks"."id" ~ '^clk_[A-Za-z0-9_-]{1,196}$')
);
--> statement-breakpoint
CREATE TABLE "commissions" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"referral_id" text NOT NULL,
	"conversion_id" text,
	"kind" "commission_kind" NOT NULL,
	"amount_minor" bigint NOT NULL,
	"original_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" "commission_status" NOT NULL,
	"decline_reason" text,
	"base_minor" bigint NOT NULL,
	"reward_type" "reward_type" NOT NULL,
	"reward_basis_points" integer,
	"reward_fixed_minor" bigint,
	"hold_days" smallint NOT NULL,
	"hold_until" timestamp with time zone NOT NULL,
	"payout_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commissions_sign" CHECK (CASE "commissions"."kind" WHEN 'clawback' THEN "commissions"."amount_minor" < 0 ELSE "commissions"."amount_minor" >= 0 END),
	CONSTRAINT "commissions_within_original" CHECK (abs("commissions"."amount_minor") <= abs("commissions"."original_minor")),
	CONSTRAINT "commissions_decline_reason" CHECK (("commissions"."status" = 'declined') = ("commissions"."decline_reason" IS NOT NULL)),
	CONSTRAINT "commissions_paid_in_payout" CHECK ("commissions"."status" <> 'paid' OR "commissions"."payout_id" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "conversions" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"referral_id" text NOT NULL,
	"external_event_id" text NOT NULL,
	"sale_minor" bigint NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"is_subscription" boolean DEFAULT false NOT NULL,
	"metadata" jsonb,
	"sold_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversions_program_event_unique" UNIQUE("program_id","external_event_id"),
	CONSTRAINT "conversions_sale_positive" CHECK ("conversions"."sale_minor" > 0),
	CONSTRAINT "conversions_refund_within_sale" CHECK ("conversions"."refunded_minor" >= 0 AND "conversions"."refunded_minor" <= "conversions"."sale_minor")
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" "payout_status" DEFAULT 'pending' NOT NULL,
	"reference" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "payouts_amount_positive" CHECK ("payouts"."amount_minor" > 0),
	CONSTRAINT "payouts_paid_reference" CHECK (("payouts"."status" = 'paid') = ("payouts"."paid_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"click_id" text NOT NULL,
	"email" text,
	"external_user_id" text,
	"customer_id" text,
	"name" text,
	"status" "referral_status" NOT NULL,
	"rejection_reason" text,
	"reward_type" "reward_type" NOT NULL,
	"reward_basis_points" integer NOT NULL,
	"reward_fixed_minor" bigint,
	"reward_duration" "reward_duration" NOT NULL,
	"reward_months" smallint,
	"hold_days" smallint NOT NULL,
	"lead_reward_minor" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"converted_at" timestamp with time zone,
	CONSTRAINT "referrals_click_unique" UNIQUE("click_id"),
	CONSTRAINT "referrals_program_email_unique" UNIQUE("program_id","email"),
	CONSTRAINT "referrals_program_external_user_unique" UNIQUE("program_id","external_user_id"),
	CONSTRAINT "referrals_program_customer_unique" UNIQUE("program_id","customer_id"),
	CONSTRAINT "referrals_email_lower" CHECK ("referrals"."email" = lower("referrals"."email")),
	CONSTRAINT "referrals_rejection_reason" CHECK (("referrals"."status" = 'rejected') = ("referrals"."rejection_reason" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"program_id" text NOT NULL,
	"conversion_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"reason" text,
	"external_event_id" text,
	"refunded_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_program_event_unique" UNIQUE("program_id","external_event_id"),
	CONSTRAINT "refunds_amount_positive" CHECK ("refunds"."amount_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "reward_type" "reward_type" DEFAULT 'percentage' NOT NULL;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "reward_basis_points" integer DEFAULT 2000 NOT NULL;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "reward_fixed_minor" bigint;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "reward_duration" "reward_duration" DEFAULT 'forever' NOT NULL;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "reward_months" smallint;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "hold_days" smallint DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "lead_reward_minor" bigint;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "currency" text DEFAULT 'USD' NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "currency_digits" smallint DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "min_payout_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "cookie_days" smallint DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "tracking_origins" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "clicks" ADD CONSTRAINT "clicks_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clicks" ADD CONSTRAINT "clicks_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissions" ADD CONSTRAINT "commissions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissions" ADD CONSTRAINT "commissions_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissions" ADD CONSTRAINT "commissions_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissions" ADD CONSTRAINT "commissions_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commissions" ADD CONSTRAINT "commissions_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_affiliate_id_affiliates_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."affiliates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clicks_affiliate_time_idx" ON "clicks" USING btree ("affiliate_id","clicked_at");--> statement-breakpoint
CREATE UNIQUE INDEX "commissions_one_per_sale" ON "commissions" USING btree ("conversion_id") WHERE "commissions"."kind" = 'sale';--> statement-breakpoint
CREATE UNIQUE INDEX "commissions_one_lead_per_referral" ON "commissions" USING btree ("referral_id") WHERE "commissions"."kind" = 'lead';--> statement-breakpoint
CREATE INDEX "commissions_affiliate_idx" ON "commissions" USING btree ("affiliate_id","created_at");--> statement-breakpoint
CREATE INDEX "commissions_payout_idx" ON "commissions" USING btree ("payout_id");--> statement-breakpoint
CREATE INDEX "conversions_referral_idx" ON "conversions" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "payouts_affiliate_idx" ON "payouts" USING btree ("affiliate_id","created_at");--> statement-breakpoint
CREATE INDEX "referrals_affiliate_idx" ON "referrals" USING btree ("affiliate_id","created_at");--> statement-breakpoint
CREATE INDEX "refunds_conversion_idx" ON "refunds" USING btree ("conversion_id");--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_reward_basis_points_range" CHECK ("groups"."reward_basis_points" BETWEEN 0 AND 10000);--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_reward_fixed_when_fixed" CHECK (("groups"."reward_type" = 'fixed') = ("groups"."reward_fixed_minor" IS NOT NULL) AND coalesce("groups"."reward_fixed_minor", 0) >= 0);--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_reward_months_when_months" CHECK (("groups"."reward_duration" = 'months') = ("groups"."reward_months" IS NOT NULL) AND coalesce("groups"."reward_months", 1) BETWEEN 1 AND 120);--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_hold_days_range" CHECK ("groups"."hold_days" BETWEEN 0 AND 365);--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_lead_reward_positive" CHECK ("groups"."lead_reward_minor" IS NULL OR "groups"."lead_reward_minor" > 0);--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_currency_shape" CHECK ("programs"."currency" ~ '^[A-Z]{3}$');--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_currency_digits_range" CHECK ("programs"."currency_digits" BETWEEN 0 AND 4);--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_min_payout_nonnegative" CHECK ("programs"."min_payout_minor" >= 0);--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_cookie_days_range" CHECK ("programs"."cookie_days" BETWEEN 1 AND 365);