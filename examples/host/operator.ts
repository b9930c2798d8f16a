import { OperatorError } from '../../src/admin/operator-error'
import type { PayoutOutput } from '../../src/admin/payouts'
import type { Db } from '../../src/data/db'
import { toApiError } from '../../src/data/database-errors'
import { parseArgs, UsageError } from '../../tools/cli/args'
import { checkFlags, findCommand } from '../../tools/cli/commands'
import { money } from './tracking'

// The operator's part of the loop: paying affiliates. A host app has no part in it: its API key
// cannot create or pay a payout (the service has no payout route), and should not. In production
// the operator types `npm run admin -- payout create | mark-paid | cancel | list` against the
// service's database. So that the whole loop fits on one screen, this demo server runs those very
// commands for its "Operator" panel: the CLI's argument parsing, command table and database
// access (tools/cli), never SQL or arithmetic of its own. The browser picks the command; this
// server fills in the program and group it was configured with, so a page cannot name others.

// How the operator reaches the database: the CLI's `connect` (config.ts), or a test's own.
export type OperatorDb = () => Promise<Db>

// What one command did, for the page to show.
export interface OperatorOutcome {
  // The command line the operator would type.
  command: string
  ok: boolean
  // The JSON object the CLI prints on success (null on failure).
  printed: unknown
  // One sentence: what happened, or the CLI's own sentence on failure.
  text: string
  // `payout list` after the command, newest first, for the panel's table (null if it failed).
  payouts: PayoutOutput[] | null
}

// `value` as a shell word, so the command shown can be pasted as it is.
const shellWord = (value: string) =>
  /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`

export const commandLine = (argv: string[]) => `npm run admin -- ${argv.map(shellWord).join(' ')}`

type Run = { ok: true; printed: unknown } | { ok: false; error: string }

// tools/cli/main.ts without the process: the same steps, the same sentences on failure.
async function runCli(connect: OperatorDb, argv: string[]): Promise<Run> {
  try {
    const { resource, verb, flags } = parseArgs(argv)
    const command = findCommand(resource, verb)
    checkFlags(command, flags)
    return { ok: true, printed: await command.run(await connect(), flags) }
  } catch (error) {
    if (error instanceof UsageError || error instanceof OperatorError)
      return { ok: false, error: error.message }
    if (toApiError(error).code === 'DATABASE_UNAVAILABLE')
      return { ok: false, error: 'The database is unreachable; nothing was changed.' }
    return { ok: false, error: `Failed: ${error instanceof Error ? error.message : String(error)}` }
  }
}

const describePayout = (p: PayoutOutput) =>
  `${p.id}: ${money(p.amount, p.currency)} for affiliate ${p.affiliateId}, ${p.commissions} commission${p.commissions === 1 ? '' : 's'}, ${p.status}${p.reference === null ? '' : ` (reference ${p.reference})`}`

const payoutsOf = (printed: unknown) => (printed as { payouts: PayoutOutput[] }).payouts

// The panel's commands, each with the sentence that says what its output means.
export const OPERATOR_ACTIONS = {
  'payout-create': {
    argv: (c: OperatorTarget) => ['payout', 'create', '--program', c.programId],
    describe: (printed: unknown) => {
      const created = payoutsOf(printed)
      if (created.length === 0)
        return "No payout created: no affiliate's approved commissions in no payout yet, clawbacks included, add up to more than zero and reach the minimum payout. A held commission waits for its hold to end; a clawback waits for later earnings to net it against."
      return `Created ${created.length} pending payout${created.length === 1 ? '' : 's'}: ${created.map(describePayout).join('; ')}. No money moved: paying is the operator's job, then "mark-paid".`
    },
  },
  'payout-mark-paid': {
    argv: (c: OperatorTarget) => [
      'payout',
      'mark-paid',
      '--id',
      c.payoutId ?? '',
      '--reference',
      c.reference ?? '',
    ],
    describe: (printed: unknown) =>
      `Marked paid: ${describePayout(printed as PayoutOutput)}. Its commissions are paid; a refund of their sales now adds a clawback.`,
  },
  'payout-list': {
    argv: (c: OperatorTarget) => ['payout', 'list', '--program', c.programId],
    describe: (printed: unknown) => {
      const all = payoutsOf(printed)
      return all.length === 0 ? 'No payouts yet.' : all.map(describePayout).join('; ')
    },
  },
  'hold-zero': {
    argv: (c: OperatorTarget) => ['group', 'update', '--id', c.groupId ?? '', '--hold-days', '0'],
    describe: (printed: unknown) => {
      const g = printed as { id: string; holdDays: number }
      return `Group ${g.id} now holds new commissions ${g.holdDays} days: they are approved, and can be paid, as soon as they are recorded. Referrals made before keep the terms they were made under (rate lock).`
    },
  },
} as const

export type OperatorAction = keyof typeof OPERATOR_ACTIONS

export const isOperatorAction = (name: string): name is OperatorAction =>
  Object.hasOwn(OPERATOR_ACTIONS, name)

// What a command is run on: the configured program and group, and what the page chose.
export interface OperatorTarget {
  programId: string
  groupId: string | null
  payoutId?: string
  reference?: string
}

export async function operate(
  connect: OperatorDb,
  action: OperatorAction,
  target: OperatorTarget
): Promise<OperatorOutcome> {
  const { argv, describe } = OPERATOR_ACTIONS[action]
  const words = argv(target)
  const command = commandLine(words)
  const run = await runCli(connect, words)
  // The panel's table: what `payout list` prints after the command.
  const listed =
    action === 'payout-list' && run.ok
      ? run
      : await runCli(connect, OPERATOR_ACTIONS['payout-list'].argv(target))
  const payouts = listed.ok ? payoutsOf(listed.printed) : null
  if (!run.ok) return { command, ok: false, printed: null, text: run.error, payouts }
  return { command, ok: true, printed: run.printed, text: describe(run.printed), payouts }
}
