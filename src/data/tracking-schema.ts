import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  date,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  integer,
} from 'drizzle-orm/pg-core'
import { affiliates, programs, rewardDuration, rewardType } from './schema'

// The tracking tables (docs/TRACKING.md). Every rule that must hold when requests race is a
// constraint here: the statements insert and let the constraint decide, never read first.

const at = (name: string) => timestamp(name, { withTimezone: true })
const minor = (name: string) => bigint(name, { mode: 'bigint' })

export const clickSource = pgEnum('click_source', ['api', 'script'])
export const referralStatus = pgEnum('referral_status', ['lead', 'customer', 'rejected'])
export const commissionKind = pgEnum('commission_kind', ['sale', 'lead', 'clawback'])
// `pending` and `approved` are not stored: an unpaid commission is pending until hold_until and
// approved after, read from the clock, so no job has to run for it.
export const commissionStatus = pgEnum('commission_status', [
  'unpaid',
  'paid',
  'refunded',
  'declined',
])
export const payoutStatus = pgEnum('payout_status', ['pending', 'paid', 'cancelled'])

// One row per counted click. The id is the signed click id itself (domain/click-id.ts), so a
// batch delivered twice by the queue inserts nothing the second time.
export const clicks = pgTable(
  'clicks',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    affiliateId: text('affiliate_id')
      .notNull()
      .references(() => affiliates.id, { onDelete: 'cascade' }),
    source: clickSource('source').notNull(),
    clickedAt: at('clicked_at').notNull(),
    landingUrl: text('landing_url'),
    referrer: text('referrer'),
    // A salted hash of the address, never the address.
    ipHash: text('ip_hash'),
    userAgent: text('user_agent'),
    // Sub-ids, UTM and ad-click ids, as the host sent them (each at most 255 characters).
    attributes: jsonb('attributes').$type<Record<string, string>>(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('clicks_affiliate_time_idx').on(t.affiliateId, t.clickedAt),
    check('clicks_id_shape', sql`${t.id} ~ '^clk_[A-Za-z0-9_-]{1,196}$'`),
  ]
)

// The host's customer, attributed to an affiliate: one per click, and one per customer (email,
// external user id or customer id) in a program.
export const referrals = pgTable(
  'referrals',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    affiliateId: text('affiliate_id')
      .notNull()
      .references(() => affiliates.id, { onDelete: 'cascade' }),
    // Not a foreign key: the click row may be written by the queue after the sign-up.
    clickId: text('click_id').notNull(),
    email: text('email'),
    externalUserId: text('external_user_id'),
    customerId: text('customer_id'),
    name: text('name'),
    status: referralStatus('status').notNull(),
    rejectionReason: text('rejection_reason'),
    // The affiliate's group's terms when the referral was created (rate lock).
    rewardType: rewardType('reward_type').notNull(),
    rewardBasisPoints: integer('reward_basis_points').notNull(),
    rewardFixedMinor: minor('reward_fixed_minor'),
    rewardDuration: rewardDuration('reward_duration').notNull(),
    rewardMonths: smallint('reward_months'),
    holdDays: smallint('hold_days').notNull(),
    leadRewardMinor: minor('lead_reward_minor'),
    createdAt: at('created_at').notNull().defaultNow(),
    // The first sale's time: `reward_duration` counts from it.
    convertedAt: at('converted_at'),
  },
  (t) => [
    unique('referrals_click_unique').on(t.clickId),
    unique('referrals_program_email_unique').on(t.programId, t.email),
    unique('referrals_program_external_user_unique').on(t.programId, t.externalUserId),
    unique('referrals_program_customer_unique').on(t.programId, t.customerId),
    index('referrals_affiliate_idx').on(t.affiliateId, t.createdAt),
    check('referrals_email_lower', sql`${t.email} = lower(${t.email})`),
    check(
      'referrals_rejection_reason',
      sql`(${t.status} = 'rejected') = (${t.rejectionReason} IS NOT NULL)`
    ),
  ]
)

// A sale, exactly once per external event id in a program; refunds can never pass it.
export const conversions = pgTable(
  'conversions',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    affiliateId: text('affiliate_id')
      .notNull()
      .references(() => affiliates.id, { onDelete: 'cascade' }),
    referralId: text('referral_id')
      .notNull()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    externalEventId: text('external_event_id').notNull(),
    saleMinor: minor('sale_minor').notNull(),
    refundedMinor: minor('refunded_minor').notNull().default(sql`0`),
    currency: text('currency').notNull(),
    isSubscription: boolean('is_subscription').notNull().default(false),
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    soldAt: at('sold_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('conversions_program_event_unique').on(t.programId, t.externalEventId),
    index('conversions_referral_idx').on(t.referralId),
    check('conversions_sale_positive', sql`${t.saleMinor} > 0`),
    check(
      'conversions_refund_within_sale',
      sql`${t.refundedMinor} >= 0 AND ${t.refundedMinor} <= ${t.saleMinor}`
    ),
  ]
)

export const refunds = pgTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    conversionId: text('conversion_id')
      .notNull()
      .references(() => conversions.id, { onDelete: 'cascade' }),
    amountMinor: minor('amount_minor').notNull(),
    reason: text('reason'),
    externalEventId: text('external_event_id'),
    refundedAt: at('refunded_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('refunds_program_event_unique').on(t.programId, t.externalEventId),
    index('refunds_conversion_idx').on(t.conversionId),
    check('refunds_amount_positive', sql`${t.amountMinor} > 0`),
  ]
)

