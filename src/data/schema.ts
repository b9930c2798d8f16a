import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  type PgTableExtraConfigValue,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core'

// Every uniqueness the API promises is a constraint here, so that no race between two requests
// can break it, whatever the application code does.

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()

export const accessMode = pgEnum('access_mode', ['public', 'private', 'invite'])
export const programStatus = pgEnum('program_status', ['active', 'inactive'])
export const partnershipStatus = pgEnum('partnership_status', [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'SUSPENDED',
])

export const rewardType = pgEnum('reward_type', ['percentage', 'fixed'])
export const rewardDuration = pgEnum('reward_duration', ['once', 'forever', 'months'])

// The reward terms are checked alike where they are set (groups) and where they are locked
// (referrals).
function rewardTermChecks(
  table: string,
  t: {
    rewardType: AnyPgColumn
    rewardBasisPoints: AnyPgColumn
    rewardFixedMinor: AnyPgColumn
    rewardDuration: AnyPgColumn
    rewardMonths: AnyPgColumn
    holdDays: AnyPgColumn
    leadRewardMinor: AnyPgColumn
  }
) {
  return [
    check(`${table}_reward_basis_points_range`, sql`${t.rewardBasisPoints} BETWEEN 0 AND 10000`),
    check(
      `${table}_reward_fixed_when_fixed`,
      sql`(${t.rewardType} = 'fixed') = (${t.rewardFixedMinor} IS NOT NULL) AND coalesce(${t.rewardFixedMinor}, 0) >= 0`
    ),
    check(
      `${table}_reward_months_when_months`,
      sql`(${t.rewardDuration} = 'months') = (${t.rewardMonths} IS NOT NULL) AND coalesce(${t.rewardMonths}, 1) BETWEEN 1 AND 120`
    ),
    check(`${table}_hold_days_range`, sql`${t.holdDays} BETWEEN 0 AND 365`),
    check(
      `${table}_lead_reward_positive`,
      sql`${t.leadRewardMinor} IS NULL OR ${t.leadRewardMinor} > 0`
    ),
  ]
}

export const teams = pgTable('teams', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
})

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name'),
    // Hex SHA-256 of the whole key: the key itself is never stored.
    digest: text('digest').notNull().unique('api_keys_digest_unique'),
    // Enough of the key to recognise it in a list (`sk_live_AbCd`), never enough to use it.
    displayPrefix: text('display_prefix').notNull(),
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    disabled: boolean('disabled').notNull().default(false),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    // Raised (by a trigger) each time the key is disabled: a token records the epoch it was
    // minted under and is dead once they differ, even if the key is enabled again.
    tokenEpoch: integer('token_epoch').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [check('api_keys_digest_hex', sql`${t.digest} ~ '^[0-9a-f]{64}$'`)]
)

export const programs = pgTable(
  'programs',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    websiteUrl: text('website_url').notNull(),
    referralParam: text('referral_param').notNull().default('via'),
    accessMode: accessMode('access_mode').notNull().default('public'),
    status: programStatus('status').notNull().default('active'),
    defaultGroupId: text('default_group_id').notNull(),
    logoUrl: text('logo_url'),
    primaryColor: text('primary_color'),
    backgroundColor: text('background_color'),
    // Origins allowed to frame the embedded dashboard (`frame-ancestors`).
    allowedEmbedOrigins: text('allowed_embed_origins').array().notNull().default(sql`'{}'::text[]`),
    // Raised (by a trigger) each time the program is deactivated; see api_keys.token_epoch.
    tokenEpoch: integer('token_epoch').notNull().default(0),
    // Tracking (docs/TRACKING.md). One currency per program; its number of minor-unit digits is
    // stored with it when set, so the CLI (Node) and the worker (workerd), whose Intl data differ
    // for a few currencies, can never read an amount with different scales.
    currency: text('currency').notNull().default('USD'),
    currencyDigits: smallint('currency_digits').notNull().default(2),
    minPayoutMinor: bigint('min_payout_minor', { mode: 'bigint' }).notNull().default(sql`0`),
    cookieDays: smallint('cookie_days').notNull().default(60),
    // Origins whose pages may record clicks through the tracking script.
    trackingOrigins: text('tracking_origins').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t): PgTableExtraConfigValue[] => [
    index('programs_team_idx').on(t.teamId),
    // The default group must be a group of this very program. Checked at the end of the
    // statement, so a program and its default group are created by one statement.
    foreignKey({
      name: 'programs_default_group_fk',
      columns: [t.id, t.defaultGroupId],
      foreignColumns: [groups.programId, groups.id],
    }),
    check('programs_referral_param_shape', sql`${t.referralParam} ~ '^[A-Za-z0-9_.~-]{1,32}$'`),
    check('programs_currency_shape', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('programs_currency_digits_range', sql`${t.currencyDigits} BETWEEN 0 AND 4`),
    check('programs_min_payout_nonnegative', sql`${t.minPayoutMinor} >= 0`),
    check('programs_cookie_days_range', sql`${t.cookieDays} BETWEEN 1 AND 365`),
    check(
      'programs_colors_hex',
      sql`(${t.primaryColor} IS NULL OR ${t.primaryColor} ~ '^#[0-9a-fA-F]{6}$') AND (${t.backgroundColor} IS NULL OR ${t.backgroundColor} ~ '^#[0-9a-fA-F]{6}$')`
    ),
  ]
)

