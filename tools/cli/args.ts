import { flagName } from '../../src/admin/inputs'

// `<resource> <verb> [--flag value …]`: flags are kebab-case on the command line and read
// camelCase by the commands (`--referral-param` → referralParam).
export interface ParsedArgs {
  resource: string | undefined
  verb: string | undefined
  flags: Record<string, string>
}

export class UsageError extends Error {
  override name = 'UsageError'
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = []
  const flags: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === undefined) break
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
    if (!/^[a-z][a-z-]*$/.test(name)) throw new UsageError(`"${arg}" is not a flag.`)
    if (value === undefined || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value.`)
    }
    if (Object.hasOwn(flags, camel(name))) throw new UsageError(`--${name} is given twice.`)
    flags[camel(name)] = value
  }
  if (positional.length > 2) throw new UsageError(`Unexpected argument "${positional[2]}".`)
  return { resource: positional[0], verb: positional[1], flags }
}

// Refuses flags a command does not know, so a typo is never silently ignored.
export function allowOnly(flags: Record<string, string>, allowed: string[]): void {
  for (const name of Object.keys(flags)) {
    if (!allowed.includes(name))
      throw new UsageError(`Unknown flag ${flagName(name)} for this command.`)
  }
}
