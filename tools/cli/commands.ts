import { flagName } from '../../src/admin/inputs'
import * as ops from '../../src/admin/operations'
import * as payouts from '../../src/admin/payouts'
import {
  GROUP_DEFAULTS,
  MAX_HOLD_DAYS,
  MAX_REWARD_MONTHS,
  REWARD_FIELDS,
} from '../../src/admin/rewards'
import type { Db } from '../../src/data/db'
import { accessMode, partnershipStatus, programStatus, rewardType } from '../../src/data/schema'
import { payoutStatus } from '../../src/data/tracking-schema'
import { ALL_PERMISSIONS } from '../../src/domain/permissions'
import { allowOnly, UsageError } from './args'

// A flag by the name the command reads (camelCase: referralParam is --referral-param), the
// placeholder or the allowed values shown after it, and one line of help.
export interface Flag {
  name: string
  value: string
  help: string
  required: boolean
  default?: string
}

export interface Command {
  summary: string
  flags: Flag[]
  run: (db: Db, f: Record<string, string>) => Promise<unknown>
}

type FlagText = Pick<Flag, 'value' | 'help'>

const required = (name: string, text: FlagText): Flag => ({ name, ...text, required: true })
const optional = (name: string, text: FlagText, byDefault?: string): Flag => ({
  name,
  ...text,
  required: false,
  default: byDefault,
})
const choices = (values: readonly string[]) => values.join('|')

// A program's settings, shared by `program create` and `program update`.
const program: Record<Exclude<keyof ops.ProgramInput, 'team'>, FlagText> = {
  name: { value: 'N', help: "the program's name" },
  website: { value: 'URL', help: 'where referral links lead (http or https)' },
  access: {
    value: choices(accessMode.enumValues),
    help: 'who may join: anyone, on approval, or by invitation',
  },
  status: {
    value: choices(programStatus.enumValues),
    help: 'an inactive program issues no tokens',
  },
  referralParam: { value: 'P', help: 'the query parameter of referral links' },
  embedOrigins: { value: 'ORIGIN,…', help: 'the origins allowed to frame the dashboard' },
  logoUrl: { value: 'URL', help: 'the logo the dashboard shows' },
  primaryColor: { value: '#RRGGBB', help: "the dashboard's accent colour" },
  backgroundColor: { value: '#RRGGBB', help: "the dashboard's background colour" },
  currency: {
    value: 'XXX',
    help: 'ISO 4217 code of every amount; fixed once the program has referrals',
  },
  minPayout: {
    value: 'N',
    help: 'the least a payout may be, in major units of the currency (50 or 12.50)',
  },
  cookieDays: {
    value: 'N',
    help: `how long a click counts, 1 to ${ops.MAX_COOKIE_DAYS} days`,
  },
  trackingOrigins: {
    value: 'ORIGIN,…',
    help: 'the origins whose pages may record clicks with the tracking script',
  },
}
const programId = { value: 'P', help: "the program's id (prog_…)" }

// A group's reward terms, shared by `group create` and `group update`.
const reward: Record<(typeof REWARD_FIELDS)[number], FlagText> = {
  rewardType: {
    value: choices(rewardType.enumValues),
    help: 'a percentage of each sale, or a fixed amount per sale',
  },
  rewardAmount: {
    value: 'N',
    help: "the percentage (0 to 100, up to 2 decimals) or the amount in the program's currency",
  },
  rewardDuration: {
    value: 'D',
    help: `which sales of a referral earn: once (its first), forever, or months:N (those within N months of its first, N from 1 to ${MAX_REWARD_MONTHS})`,
  },
  holdDays: {
    value: 'N',
    help: `days a commission is held before it can be paid, 0 to ${MAX_HOLD_DAYS}`,
  },
  leadReward: {
    value: 'N|none',
    help: "an amount in the program's currency per new referral (sign-up)",
  },
}
const rewardDefaults: Record<(typeof REWARD_FIELDS)[number], string> = {
  rewardType: GROUP_DEFAULTS.rewardType,
  rewardAmount: `${GROUP_DEFAULTS.basisPoints / 100}`,
  rewardDuration: GROUP_DEFAULTS.rewardDuration,
  holdDays: `${GROUP_DEFAULTS.holdDays}`,
  leadReward: 'none',
}
const payoutId = { value: 'X', help: "the payout's id (pay_…)" }
const defaultPermissions = ALL_PERMISSIONS.every((p) => ops.DEFAULT_PERMISSIONS.includes(p))
  ? 'all of them'
  : ops.DEFAULT_PERMISSIONS.join(',')

