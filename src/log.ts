import { DrizzleQueryError } from 'drizzle-orm'

// One shape for every log line: level, message, then fields. Identifiers only (request, team,
// key ids, error codes): never a key, a token or an email, since logs travel further than the
// database does.
export type LogLevel = 'info' | 'warn' | 'error'

export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, ...fields })
  if (level === 'error') console.error(line)
  else if (level === 'warn') console.warn(line)
  else console.log(line)
}

// What a log line keeps of an unexpected error: its name, message, SQLSTATE and cause.
// Drizzle's query errors carry the SQL and its parameters (emails among them), so for those
// only their cause, the database's own error, is kept.
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) }
  if (error instanceof DrizzleQueryError) return describeError(error.cause)
  const { code } = error as { code?: unknown }
  const cause = error.cause instanceof Error ? describeError(error.cause) : undefined
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(cause ? { cause } : {}),
  }
}
