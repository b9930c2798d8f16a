// The contract between the HTTP front (server.ts) and the two database back ends. Everything here
// is text in, text out: the Neon driver parses values itself from PostgreSQL's text output, so an
// engine must never let its own client library turn cells into JS values.

export type IsolationLevel = 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable'

export const ISOLATION_LEVELS: readonly IsolationLevel[] = [
  'ReadUncommitted',
  'ReadCommitted',
  'RepeatableRead',
  'Serializable',
]

export interface BatchOptions {
  isolationLevel?: IsolationLevel
  readOnly?: boolean
  deferrable?: boolean
}

export interface StatementInput {
  query: string
  // Already serialised by the driver (pg's prepareValue): text or SQL NULL.
  params: (string | null)[]
}

// Column metadata in the shape of node-postgres' FieldDef, which is what Neon returns.
export interface RawField {
  name: string
  dataTypeID: number
  tableID: number
  columnID: number
  dataTypeSize: number
  dataTypeModifier: number
  format: 'text'
}

export interface RawResult {
  // First word of the command tag ("SELECT", "INSERT", "CREATE"), "" for an empty query.
  command: string
  // Row count from the command tag, null when the tag carries none (e.g. CREATE TABLE).
  rowCount: number | null
  fields: RawField[]
  // One array per row, one PostgreSQL text value (or null) per field.
  rows: (string | null)[][]
}

export interface SqlEngine {
  kind: 'pglite' | 'postgres'
  // One statement over the extended protocol, on a clean session.
  query(sql: string, params: (string | null)[]): Promise<RawResult>
  // All statements in one transaction; the first failure rolls everything back and is thrown.
  batch(queries: StatementInput[], opts: BatchOptions): Promise<RawResult[]>
  // Multi-statement script over the simple protocol: for setup and migrations from Node only.
  exec(script: string): Promise<void>
  close(): Promise<void>
}

// Run after every request: what DISCARD ALL does, less DISCARD PLANS. The next request finds
// the settings, cursors, prepared statements, temp tables and advisory locks of a new connection,
// while the server keeps its cached plans (PL/pgSQL's among them) warm, as on a connection that
// Neon's pool hands out again: Neon returns an idle connection to its pool as it is.
export const RESET_SESSION_SQL = [
  'CLOSE ALL',
  'SET SESSION AUTHORIZATION DEFAULT',
  'RESET ALL',
  'DEALLOCATE ALL',
  'UNLISTEN *',
  'SELECT pg_advisory_unlock_all()',
  'DISCARD TEMP',
  'DISCARD SEQUENCES',
].join('; ')

// The error fields PostgreSQL reports, under the names node-postgres and the Neon driver use.
export const POSTGRES_ERROR_FIELDS = [
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'severity',
  'where',
  'table',
  'column',
  'schema',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const

export type PostgresErrorField = (typeof POSTGRES_ERROR_FIELDS)[number]

// An error reported by the database itself (it has a SQLSTATE). Engines convert their client
// library's error class into this one so the HTTP layer can tell a 400 (the statement failed)
// from a 500 (the endpoint or the connection failed) without knowing either library.
export class PostgresError extends Error {
  readonly fields: Readonly<Record<PostgresErrorField, string | undefined>>

  constructor(
    message: string,
    fields: Partial<Record<PostgresErrorField, string | undefined>>,
    cause?: unknown
  ) {
    super(message, { cause })
    this.name = 'PostgresError'
    const all = {} as Record<PostgresErrorField, string | undefined>
    for (const key of POSTGRES_ERROR_FIELDS) all[key] = fields[key]
    this.fields = all
  }

  get code(): string | undefined {
    return this.fields.code
  }

  // Copies the known fields from any error-like object (pg's and PGlite's DatabaseError alike).
  static fromDatabaseError(err: Error): PostgresError {
    const source = err as unknown as Record<string, unknown>
    const fields: Partial<Record<PostgresErrorField, string | undefined>> = {}
    for (const key of POSTGRES_ERROR_FIELDS) {
      const value = source[key]
      if (typeof value === 'string') fields[key] = value
      else if (typeof value === 'number') fields[key] = String(value)
    }
    return new PostgresError(err.message, fields, err)
  }
}

const ISOLATION_SQL: Record<IsolationLevel, string> = {
  ReadUncommitted: 'ISOLATION LEVEL READ UNCOMMITTED',
  ReadCommitted: 'ISOLATION LEVEL READ COMMITTED',
  RepeatableRead: 'ISOLATION LEVEL REPEATABLE READ',
  Serializable: 'ISOLATION LEVEL SERIALIZABLE',
}

// The transaction modes shared by `BEGIN …` and `SET TRANSACTION …`; "" when all are default.
export function transactionModes(opts: BatchOptions): string {
  const modes: string[] = []
  if (opts.isolationLevel) modes.push(ISOLATION_SQL[opts.isolationLevel])
  if (opts.readOnly) modes.push('READ ONLY')
  if (opts.deferrable) modes.push('DEFERRABLE')
  return modes.join(' ')
}