// The commands of docs/OPERATIONS.md, with every flag each one takes; USAGE is made from them.
export const commands: Record<string, Command> = {
  'team create': {
    summary: 'Creates a team. Prints {"id"}.',
    flags: [required('name', { value: 'N', help: "the team's name" })],
    run: (db, f) => ops.createTeam(db, f.name),
  },
  'program create': {
    summary: 'Creates a program and its default group. Prints {"id","defaultGroupId"}.',
    flags: [
      required('team', { value: 'T', help: 'the team that owns it (team_…)' }),
      required('name', program.name),
      required('website', program.website),
      optional('access', program.access, ops.PROGRAM_DEFAULTS.access),
      optional('status', program.status, ops.PROGRAM_DEFAULTS.status),
      optional('referralParam', program.referralParam, ops.PROGRAM_DEFAULTS.referralParam),
      optional('embedOrigins', program.embedOrigins, 'none'),
      optional('logoUrl', program.logoUrl),
      optional('primaryColor', program.primaryColor),
      optional('backgroundColor', program.backgroundColor),
      optional('currency', program.currency, ops.PROGRAM_DEFAULTS.currency),
      optional('minPayout', program.minPayout, ops.PROGRAM_DEFAULTS.minPayout),
      optional('cookieDays', program.cookieDays, `${ops.PROGRAM_DEFAULTS.cookieDays}`),
      optional('trackingOrigins', program.trackingOrigins, 'none'),
    ],
    run: (db, f) => ops.createProgram(db, f),
  },
  'program update': {
    summary: 'Changes the settings given, at least one. Prints the program.',
    flags: [
      required('id', programId),
      ...ops.PROGRAM_UPDATE_FIELDS.map((field) => optional(field, program[field])),
    ],
    run: (db, f) => ops.updateProgram(db, f),
  },
  'group create': {
    summary: 'Creates a group in a program, with its reward terms. Prints {"id"}.',
    flags: [
      required('program', programId),
      required('name', { value: 'N', help: "the group's name" }),
      ...REWARD_FIELDS.map((name) => optional(name, reward[name], rewardDefaults[name])),
    ],
    run: (db, f) => {
      const { program: p, name, ...terms } = f
      return ops.createGroup(db, p, name, terms)
    },
  },
  'group update': {
    summary: "Changes a group's reward terms; existing referrals keep theirs. Prints the group.",
    flags: [
      required('id', { value: 'G', help: "the group's id (grp_…)" }),
      ...REWARD_FIELDS.map((name) => optional(name, reward[name])),
    ],
    run: (db, f) => ops.updateGroup(db, f),
  },
  'key create': {
    summary: 'Creates an API key. Prints {"id","key"}, the only time the key is shown.',
    flags: [
      required('team', { value: 'T', help: 'the team the key belongs to (team_…)' }),
      optional('name', { value: 'N', help: 'a label for the key' }),
      optional(
        'permissions',
        { value: 'P,…', help: `one or more of ${ALL_PERMISSIONS.join(', ')}` },
        defaultPermissions
      ),
      optional(
        'expires',
        { value: 'ISO-8601', help: 'expiry time, e.g. 2027-01-31T00:00:00Z' },
        'never'
      ),
      optional(
        'env',
        { value: choices(ops.KEY_ENVIRONMENTS), help: 'an sk_live_ or an sk_dev_ key' },
        ops.DEFAULT_KEY_ENVIRONMENT
      ),
    ],
    run: (db, f) => ops.createApiKey(db, f),
  },
  'key disable': {
    summary: 'Disables an API key for good. Prints {"id","disabled":true}.',
    flags: [required('id', { value: 'K', help: "the key's id (key_…)" })],
    run: (db, f) => ops.disableApiKey(db, f.id),
  },
  'invite create': {
    summary: 'Invites an email address to a program. Prints {"id"}.',
    flags: [
      required('program', programId),
      required('email', { value: 'E', help: 'the address to invite' }),
    ],
    run: (db, f) => ops.createInvitation(db, f.program, f.email),
  },
  'affiliate set-status': {
    summary: "Sets an affiliate's partnership status. Prints the affiliate.",
    flags: [
      required('program', programId),
      required('email', { value: 'E', help: "the affiliate's email address" }),
      required('status', {
        value: 'S',
        help: `the new status: ${partnershipStatus.enumValues.join(', ')}`,
      }),
    ],
    run: (db, f) => ops.setAffiliateStatus(db, f),
  },
  'payout create': {
    summary: 'Gathers what each affiliate may be paid into pending payouts. Prints {"payouts"}.',
    flags: [required('program', programId)],
    run: (db, f) => payouts.createPayouts(db, f),
  },
  'payout mark-paid': {
    summary: 'Records that a pending payout was paid, and its commissions. Prints the payout.',
    flags: [
      required('id', payoutId),
      required('reference', { value: 'R', help: 'your reference of the payment' }),
    ],
    run: (db, f) => payouts.markPayoutPaid(db, f),
  },
  'payout cancel': {
    summary: 'Cancels a pending payout and releases its commissions. Prints the payout.',
    flags: [required('id', payoutId)],
    run: (db, f) => payouts.cancelPayout(db, f),
  },
  'payout list': {
    summary: 'Lists a program\'s payouts, newest first. Prints {"payouts"}.',
    flags: [
      required('program', programId),
      optional(
        'status',
        { value: 'S', help: `only payouts in this status: ${payoutStatus.enumValues.join(', ')}` },
        'all'
      ),
    ],
    run: (db, f) => payouts.listPayouts(db, f),
  },
  seed: {
    summary:
      'Creates a demo team, program and API key. Prints {"teamId","programId","groupId","apiKey"}.',
    flags: [],
    run: (db) => ops.seed(db),
  },
}

