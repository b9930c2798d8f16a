import { type SQL, sql } from 'drizzle-orm'
import type { Db } from '../data/db'
import { type rewardDuration, rewardType } from '../data/schema'
import { minorToMajor, parsePercent } from '../domain/money'
import * as input from './inputs'
import { OperatorError } from './operator-error'

// A group's reward terms (docs/TRACKING.md, "Rewards (per group)") as the operator sets them.
// Amounts are typed in major units of the program's currency and stored in minor units with the
// digits stored with the program (programs.currency_digits), never with Intl's digits at the
// time of reading: Node and workerd disagree on a few currencies. The conversion therefore runs
// in the statement that reads those digits, in exact numeric arithmetic.

// A group's terms when no flag says otherwise: the column defaults of `groups`.
export const GROUP_DEFAULTS = {
  rewardType: 'percentage',
  basisPoints: 2000,
  rewardDuration: 'forever',
  holdDays: 30,
} as const

export const MAX_REWARD_MONTHS = 120
export const MAX_HOLD_DAYS = 365

type RewardType = (typeof rewardType.enumValues)[number]
type RewardDuration = (typeof rewardDuration.enumValues)[number]

// What the operator typed; every flag optional.
export interface RewardFlags {
  rewardType?: string
  rewardAmount?: string
  rewardDuration?: string
  holdDays?: string
  leadReward?: string
}

export const REWARD_FIELDS = [
  'rewardType',
  'rewardAmount',
  'rewardDuration',
  'holdDays',
  'leadReward',
] as const satisfies readonly (keyof RewardFlags)[]

// The flags read, as far as that is possible without the group and its program: whether
// `--reward-amount` is a percentage or an amount depends on the group's type when the flag
// leaves it out, and its decimals on the program's currency.
interface RewardChanges {
  type: RewardType | null
  amountGiven: boolean
  basisPoints: number | null
  percentProblem: string | null
  // The amount as decimal text in major units when it is a valid money amount.
  fixedText: string | null
  fixedProblem: string | null
  duration: RewardDuration | null
  months: number | null
  holdDays: number | null
  leadText: string | null
  leadNone: boolean
}

function attempt(read: () => string): { text: string | null; problem: string | null } {
  try {
    return { text: read(), problem: null }
  } catch (error) {
    if (error instanceof OperatorError) return { text: null, problem: error.message }
    throw error
  }
}

function readRewardFlags(f: RewardFlags): RewardChanges {
  const type =
    f.rewardType === undefined
      ? null
      : input.oneOf(f.rewardType.trim(), rewardType.enumValues, 'reward-type')
  let basisPoints: number | null = null
  let percentProblem: string | null = null
  let fixed: { text: string | null; problem: string | null } = { text: null, problem: null }
  if (f.rewardAmount !== undefined) {
    const percent = parsePercent(f.rewardAmount)
    if (percent.ok) basisPoints = percent.basisPoints
    else percentProblem = `--reward-amount ${percent.problem} for a percentage reward.`
    const amount = f.rewardAmount
    fixed = attempt(() => input.majorAmount(amount, 'reward-amount'))
  }
  let duration: RewardDuration | null = null
  let months: number | null = null
  if (f.rewardDuration !== undefined) {
    const text = f.rewardDuration.trim()
    const match = /^months:(\d{1,4})$/.exec(text)
    if (text === 'once' || text === 'forever') {
      duration = text
    } else if (match && Number(match[1]) >= 1 && Number(match[1]) <= MAX_REWARD_MONTHS) {
      duration = 'months'
      months = Number(match[1])
    } else {
      throw new OperatorError(
        `--reward-duration must be once, forever or months:N with N from 1 to ${MAX_REWARD_MONTHS}.`
      )
    }
  }
  const holdDays =
    f.holdDays === undefined ? null : input.wholeNumber(f.holdDays, 'hold-days', 0, MAX_HOLD_DAYS)
  const leadNone = f.leadReward?.trim() === 'none'
  const leadText =
    f.leadReward === undefined || leadNone ? null : input.majorAmount(f.leadReward, 'lead-reward')
  return {
    type,
    amountGiven: f.rewardAmount !== undefined,
    basisPoints,
    percentProblem,
    fixedText: fixed.text,
    fixedProblem: fixed.problem,
    duration,
    months,
    holdDays,
    leadText,
    leadNone,
  }
}

// `text` major units as minor units at `digits` (a SQL expression); not a whole number when the
// text has more decimals than the currency.
const scaled = (text: string | null, digits: SQL) =>
  sql`(${text}::numeric * power(10::numeric, ${digits}))`

