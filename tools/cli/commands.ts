import * as ops from '../../src/admin/operations'
import type { Db } from '../../src/data/db'
import { allowOnly, UsageError } from './args'

type Command = { flags: string[]; run: (db: Db, f: Record<string, string>) => Promise<unknown> }

const programFlags = ['embedOrigins', 'logoUrl', 'primaryColor', 'backgroundColor']

// OPERATIONS.md's table, command by command.
export const commands: Record<string, Command> = {
  'team create': { flags: ['name'], run: (db, f) => ops.createTeam(db, f.name) },
  'program create': {
    flags: ['team', 'name', 'website', 'access', 'status', 'referralParam', ...programFlags],
    run: (db, f) => ops.createProgram(db, f),
  },
  'program update': {
    flags: ['id', 'status', 'access', 'website', 'name', ...programFlags],
    run: (db, f) => ops.updateProgram(db, f),
  },
  'group create': { flags: ['program', 'name'], run: (db, f) => ops.createGroup(db, f.program, f.name) },
  'key create': {
    flags: ['team', 'name', 'permissions', 'expires', 'env'],
    run: (db, f) => ops.createApiKey(db, f),
  },
  'key disable': { flags: ['id'], run: (db, f) => ops.disableApiKey(db, f.id) },
  'invite create': {
    flags: ['program', 'email'],
    run: (db, f) => ops.createInvitation(db, f.program, f.email),
  },
  'affiliate set-status': {
    flags: ['program', 'email', 'status'],
    run: (db, f) => ops.setAffiliateStatus(db, f),
  },
  seed: { flags: [], run: (db) => ops.seed(db) },
}

export const USAGE = `Usage: npm run admin -- <resource> <verb> [--flag value …]
Commands:
  team create --name N
  program create --team T --name N --website URL [--access public|private|invite] [--status active|inactive] [--referral-param via] [--embed-origins a,b]
  program update --id P [--status …] [--access …] [--website URL] [--name N] [--embed-origins a,b]
  group create --program P --name N
  key create --team T [--name N] [--permissions a,b] [--expires ISO-8601] [--env live|dev]
  key disable --id K
  invite create --program P --email E
  affiliate set-status --program P --email E --status APPROVED|PENDING|REJECTED|SUSPENDED
  seed`

export function findCommand(resource: string | undefined, verb: string | undefined): Command {
  const name = resource === 'seed' && verb === undefined ? 'seed' : `${resource} ${verb}`
  const command = commands[name]
  if (command === undefined) {
    throw new UsageError(resource === undefined ? USAGE : `Unknown command "${name.trim()}".\n${USAGE}`)
  }
  return command
}

export function checkFlags(command: Command, flags: Record<string, string>) {
  allowOnly(flags, command.flags)
}