// Lines stay within WIDTH characters; the flags' help starts at one column for all commands,
// past all but the longest flags.
const WIDTH = 100
const FLAG_COLUMN = 30

// Words laid out in lines of at most `width` characters (a longer word gets a line of its own).
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  return [...lines, line]
}

function flagLines(flag: Flag): string[] {
  const marker = flag.required ? 'required' : 'optional'
  const help = flag.default === undefined ? flag.help : `${flag.help}; default ${flag.default}`
  const prefix = `  ${`${flagName(flag.name)} ${flag.value}`.padEnd(FLAG_COLUMN)}  ${marker}  `
  const [first, ...rest] = wrap(help, WIDTH - prefix.length)
  return [`${prefix}${first}`, ...rest.map((line) => `${' '.repeat(prefix.length)}${line}`)]
}

// The help text, made from the table so that it lists every flag there is.
function usage(): string {
  const lines = [
    'Usage: npm run admin -- <resource> <verb> [--flag value …]',
    '       npm run admin -- help',
    '',
    'On success one JSON object on stdout; on failure one sentence on stderr and a non-zero exit.',
  ]
  for (const [name, command] of Object.entries(commands)) {
    lines.push('', `${name}: ${command.summary}`, ...command.flags.flatMap(flagLines))
  }
  return lines.join('\n')
}

export const USAGE = usage()

// `help`, `--help` or `-h` anywhere: the usage on stdout, and nothing else runs.
export function wantsHelp(argv: string[]): boolean {
  return (argv.length === 1 && argv[0] === 'help') || argv.includes('--help') || argv.includes('-h')
}

export function findCommand(resource: string | undefined, verb: string | undefined): Command {
  const name = [resource, verb].filter((word) => word !== undefined).join(' ')
  const command = commands[name]
  if (command === undefined) {
    throw new UsageError(resource === undefined ? USAGE : `Unknown command "${name}".\n${USAGE}`)
  }
  return command
}

export function checkFlags(command: Command, flags: Record<string, string>) {
  allowOnly(
    flags,
    command.flags.map((flag) => flag.name)
  )
}
