// Neon's /sql wire format: what the request headers and body mean, and the JSON shapes of the
// answers. No I/O here, so every rule can be read (and tested) in one place.
import {
  ISOLATION_LEVELS,
  POSTGRES_ERROR_FIELDS,
  PostgresError,
  type BatchOptions,
  type IsolationLevel,
  type RawField,
  type RawResult,
  type StatementInput,
} from './engine'

export type RequestHeaders = Record<string, string | string[] | undefined>

// A request Neon would refuse before running anything: answered 400 with a message.
export class RequestError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RequestError'
  }
}

export type SqlPayload =
  | { kind: 'single'; statement: StatementInput }
  | { kind: 'batch'; queries: StatementInput[]; options: BatchOptions }

export interface SqlRequest {
  payload: SqlPayload
  // Neon-Array-Mode: rows as arrays (what the driver always asks for) or as objects.
  arrayMode: boolean
}

export interface NeonQueryResult {
  command: string
  rowCount: number | null
  rows: (string | null)[][] | Record<string, string | null>[]
  fields: RawField[]
  rowAsArray: boolean
}

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

// Like Neon: only the exact value "true" turns a flag on.
function flag(headers: RequestHeaders, name: string): boolean {
  return header(headers, name) === 'true'
}

function isIsolationLevel(value: string): value is IsolationLevel {
  return (ISOLATION_LEVELS as readonly string[]).includes(value)
}

// The application_name query parameter of the Neon-Connection-String header, if any.
export function applicationName(headers: RequestHeaders): string | undefined {
  const connectionString = header(headers, 'Neon-Connection-String')
  if (!connectionString) return undefined
  try {
    return new URL(connectionString).searchParams.get('application_name') ?? undefined
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseStatement(value: unknown, where: string): StatementInput {
  if (!isRecord(value) || typeof value.query !== 'string') {
    throw new RequestError(`${where}: expected an object with a string "query"`)
  }
  const rawParams = value.params ?? []
  if (!Array.isArray(rawParams)) throw new RequestError(`${where}: "params" must be an array`)
  const params = rawParams.map((p: unknown, i): string | null => {
    if (p === null || typeof p === 'string') return p
    // The driver only sends text or null; plain JSON scalars have one obvious text form.
    if (typeof p === 'number' || typeof p === 'boolean') return String(p)
    throw new RequestError(
      `${where}: parameter $${i + 1} must be a string, number, boolean or null`
    )
  })
  return { query: value.query, params }
}

export function parseSqlRequest(headers: RequestHeaders, body: string): SqlRequest {
  // Neon rejects a bad isolation level on any request, not only on batches.
  const isolation = header(headers, 'Neon-Batch-Isolation-Level')
  if (isolation !== undefined && !isIsolationLevel(isolation)) {
    throw new RequestError('invalid isolation level')
  }

  let json: unknown
  try {
    json = JSON.parse(body)
  } catch (err) {
    throw new RequestError(
      `request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`
    )
  }

  const arrayMode = flag(headers, 'Neon-Array-Mode')
  if (isRecord(json) && Array.isArray(json.queries)) {
    const queries = json.queries.map((q: unknown, i) => parseStatement(q, `queries[${i}]`))
    const options: BatchOptions = {
      readOnly: flag(headers, 'Neon-Batch-Read-Only'),
      deferrable: flag(headers, 'Neon-Batch-Deferrable'),
    }
    if (isolation !== undefined) options.isolationLevel = isolation
    return { payload: { kind: 'batch', queries, options }, arrayMode }
  }
  if (isRecord(json) && 'query' in json) {
    return { payload: { kind: 'single', statement: parseStatement(json, 'body') }, arrayMode }
  }
  throw new RequestError(
    'request body must be {"query": ..., "params": [...]} or {"queries": [...]}'
  )
}

export function resultBody(result: RawResult, arrayMode: boolean): NeonQueryResult {
  const rows = arrayMode
    ? result.rows
    : result.rows.map((row) =>
        Object.fromEntries(result.fields.map((f, i) => [f.name, row[i] ?? null]))
      )
  return {
    command: result.command,
    rowCount: result.rowCount,
    rows,
    fields: result.fields,
    rowAsArray: arrayMode,
  }
}

// Neon confirms the transaction modes it applied to a batch in the response headers.
export function batchResponseHeaders(options: BatchOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  if (options.isolationLevel) headers['neon-batch-isolation-level'] = options.isolationLevel
  if (options.readOnly) headers['neon-batch-read-only'] = 'true'
  if (options.deferrable) headers['neon-batch-deferrable'] = 'true'
  return headers
}

export type ErrorBody = { message: string } & Record<
  (typeof POSTGRES_ERROR_FIELDS)[number],
  string | null
>

// The 400 body. The driver copies exactly these keys onto its NeonDbError, so every key is
// present (null when PostgreSQL did not report it).
export function errorBody(err: PostgresError | RequestError): ErrorBody {
  const body = { message: err.message } as ErrorBody
  for (const key of POSTGRES_ERROR_FIELDS) {
    body[key] = err instanceof PostgresError ? (err.fields[key] ?? null) : null
  }
  return body
}
