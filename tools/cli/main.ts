import { OperatorError } from '../../src/admin/operator-error'
import { toApiError } from '../../src/data/database-errors'
import { parseArgs, UsageError } from './args'
import { checkFlags, findCommand, USAGE, wantsHelp } from './commands'
import { connect } from './connect'

// On success one JSON object on stdout and exit 0; on failure one sentence on stderr and a
// non-zero exit (2 for a usage mistake, 1 for anything else). Asked for help, the usage on
// stdout and exit 0.
async function main(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  try {
    const { resource, verb, flags } = parseArgs(argv)
    const command = findCommand(resource, verb)
    checkFlags(command, flags)
    const db = await connect()
    const result = await command.run(db, flags)
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return 0
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`)
      return 2
    }
    if (error instanceof OperatorError) {
      process.stderr.write(`${error.message}\n`)
      return 1
    }
    const apiError = toApiError(error)
    process.stderr.write(
      apiError.code === 'DATABASE_UNAVAILABLE'
        ? 'The database is unreachable; nothing was changed.\n'
        : `Failed: ${error instanceof Error ? error.message : String(error)}\n`
    )
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