export const payouts = pgTable(
  'payouts',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    affiliateId: text('affiliate_id')
      .notNull()
      .references(() => affiliates.id, { onDelete: 'cascade' }),
    amountMinor: minor('amount_minor').notNull(),
    currency: text('currency').notNull(),
    status: payoutStatus('status').notNull().default('pending'),
    reference: text('reference'),
    createdAt: at('created_at').notNull().defaultNow(),
    paidAt: at('paid_at'),
    cancelledAt: at('cancelled_at'),
  },
  (t) => [
    index('payouts_affiliate_idx').on(t.affiliateId, t.createdAt),
    check('payouts_amount_positive', sql`${t.amountMinor} > 0`),
    check('payouts_paid_reference', sql`(${t.status} = 'paid') = (${t.paidAt} IS NOT NULL)`),
  ]
)

// What an affiliate earns, and how it was computed, so each line explains itself.
export const commissions = pgTable(
  'commissions',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    affiliateId: text('affiliate_id')
      .notNull()
      .references(() => affiliates.id, { onDelete: 'cascade' }),
    referralId: text('referral_id')
      .notNull()
      .references(() => referrals.id, { onDelete: 'cascade' }),
    // The sale it is a share of; none for a lead reward.
    conversionId: text('conversion_id').references(() => conversions.id, { onDelete: 'cascade' }),
    kind: commissionKind('kind').notNull(),
    // What it is worth now: shrinks with refunds while unpaid; negative for a clawback.
    amountMinor: minor('amount_minor').notNull(),
    // What it was worth when computed.
    originalMinor: minor('original_minor').notNull(),
    currency: text('currency').notNull(),
    status: commissionStatus('status').notNull(),
    declineReason: text('decline_reason'),
    // How it was computed: the base amount and the locked terms applied to it.
    baseMinor: minor('base_minor').notNull(),
    rewardType: rewardType('reward_type').notNull(),
    rewardBasisPoints: integer('reward_basis_points'),
    rewardFixedMinor: minor('reward_fixed_minor'),
    holdDays: smallint('hold_days').notNull(),
    holdUntil: at('hold_until').notNull(),
    // The payout it is in: a single column, so a commission is in at most one payout; cancelling
    // a payout sets it back to null.
    payoutId: text('payout_id').references(() => payouts.id),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    // One sale commission per sale and one lead reward per referral, however often requests race.
    uniqueIndex('commissions_one_per_sale').on(t.conversionId).where(sql`${t.kind} = 'sale'`),
    uniqueIndex('commissions_one_lead_per_referral')
      .on(t.referralId)
      .where(sql`${t.kind} = 'lead'`),
    index('commissions_affiliate_idx').on(t.affiliateId, t.createdAt),
    index('commissions_payout_idx').on(t.payoutId),
    // The dashboard's pending earnings: the unpaid commissions still in hold, never the history.
    index('commissions_unpaid_hold_idx')
      .on(t.affiliateId, t.holdUntil)
      .where(sql`${t.status} = 'unpaid'`),
    check(
      'commissions_sign',
      sql`CASE ${t.kind} WHEN 'clawback' THEN ${t.amountMinor} < 0 ELSE ${t.amountMinor} >= 0 END`
    ),
    check('commissions_within_original', sql`abs(${t.amountMinor}) <= abs(${t.originalMinor})`),
    check(
      'commissions_decline_reason',
      sql`(${t.status} = 'declined') = (${t.declineReason} IS NOT NULL)`
    ),
    check('commissions_paid_in_payout', sql`${t.status} <> 'paid' OR ${t.payoutId} IS NOT NULL`),
  ]
)

export type Click = typeof clicks.$inferSelect
export type Referral = typeof referrals.$inferSelect
export type Conversion = typeof conversions.$inferSelect
export type Refund = typeof refunds.$inferSelect
export type Commission = typeof commissions.$inferSelect
export type Payout = typeof payouts.$inferSelect

// Per-affiliate counts the dashboard reads, kept by triggers on the rows they count (migration
// 0007), in the same transaction as each write: they cannot drift, and reading them costs the
// same for an affiliate with a million clicks as for one with none.
export const affiliateDays = pgTable(
  'affiliate_days',
  {
    affiliateId: text('affiliate_id')
      .notNull()
      .references(() => affiliates.id, { onDelete: 'cascade' }),
    // UTC day.
    day: date('day', { mode: 'string' }).notNull(),
    clicks: integer('clicks').notNull().default(0),
    leads: integer('leads').notNull().default(0),
    sales: integer('sales').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.affiliateId, t.day] })]
)

export const affiliateTotals = pgTable('affiliate_totals', {
  affiliateId: text('affiliate_id')
    .primaryKey()
    .references(() => affiliates.id, { onDelete: 'cascade' }),
  clicks: bigint('clicks', { mode: 'bigint' }).notNull().default(sql`0`),
  leads: bigint('leads', { mode: 'bigint' }).notNull().default(sql`0`),
  sales: bigint('sales', { mode: 'bigint' }).notNull().default(sql`0`),
  saleMinor: minor('sale_minor').notNull().default(sql`0`),
  refundedMinor: minor('refunded_minor').notNull().default(sql`0`),
  // Commissions by state: unpaid (pending or approved, told apart by hold_until when read) and
  // paid. Refunded and declined ones count in neither.
  unpaidMinor: minor('unpaid_minor').notNull().default(sql`0`),
  paidMinor: minor('paid_minor').notNull().default(sql`0`),
})