// The statement part shared by `group create` and `group update`: from `base` (one row with the
// group's id, program_id, name, the program's currency and digits, and the terms so far as
// old_*), the new terms and whether they may be stored (`valid`).
function newTerms(c: RewardChanges): SQL {
  return sql`
    amounts AS (
      SELECT b.*,
        coalesce(${c.type}::reward_type, b.old_type) AS new_type,
        ${scaled(c.fixedText, sql`b.digits`)} AS fixed_scaled,
        ${scaled(c.leadText, sql`b.digits`)} AS lead_scaled
      FROM base b
    ),
    target AS (
      SELECT a.*,
        CASE WHEN a.new_type = 'percentage' THEN coalesce(${c.basisPoints}::int, a.old_bp)
          ELSE a.old_bp END AS new_bp,
        CASE WHEN a.new_type = 'percentage' THEN NULL
          WHEN a.fixed_scaled IS NOT NULL THEN
            CASE WHEN a.fixed_scaled = trunc(a.fixed_scaled) THEN a.fixed_scaled::bigint END
          WHEN ${c.amountGiven}::boolean THEN NULL
          ELSE a.old_fixed END AS new_fixed,
        coalesce(${c.duration}::reward_duration, a.old_duration) AS new_duration,
        CASE WHEN ${c.duration}::reward_duration IS NULL THEN a.old_months
          ELSE ${c.months}::smallint END AS new_months,
        coalesce(${c.holdDays}::smallint, a.old_hold) AS new_hold,
        CASE WHEN ${c.leadNone}::boolean THEN NULL
          WHEN a.lead_scaled IS NULL THEN a.old_lead
          WHEN a.lead_scaled = trunc(a.lead_scaled) THEN a.lead_scaled::bigint END AS new_lead,
        (a.fixed_scaled IS NULL OR a.fixed_scaled = trunc(a.fixed_scaled)) AS fixed_fits,
        (a.lead_scaled IS NULL OR a.lead_scaled = trunc(a.lead_scaled)) AS lead_fits
      FROM amounts a
    ),
    verdict AS (
      SELECT t.*,
        t.lead_fits AND CASE WHEN t.new_type = 'percentage'
          THEN NOT ${c.amountGiven}::boolean OR ${c.basisPoints}::int IS NOT NULL
          ELSE t.new_fixed IS NOT NULL END AS valid
      FROM target t
    )`
}

// The columns the statements return: bigints as text, so they never pass through a double.
const verdictColumns = sql`v.id, v.program_id, v.name, v.currency, v.digits, v.old_fixed::text,
  v.new_type, v.new_bp, v.new_fixed::text, v.new_duration, v.new_months, v.new_hold,
  v.new_lead::text, v.fixed_fits, v.lead_fits, v.valid`

interface VerdictRow extends Record<string, unknown> {
  id: string
  program_id: string
  name: string
  currency: string
  digits: number
  old_fixed: string | null
  new_type: RewardType
  new_bp: number
  new_fixed: string | null
  new_duration: RewardDuration
  new_months: number | null
  new_hold: number
  new_lead: string | null
  fixed_fits: boolean
  lead_fits: boolean
  valid: boolean
  done: boolean
}

// Why the terms could not be stored, as the sentence for the operator.
function refusal(row: VerdictRow, c: RewardChanges): OperatorError {
  const decimals = (flag: string) =>
    new OperatorError(
      row.digits === 0
        ? `--${flag} must be a whole number for ${row.currency}.`
        : `--${flag} must have at most ${row.digits} decimals for ${row.currency}.`
    )
  if (!row.lead_fits) return decimals('lead-reward')
  if (row.new_type === 'percentage') {
    return new OperatorError(c.percentProblem ?? '--reward-amount is not a percentage.')
  }
  if (!c.amountGiven) {
    return new OperatorError(
      `A fixed reward needs --reward-amount, the amount per sale in ${row.currency}.`
    )
  }
  if (c.fixedProblem !== null) return new OperatorError(c.fixedProblem)
  if (!row.fixed_fits) return decimals('reward-amount')
  return new OperatorError('The reward terms were refused.')
}

// `text` (valid major units, from inputs.majorAmount) in minor units, or undefined when it has
// more decimals than `digits`.
export function majorToMinor(text: string, digits: number): bigint | undefined {
  const [whole = '0', fraction = ''] = text.split('.')
  if (fraction.replace(/0+$/, '').length > digits) return undefined
  return BigInt(`${whole}${fraction.padEnd(digits, '0')}`)
}

// The terms as the CLI prints them: amounts in major units, the duration as typed.
export interface RewardTerms {
  rewardType: RewardType
  rewardAmount: number
  rewardDuration: string
  holdDays: number
  leadReward: number | null
}

