import pg from 'pg'
import type { PoolClient, QueryArrayConfig, QueryArrayResult } from 'pg'
import {
  PostgresError,
  RESET_SESSION_SQL,
  transactionModes,
  type BatchOptions,
  type RawResult,
  type SqlEngine,
  type StatementInput,
} from './engine'

type TextRow = (string | null)[]

// Keeps every cell as the server's text: the Neon driver does the parsing on the other side.
const TEXT_TYPES = { getTypeParser: () => (value: string) => value }

// pg's typings lack queryMode; 'extended' forces Parse/Bind/Execute even without parameters, so a
// multi-statement string fails exactly as it does on Neon.
type ExtendedQueryConfig = QueryArrayConfig<TextRow> & { queryMode: 'extended' }

// A real PostgreSQL server behind a pool, so concurrent HTTP requests really run concurrently.
// Each request checks out its own client and hands it back clean (no open transaction, session
// state reset: RESET_SESSION_SQL).
export class PostgresEngine implements SqlEngine {
  readonly kind = 'postgres' as const
  // The pool itself, for tests and tools that want node-postgres' own parsed results.
  readonly pool: pg.Pool

  private constructor(pool: pg.Pool) {
    this.pool = pool
  }

  static async open(url: string, max = 10): Promise<PostgresEngine> {
    const pool = new pg.Pool({ connectionString: url, max, application_name: 'sql-endpoint' })
    // An idle client whose connection dies emits 'error' on the pool, which would otherwise
    // crash the process; the pool already drops that client, the next checkout reconnects.
    pool.on('error', () => undefined)
    const engine = new PostgresEngine(pool)
    // Fail at start-up, not on the first request, when the server is unreachable.
    await engine.#withClient(async (client) => {
      await client.query('SELECT 1')
    })
    return engine
  }

  query(sql: string, params: (string | null)[]): Promise<RawResult> {
    return this.#withClient((client) => runStatement(client, sql, params))
  }

  batch(queries: StatementInput[], opts: BatchOptions): Promise<RawResult[]> {
    return this.#withClient(async (client) => {
      const modes = transactionModes(opts)
      await client.query(modes ? `BEGIN ${modes}` : 'BEGIN')
      const results: RawResult[] = []
      try {
        for (const q of queries) results.push(await runStatement(client, q.query, q.params))
      } catch (err) {
        // If even ROLLBACK fails the connection is gone; the reset in #withClient notices.
        await client.query('ROLLBACK').catch(() => undefined)
        throw err
      }
      // A COMMIT that fails (deferred constraint, serialization failure) ends the transaction
      // by itself; #withClient still checks the status before the client goes back.
      await client.query('COMMIT')
      return results
    })
  }

  exec(script: string): Promise<void> {
    return this.#withClient(async (client) => {
      await client.query(script)
    })
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end()
  }

  async #withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    let broken = false
    try {
      return await fn(client)
    } catch (err) {
      if (err instanceof pg.DatabaseError) throw PostgresError.fromDatabaseError(err)
      // Anything else (socket closed, protocol error) may have left the connection unusable.
      broken = true
      throw err
    } finally {
      if (!broken) broken = !(await resetSession(client))
      client.release(broken)
    }
  }
}

async function runStatement(
  client: PoolClient,
  sql: string,
  params: (string | null)[]
): Promise<RawResult> {
  const config: ExtendedQueryConfig = {
    text: sql,
    values: params,
    rowMode: 'array',
    types: TEXT_TYPES,
    queryMode: 'extended',
  }
  const result: QueryArrayResult<TextRow> = await client.query(config)
  return {
    // pg reports null for an empty query, Neon an empty command tag.
    command: result.command ?? '',
    rowCount: result.rowCount ?? null,
    fields: result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: 'text',
    })),
    rows: result.rows,
  }
}

// Returns false when the client cannot be made clean and must be destroyed instead.
async function resetSession(client: PoolClient): Promise<boolean> {
  try {
    if (client.getTransactionStatus() !== 'I') await client.query('ROLLBACK')
    await client.query(RESET_SESSION_SQL)
    return true
  } catch {
    return false
  }
}