export const groups = pgTable(
  'groups',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // Reward terms (docs/TRACKING.md, "Rewards"). A referral copies them when it is created
    // (rate lock), so changing them affects new referrals only.
    rewardType: rewardType('reward_type').notNull().default('percentage'),
    // Hundredths of a percent: 20 % is 2000. Used when reward_type is percentage.
    rewardBasisPoints: integer('reward_basis_points').notNull().default(2000),
    // Minor units per sale. Set exactly when reward_type is fixed.
    rewardFixedMinor: bigint('reward_fixed_minor', { mode: 'bigint' }),
    rewardDuration: rewardDuration('reward_duration').notNull().default('forever'),
    // Set exactly when reward_duration is months.
    rewardMonths: smallint('reward_months'),
    holdDays: smallint('hold_days').notNull().default(30),
    leadRewardMinor: bigint('lead_reward_minor', { mode: 'bigint' }),
    createdAt: createdAt(),
  },
  (t): PgTableExtraConfigValue[] => [
    // Target of the composite foreign keys that pin a group to its program.
    unique('groups_program_id_id_unique').on(t.programId, t.id),
    ...rewardTermChecks('groups', t),
  ]
)

export const programInvitations = pgTable(
  'program_invitations',
  {
    id: text('id').primaryKey(),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('program_invitations_program_email_unique').on(t.programId, t.email),
    check('program_invitations_email_lower', sql`${t.email} = lower(${t.email})`),
  ]
)

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    // Stored lower-case (checked), so the plain unique constraint is case-insensitive.
    email: text('email').notNull().unique('users_email_unique'),
    // No longer written or read: a person's name and image are per affiliate (see affiliates),
    // so no team can choose what another team's dashboard shows. Kept only while workers that
    // call issue_embed_token_v1 may still run; dropped with that function.
    name: text('name'),
    image: text('image'),
    createdAt: createdAt(),
  },
  (t) => [check('users_email_lower', sql`${t.email} = lower(${t.email})`)]
)

export const affiliates = pgTable(
  'affiliates',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    groupId: text('group_id').notNull(),
    trackingId: text('tracking_id').notNull(),
    // The name and image this affiliate's own program's team sent when it created the affiliate:
    // shown on its dashboard, never another team's values for the same person.
    name: text('name'),
    image: text('image'),
    externalUserId: text('external_user_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>(),
    status: partnershipStatus('status').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('affiliates_user_program_unique').on(t.userId, t.programId),
    unique('affiliates_program_tracking_id_unique').on(t.programId, t.trackingId),
    foreignKey({
      name: 'affiliates_group_fk',
      columns: [t.programId, t.groupId],
      foreignColumns: [groups.programId, groups.id],
    }),
    check(
      'affiliates_tracking_id_shape',
      sql`${t.trackingId} ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(${t.trackingId}) BETWEEN 3 AND 32`
    ),
  ]
)

// One row per affiliate: issuing a token replaces the row, so "every earlier token stops
// working" is a constraint, and racing requests cannot leave two live tokens.
export const embedTokens = pgTable(
  'embed_tokens',
  {
    affiliateId: text('affiliate_id')
      .notNull()
      .references(() => affiliates.id, { onDelete: 'cascade' }),
    // The token's `jti`.
    tokenId: uuid('token_id').notNull().unique('embed_tokens_token_id_unique'),
    programId: text('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    // The API key that minted it: a token stops working when its key is disabled, expires or is
    // deleted. Null only for tokens minted by issue_embed_token_v1, which did not record it.
    apiKeyId: text('api_key_id').references(() => apiKeys.id, { onDelete: 'cascade' }),
    // The key's and the program's token_epoch when it was minted (see there).
    apiKeyEpoch: integer('api_key_epoch').notNull().default(0),
    programEpoch: integer('program_epoch').notNull().default(0),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.affiliateId] }),
    index('embed_tokens_expires_idx').on(t.expiresAt),
    // For the cascade when an API key is deleted.
    index('embed_tokens_api_key_idx').on(t.apiKeyId),
  ]
)

export type Team = typeof teams.$inferSelect
export type ApiKey = typeof apiKeys.$inferSelect
export type Program = typeof programs.$inferSelect
export type Group = typeof groups.$inferSelect
export type ProgramInvitation = typeof programInvitations.$inferSelect
export type User = typeof users.$inferSelect
export type Affiliate = typeof affiliates.$inferSelect
export type EmbedToken = typeof embedTokens.$inferSelect
export type AccessMode = (typeof accessMode.enumValues)[number]
export type ProgramStatus = (typeof programStatus.enumValues)[number]
export type PartnershipStatus = (typeof partnershipStatus.enumValues)[number]