function terms(row: VerdictRow): RewardTerms {
  return {
    rewardType: row.new_type,
    rewardAmount:
      row.new_type === 'percentage'
        ? row.new_bp / 100
        : minorToMajor(BigInt(row.new_fixed ?? 0), row.digits),
    rewardDuration: row.new_duration === 'months' ? `months:${row.new_months}` : row.new_duration,
    holdDays: row.new_hold,
    leadReward: row.new_lead === null ? null : minorToMajor(BigInt(row.new_lead), row.digits),
  }
}

export interface GroupOutput extends RewardTerms {
  id: string
  programId: string
  name: string
  currency: string
}

// `group create`: one INSERT … SELECT from the program, so the amounts are converted with its
// stored digits; no row from the program means there is no such program.
export async function insertGroup(
  db: Db,
  g: { id: string; programId: string; name: string; flags: RewardFlags }
): Promise<{ id: string }> {
  const c = readRewardFlags(g.flags)
  const result = await db.execute<VerdictRow>(sql`
    WITH base AS (
      SELECT ${g.id}::text AS id, p.id AS program_id, ${g.name}::text AS name, p.currency,
        p.currency_digits AS digits,
        ${GROUP_DEFAULTS.rewardType}::reward_type AS old_type,
        ${GROUP_DEFAULTS.basisPoints}::int AS old_bp,
        NULL::bigint AS old_fixed,
        ${GROUP_DEFAULTS.rewardDuration}::reward_duration AS old_duration,
        NULL::smallint AS old_months,
        ${GROUP_DEFAULTS.holdDays}::smallint AS old_hold,
        NULL::bigint AS old_lead
      FROM programs p WHERE p.id = ${g.programId}
    ),
    ${newTerms(c)},
    inserted AS (
      INSERT INTO groups (id, program_id, name, reward_type, reward_basis_points,
        reward_fixed_minor, reward_duration, reward_months, hold_days, lead_reward_minor)
      SELECT v.id, v.program_id, v.name, v.new_type, v.new_bp, v.new_fixed, v.new_duration,
        v.new_months, v.new_hold, v.new_lead
      FROM verdict v WHERE v.valid
      RETURNING id
    )
    SELECT ${verdictColumns}, EXISTS (SELECT 1 FROM inserted) AS done FROM verdict v
  `)
  const row = result.rows[0]
  if (row === undefined) throw new OperatorError(`No program with id ${g.programId}.`)
  if (!row.done) throw refusal(row, c)
  return { id: row.id }
}

// `group update`: one UPDATE that writes all the terms together, so the table's checks (a fixed
// amount exactly when the type is fixed, months exactly when the duration is months) hold.
export async function updateGroup(
  db: Db,
  g: { id: string; flags: RewardFlags }
): Promise<GroupOutput> {
  const given = REWARD_FIELDS.filter((field) => g.flags[field] !== undefined)
  if (given.length === 0) {
    const flags = REWARD_FIELDS.map(input.flagName).join(', ')
    throw new OperatorError(`Nothing to update: give at least one of ${flags}.`)
  }
  const c = readRewardFlags(g.flags)
  const result = await db.execute<VerdictRow>(sql`
    WITH base AS (
      SELECT g.id, g.program_id, g.name, p.currency, p.currency_digits AS digits,
        g.reward_type AS old_type, g.reward_basis_points AS old_bp,
        g.reward_fixed_minor AS old_fixed, g.reward_duration AS old_duration,
        g.reward_months AS old_months, g.hold_days AS old_hold, g.lead_reward_minor AS old_lead
      FROM groups g JOIN programs p ON p.id = g.program_id
      WHERE g.id = ${g.id}
      FOR UPDATE OF g
    ),
    ${newTerms(c)},
    updated AS (
      UPDATE groups g SET reward_type = v.new_type, reward_basis_points = v.new_bp,
        reward_fixed_minor = v.new_fixed, reward_duration = v.new_duration,
        reward_months = v.new_months, hold_days = v.new_hold, lead_reward_minor = v.new_lead
      FROM verdict v WHERE g.id = v.id AND v.valid
      RETURNING g.id
    )
    SELECT ${verdictColumns}, EXISTS (SELECT 1 FROM updated) AS done FROM verdict v
  `)
  const row = result.rows[0]
  if (row === undefined) throw new OperatorError(`No group with id ${g.id}.`)
  if (!row.done) throw refusal(row, c)
  return {
    id: row.id,
    programId: row.program_id,
    name: row.name,
    currency: row.currency,
    ...terms(row),
  }
}
