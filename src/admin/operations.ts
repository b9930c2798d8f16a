import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../data/db'
import {
  accessMode,
  affiliates,
  apiKeys,
  partnershipStatus,
  programInvitations,
  programStatus,
  teams,
  type AccessMode,
  type Affiliate,
  type Program,
  type ProgramStatus,
} from '../data/schema'
import { generateApiKey, type KeyEnvironment } from '../domain/api-keys'
import { newId } from '../domain/ids'
import { minorToMajor } from '../domain/money'
import { PERMISSIONS, type Permission } from '../domain/permissions'
import * as input from './inputs'
import { explainConstraint, OperatorError } from './operator-error'
import {
  insertGroup,
  majorToMinor,
  type RewardFlags,
  updateGroup as updateGroupTerms,
} from './rewards'

// The operator's commands (docs/OPERATIONS.md), over the same Drizzle client the worker uses,
// so the CLI and the tests that seed tenants run them against Neon or the local endpoint alike.

// What a key gets when `key create` names no permissions: the contract's default.
export const DEFAULT_PERMISSIONS: readonly Permission[] = [
  PERMISSIONS.readAffiliates,
  PERMISSIONS.writeAffiliates,
]

// The defaults of the optional settings, also shown by the CLI's help.
export const PROGRAM_DEFAULTS = {
  access: 'public',
  status: 'active',
  referralParam: 'via',
  currency: 'USD',
  minPayout: '0',
  cookieDays: 60,
} as const satisfies {
  access: AccessMode
  status: ProgramStatus
  referralParam: string
  currency: string
  minPayout: string
  cookieDays: number
}
export const MAX_COOKIE_DAYS = 365
export const KEY_ENVIRONMENTS: readonly KeyEnvironment[] = ['live', 'dev']
export const DEFAULT_KEY_ENVIRONMENT: KeyEnvironment = 'live'

// An INSERT … RETURNING that succeeded returns its row; no row means the driver broke that.
function inserted<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw new Error(`The database returned no row for the new ${what}.`)
  return row
}

export async function createTeam(db: Db, name: string | undefined) {
  const [team] = await db
    .insert(teams)
    .values({ id: newId('team'), name: input.requireText(name, 'name') })
    .returning({ id: teams.id })
  return inserted(team, 'team')
}

export interface ProgramInput {
  team?: string
  name?: string
  website?: string
  access?: string
  status?: string
  referralParam?: string
  embedOrigins?: string
  logoUrl?: string
  primaryColor?: string
  backgroundColor?: string
  currency?: string
  minPayout?: string
  cookieDays?: string
  trackingOrigins?: string
}

function referralParam(value: string): string {
  if (!/^[A-Za-z0-9_.~-]{1,32}$/.test(value)) {
    throw new OperatorError('--referral-param must be 1 to 32 letters, digits or _ . ~ -.')
  }
  return value
}

// A text[] parameter, passed as JSON (the driver's array encoding is not used anywhere else).
const textArray = (values: readonly string[]) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`

const decimalsRefusal = (flag: string, currency: { code: string; digits: number }) =>
  new OperatorError(
    currency.digits === 0
      ? `--${flag} must be a whole number for ${currency.code}.`
      : `--${flag} must have at most ${currency.digits} decimals for ${currency.code}.`
  )

// A program and its default group reference each other; one statement creates both, and the
// foreign keys are checked at its end.
export async function createProgram(db: Db, p: ProgramInput) {
  const id = newId('prog')
  const defaultGroupId = newId('grp')
  const values = {
    teamId: input.requireText(p.team, 'team'),
    name: input.requireText(p.name, 'name'),
    websiteUrl: input.httpUrl(input.requireText(p.website, 'website', 2048), 'website'),
    accessMode: input.oneOf(p.access ?? PROGRAM_DEFAULTS.access, accessMode.enumValues, 'access'),
    status: input.oneOf(p.status ?? PROGRAM_DEFAULTS.status, programStatus.enumValues, 'status'),
    referralParam: referralParam(p.referralParam ?? PROGRAM_DEFAULTS.referralParam),
    allowedEmbedOrigins:
      p.embedOrigins === undefined ? [] : input.origins(p.embedOrigins, 'embed-origins'),
    logoUrl: p.logoUrl === undefined ? null : input.publicImageUrl(p.logoUrl, 'logo-url'),
    primaryColor:
      p.primaryColor === undefined ? null : input.hexColor(p.primaryColor, 'primary-color'),
    backgroundColor:
      p.backgroundColor === undefined
        ? null
        : input.hexColor(p.backgroundColor, 'background-color'),
    cookieDays:
      p.cookieDays === undefined
        ? PROGRAM_DEFAULTS.cookieDays
        : input.wholeNumber(p.cookieDays, 'cookie-days', 1, MAX_COOKIE_DAYS),
    trackingOrigins:
      p.trackingOrigins === undefined ? [] : input.origins(p.trackingOrigins, 'tracking-origins'),
  }
  const currency = input.currency(p.currency ?? PROGRAM_DEFAULTS.currency, 'currency')
  const minPayoutText = input.majorAmount(p.minPayout ?? PROGRAM_DEFAULTS.minPayout, 'min-payout', {
    allowZero: true,
  })
  const minPayoutMinor = majorToMinor(minPayoutText, currency.digits)
  if (minPayoutMinor === undefined) throw decimalsRefusal('min-payout', currency)
  try {
    await db.execute(sql`
      WITH program AS (
        INSERT INTO programs (id, team_id, name, website_url, access_mode, status, referral_param,
          default_group_id, allowed_embed_origins, logo_url, primary_color, background_color,
          currency, currency_digits, min_payout_minor, cookie_days, tracking_origins)
        VALUES (${id}, ${values.teamId}, ${values.name}, ${values.websiteUrl},
          ${values.accessMode}::access_mode, ${values.status}::program_status, ${values.referralParam},
          ${defaultGroupId}, ${textArray(values.allowedEmbedOrigins)}, ${values.logoUrl}::text,
          ${values.primaryColor}::text, ${values.backgroundColor}::text,
          ${currency.code}::text, ${currency.digits}::smallint, ${minPayoutMinor.toString()}::bigint,
          ${values.cookieDays}::smallint, ${textArray(values.trackingOrigins)})
        RETURNING id
      )
      INSERT INTO groups (id, program_id, name) SELECT ${defaultGroupId}, id, 'Default' FROM program
    `)
  } catch (error) {
    explainConstraint(error, { programs_team_id_teams_id_fk: `No team with id ${values.teamId}.` })
  }
  return { id, defaultGroupId }
}

// What `program update` can change: one list for its input, its refusal below and the CLI's help.
export const PROGRAM_UPDATE_FIELDS = [
  'name',
  'website',
  'access',
  'status',
  'embedOrigins',
  'logoUrl',
  'primaryColor',
  'backgroundColor',
  'currency',
  'minPayout',
  'cookieDays',
  'trackingOrigins',
] as const satisfies readonly (keyof ProgramInput)[]

export type ProgramUpdateField = (typeof PROGRAM_UPDATE_FIELDS)[number]

export interface ProgramUpdate extends Partial<Record<ProgramUpdateField, string>> {
  id?: string
}

// A program as the CLI prints it: the minimum payout in major units of its currency.
export type ProgramOutput = Omit<Program, 'minPayoutMinor' | 'createdAt'> & {
  minPayout: number
  createdAt: string
}

interface ProgramUpdateRow extends Record<string, unknown> {
  problem: 'currency_locked' | 'min_payout_decimals' | 'min_payout_rescale' | 'group_amounts' | null
  old_currency: string
  new_currency: string
  new_digits: number
  program: Record<string, unknown> | null
}

const camelCase = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

function programOutput(row: Record<string, unknown>): ProgramOutput {
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) fields[camelCase(key)] = value
  const { minPayoutMinor, createdAt, ...rest } = fields
  return {
    ...(rest as Omit<ProgramOutput, 'minPayout' | 'createdAt'>),
    minPayout: minorToMajor(BigInt(String(minPayoutMinor)), Number(fields.currencyDigits)),
    createdAt: new Date(String(createdAt)).toISOString(),
  }
}

// One statement. A new currency stores its digits with it, and is refused once the program has
// referrals: their locked terms, their commissions and sales are amounts in the old currency.
// When the number of digits changes, the amounts kept in minor units (the minimum payout, the
// groups' fixed and lead rewards) are rescaled so that they keep their value in major units, or
// the change is refused when one cannot be written in the new currency.
export async function updateProgram(db: Db, u: ProgramUpdate): Promise<ProgramOutput> {
  const id = input.requireText(u.id, 'id')
  const given = PROGRAM_UPDATE_FIELDS.filter((field) => u[field] !== undefined)
  if (given.length === 0) {
    const flags = PROGRAM_UPDATE_FIELDS.map(input.flagName).join(', ')
    throw new OperatorError(`Nothing to update: give at least one of ${flags}.`)
  }
  const name = u.name === undefined ? null : input.requireText(u.name, 'name')
  const website = u.website === undefined ? null : input.httpUrl(u.website, 'website')
  const access =
    u.access === undefined ? null : input.oneOf(u.access, accessMode.enumValues, 'access')
  const status =
    u.status === undefined ? null : input.oneOf(u.status, programStatus.enumValues, 'status')
  const embedOrigins =
    u.embedOrigins === undefined ? null : input.origins(u.embedOrigins, 'embed-origins')
  const logoUrl = u.logoUrl === undefined ? null : input.publicImageUrl(u.logoUrl, 'logo-url')
  const primaryColor =
    u.primaryColor === undefined ? null : input.hexColor(u.primaryColor, 'primary-color')
  const backgroundColor =
    u.backgroundColor === undefined ? null : input.hexColor(u.backgroundColor, 'background-color')
  const currency = u.currency === undefined ? null : input.currency(u.currency, 'currency')
  const minPayout =
    u.minPayout === undefined
      ? null
      : input.majorAmount(u.minPayout, 'min-payout', { allowZero: true })
  const cookieDays =
    u.cookieDays === undefined
      ? null
      : input.wholeNumber(u.cookieDays, 'cookie-days', 1, MAX_COOKIE_DAYS)
  const trackingOrigins =
    u.trackingOrigins === undefined ? null : input.origins(u.trackingOrigins, 'tracking-origins')
  const arrayOr = (values: string[] | null, column: SQL) =>
    values === null ? column : textArray(values)

  const result = await db.execute<ProgramUpdateRow>(sql`
    WITH target AS (
      SELECT p.id, p.currency AS old_currency, p.currency_digits AS old_digits,
        coalesce(${currency?.code ?? null}::text, p.currency) AS new_currency,
        coalesce(${currency?.digits ?? null}::smallint, p.currency_digits) AS new_digits,
        p.min_payout_minor,
        EXISTS (SELECT 1 FROM referrals r WHERE r.program_id = p.id) AS tracked
      FROM programs p WHERE p.id = ${id}
      FOR UPDATE
    ),
    scaled AS (
      SELECT t.*, power(10::numeric, t.new_digits - t.old_digits) AS factor,
        coalesce(${minPayout}::numeric * power(10::numeric, t.new_digits),
          t.min_payout_minor * power(10::numeric, t.new_digits - t.old_digits)) AS new_min_payout
      FROM target t
    ),
    group_amounts AS (
      SELECT g.id, g.reward_fixed_minor * s.factor AS fixed, g.lead_reward_minor * s.factor AS lead
      FROM groups g JOIN scaled s ON g.program_id = s.id
      WHERE s.new_digits <> s.old_digits
    ),
    verdict AS (
      SELECT s.*, CASE
        WHEN s.new_currency <> s.old_currency AND s.tracked THEN 'currency_locked'
        WHEN s.new_min_payout <> trunc(s.new_min_payout) THEN
          CASE WHEN ${minPayout}::text IS NULL THEN 'min_payout_rescale' ELSE 'min_payout_decimals' END
        WHEN EXISTS (SELECT 1 FROM group_amounts ga
          WHERE ga.fixed <> trunc(ga.fixed) OR ga.lead <> trunc(ga.lead)) THEN 'group_amounts'
        END AS problem
      FROM scaled s
    ),
    updated AS (
      UPDATE programs p SET
        name = coalesce(${name}::text, p.name),
        website_url = coalesce(${website}::text, p.website_url),
        access_mode = coalesce(${access}::access_mode, p.access_mode),
        status = coalesce(${status}::program_status, p.status),
        allowed_embed_origins = ${arrayOr(embedOrigins, sql`p.allowed_embed_origins`)},
        logo_url = coalesce(${logoUrl}::text, p.logo_url),
        primary_color = coalesce(${primaryColor}::text, p.primary_color),
        background_color = coalesce(${backgroundColor}::text, p.background_color),
        currency = v.new_currency,
        currency_digits = v.new_digits,
        min_payout_minor = v.new_min_payout::bigint,
        cookie_days = coalesce(${cookieDays}::smallint, p.cookie_days),
        tracking_origins = ${arrayOr(trackingOrigins, sql`p.tracking_origins`)}
      FROM verdict v WHERE p.id = v.id AND v.problem IS NULL
      RETURNING to_jsonb(p) AS program
    ),
    rescaled AS (
      UPDATE groups g SET reward_fixed_minor = ga.fixed::bigint, lead_reward_minor = ga.lead::bigint
      FROM group_amounts ga, verdict v WHERE g.id = ga.id AND v.problem IS NULL
      RETURNING g.id
    )
    SELECT v.problem, v.old_currency, v.new_currency, v.new_digits, u.program
    FROM verdict v LEFT JOIN updated u ON true
  `)
  const row = result.rows[0]
  if (row === undefined) throw new OperatorError(`No program with id ${id}.`)
  const target = { code: row.new_currency, digits: row.new_digits }
  switch (row.problem) {
    case 'currency_locked':
      throw new OperatorError(
        `Program ${id} already has referrals in ${row.old_currency}; its currency can no longer change.`
      )
    case 'min_payout_decimals':
      throw decimalsRefusal('min-payout', target)
    case 'min_payout_rescale':
      throw new OperatorError(
        `The minimum payout cannot be written in ${row.new_currency}; give --min-payout too.`
      )
    case 'group_amounts':
      throw new OperatorError(
        `A group of program ${id} has a reward that cannot be written in ${row.new_currency}; change it first (group update).`
      )
    case null:
      break
  }
  if (row.program === null) throw new OperatorError(`Program ${id} changed meanwhile; try again.`)
  return programOutput(row.program)
}

// `group create`: the reward flags of `group update` may be given too (admin/rewards.ts).
export async function createGroup(
  db: Db,
  program: string | undefined,
  name: string | undefined,
  terms: RewardFlags = {}
) {
  const programId = input.requireText(program, 'program')
  return insertGroup(db, {
    id: newId('grp'),
    programId,
    name: input.requireText(name, 'name'),
    flags: terms,
  })
}

export async function updateGroup(db: Db, g: RewardFlags & { id?: string }) {
  const { id, ...flags } = g
  return updateGroupTerms(db, { id: input.requireText(id, 'id'), flags })
}

export interface KeyInput {
  team?: string
  name?: string
  permissions?: string
  expires?: string
  env?: string
}

export async function createApiKey(db: Db, k: KeyInput) {
  const teamId = input.requireText(k.team, 'team')
  const environment = input.oneOf(k.env ?? DEFAULT_KEY_ENVIRONMENT, KEY_ENVIRONMENTS, 'env')
  const permissions =
    k.permissions === undefined
      ? [...DEFAULT_PERMISSIONS]
      : input.permissions(k.permissions, 'permissions')
  const expiresAt = k.expires === undefined ? null : input.isoDate(k.expires, 'expires')
  const generated = await generateApiKey(environment)
  const id = newId('key')
  try {
    await db.insert(apiKeys).values({
      id,
      teamId,
      name: k.name === undefined ? null : input.requireText(k.name, 'name'),
      digest: generated.digest,
      displayPrefix: generated.displayPrefix,
      permissions,
      expiresAt,
    })
  } catch (error) {
    explainConstraint(error, { api_keys_team_id_teams_id_fk: `No team with id ${teamId}.` })
  }
  return { id, key: generated.key }
}

export async function disableApiKey(db: Db, id: string | undefined) {
  const keyId = input.requireText(id, 'id')
  const [key] = await db
    .update(apiKeys)
    .set({ disabled: true })
    .where(eq(apiKeys.id, keyId))
    .returning({ id: apiKeys.id, disabled: apiKeys.disabled })
  if (key === undefined) throw new OperatorError(`No API key with id ${keyId}.`)
  return key
}

export async function createInvitation(
  db: Db,
  program: string | undefined,
  address: string | undefined
) {
  const programId = input.requireText(program, 'program')
  const emailAddress = input.email(address)
  try {
    const [invitation] = await db
      .insert(programInvitations)
      .values({ id: newId('inv'), programId, email: emailAddress })
      .returning({ id: programInvitations.id })
    return inserted(invitation, 'invitation')
  } catch (error) {
    explainConstraint(error, {
      program_invitations_program_id_programs_id_fk: `No program with id ${programId}.`,
      program_invitations_program_email_unique: `${emailAddress} is already invited to ${programId}.`,
    })
  }
}

export async function setAffiliateStatus(
  db: Db,
  a: { program?: string; email?: string; status?: string }
): Promise<Affiliate> {
  const programId = input.requireText(a.program, 'program')
  const emailAddress = input.email(a.email)
  const status = input.oneOf(
    input.requireText(a.status, 'status'),
    partnershipStatus.enumValues,
    'status'
  )
  const [affiliate] = await db
    .update(affiliates)
    .set({ status, updatedAt: new Date() })
    .where(
      and(
        eq(affiliates.programId, programId),
        eq(affiliates.userId, sql`(SELECT id FROM users WHERE email = ${emailAddress})`)
      )
    )
    .returning()
  if (affiliate === undefined) {
    throw new OperatorError(`No affiliate with email ${emailAddress} in program ${programId}.`)
  }
  return affiliate
}

// The demo key's permissions: embed tokens (affiliates) and the tracking routes (clicks and
// sign-ups, sales and refunds), so one key runs the example host app's whole loop.
export const DEMO_KEY_PERMISSIONS: readonly Permission[] = [
  PERMISSIONS.readAffiliates,
  PERMISSIONS.writeAffiliates,
  PERMISSIONS.writeReferrals,
  PERMISSIONS.writeCommissions,
]

// A demo tenant: a team, an active public program with its default group, and a live key.
export async function seed(
  db: Db,
  options: { website?: string; embedOrigins?: string; trackingOrigins?: string } = {}
) {
  const team = await createTeam(db, 'Demo team')
  const program = await createProgram(db, {
    team: team.id,
    name: 'Demo program',
    website: options.website ?? 'https://example.com',
    ...(options.embedOrigins === undefined ? {} : { embedOrigins: options.embedOrigins }),
    ...(options.trackingOrigins === undefined ? {} : { trackingOrigins: options.trackingOrigins }),
  })
  const key = await createApiKey(db, {
    team: team.id,
    name: 'Demo key',
    env: 'dev',
    permissions: DEMO_KEY_PERMISSIONS.join(','),
  })
  return {
    teamId: team.id,
    programId: program.id,
    groupId: program.defaultGroupId,
    apiKey: key.key,
  }
}
