import { PGlite, protocol, type QueryOptions, type Results } from '@electric-sql/pglite'
import {
  PostgresError,
  RESET_SESSION_SQL,
  transactionModes,
  type BatchOptions,
  type RawField,
  type RawResult,
  type SqlEngine,
  type StatementInput,
} from './engine'
import { makePrivateDir, tightenTree } from './private-files'
import { commandFromStatement } from './statement'

type TextRow = (string | null)[]
type Identity = (value: string) => string

const identity: Identity = (value) => value

// PGlite is one embedded backend, i.e. one session shared by every request. To give each HTTP
// request a clean session, every operation runs under this engine's own lock together with its
// clean-up (roll back a leftover transaction, then RESET_SESSION_SQL), so no other request can
// slip in between a statement and the clean-up that follows it.
export class PgliteEngine implements SqlEngine {
  readonly kind = 'pglite' as const
  // The embedded database, for tests that want PGlite's own parsed results.
  readonly db: PGlite
  #tail: Promise<unknown> = Promise.resolve()
  #options: QueryOptions | undefined
  #optionKeyCount = -1
  // pg_type.typlen by OID: PGlite's results omit it, Neon's fields carry it.
  #typeSizes = new Map<number, number>()
  #closed = false

  readonly #dataDir: string | undefined

  private constructor(db: PGlite, dataDir: string | undefined) {
    this.db = db
    this.#dataDir = dataDir
  }

  // In memory, or in dataDir, which is kept to its owner (0700, and no file inside readable by
  // others: see private-files.ts) when it opens and again when it closes.
  static async open(dataDir?: string): Promise<PgliteEngine> {
    if (dataDir !== undefined) await makePrivateDir(dataDir)
    const db = dataDir === undefined ? new PGlite() : new PGlite({ dataDir })
    await db.waitReady
    if (dataDir !== undefined) {
      try {
        await tightenTree(dataDir)
      } catch (error) {
        await db.close()
        throw error
      }
    }
    const engine = new PgliteEngine(db, dataDir)
    await engine.#exclusive(() => engine.#loadTypeSizes())
    return engine
  }

  query(sql: string, params: (string | null)[]): Promise<RawResult> {
    return this.#exclusive(async () => {
      let result: Results<TextRow>
      try {
        result = await this.db.query<TextRow>(sql, params, this.#queryOptions())
      } catch (err) {
        throw toEngineError(err)
      } finally {
        await this.#resetSession()
      }
      await this.#loadTypeSizes(result.fields.map((f) => f.dataTypeID))
      return this.#toRaw(sql, result)
    })
  }

  batch(queries: StatementInput[], opts: BatchOptions): Promise<RawResult[]> {
    return this.#exclusive(async () => {
      const options = this.#queryOptions()
      let results: Results<TextRow>[]
      try {
        // db.transaction issues a plain BEGIN and rolls back if the callback throws; the modes go
        // in with SET TRANSACTION, which has the same effect as BEGIN … when it comes first.
        results = await this.db.transaction(async (tx) => {
          const modes = transactionModes(opts)
          if (modes) await tx.query(`SET TRANSACTION ${modes}`, [], options)
          const out: Results<TextRow>[] = []
          for (const q of queries) out.push(await tx.query<TextRow>(q.query, q.params, options))
          return out
        })
      } catch (err) {
        throw toEngineError(err)
      } finally {
        await this.#resetSession()
      }
      await this.#loadTypeSizes(results.flatMap((r) => r.fields.map((f) => f.dataTypeID)))
      return results.map((r, i) => this.#toRaw(queries[i]?.query ?? '', r))
    })
  }

  exec(script: string): Promise<void> {
    return this.#exclusive(async () => {
      try {
        await this.db.exec(script)
      } catch (err) {
        throw toEngineError(err)
      } finally {
        await this.#resetSession()
      }
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#tail
    await this.db.close()
    if (this.#dataDir !== undefined) await tightenTree(this.#dataDir)
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('PGlite engine is closed'))
    const run = this.#tail.then(fn, fn)
    this.#tail = run.catch(() => undefined)
    return run
  }

  // Identity parsers for every type PGlite knows (its defaults plus the array OIDs it adds at
  // start-up), so cells stay PostgreSQL text; identity serializers because the driver already
  // serialised the parameters (PGlite's bytea serializer, for one, throws on a string).
  #queryOptions(): QueryOptions {
    const keys = [...Object.keys(this.db.parsers), ...Object.keys(this.db.serializers)]
    if (this.#options && keys.length === this.#optionKeyCount) return this.#options
    const parsers: Record<number, Identity> = {}
    for (const key of Object.keys(this.db.parsers)) {
      const oid = Number(key)
      if (Number.isInteger(oid)) parsers[oid] = identity
    }
    const serializers: Record<number, Identity> = {}
    for (const key of Object.keys(this.db.serializers)) {
      const oid = Number(key)
      if (Number.isInteger(oid)) serializers[oid] = identity
    }
    this.#options = { rowMode: 'array', parsers, serializers }
    this.#optionKeyCount = keys.length
    return this.#options
  }

  // Leaves the shared session as a new connection would find it.
  async #resetSession(): Promise<void> {
    // A bare Sync answers ReadyForQuery, whose status tells whether a transaction is still open
    // (a single "BEGIN", say); PGlite offers no other public way to ask.
    const { messages } = await this.db.runExclusive(() =>
      this.db.execProtocol(protocol.serialize.sync(), { syncToFs: false })
    )
    const ready = messages.find((m) => m instanceof protocol.messages.ReadyForQueryMessage)
    if (ready instanceof protocol.messages.ReadyForQueryMessage && ready.status !== 'I') {
      await this.db.exec('ROLLBACK')
    }
    // SET, temp tables, prepared statements, advisory locks: whatever a request left behind.
    await this.db.exec(RESET_SESSION_SQL)
  }

  async #loadTypeSizes(oids?: number[]): Promise<void> {
    const missing =
      oids === undefined ? undefined : [...new Set(oids)].filter((o) => !this.#typeSizes.has(o))
    if (missing !== undefined && missing.length === 0) return
    const sql =
      missing === undefined
        ? 'SELECT oid::int8::text, typlen::text FROM pg_catalog.pg_type'
        : `SELECT oid::int8::text, typlen::text FROM pg_catalog.pg_type WHERE oid IN (${missing.join(',')})`
    const result = await this.db.query<TextRow>(sql, [], this.#queryOptions())
    for (const [oid, len] of result.rows) this.#typeSizes.set(Number(oid), Number(len))
  }

  #toRaw(sql: string, result: Results<TextRow>): RawResult {
    const fields: RawField[] = result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      // PGlite's result drops the rest of the RowDescription; Neon's values for computed
      // columns are these, and nothing the driver does depends on them.
      tableID: 0,
      columnID: 0,
      dataTypeSize: this.#typeSizes.get(f.dataTypeID) ?? -1,
      dataTypeModifier: -1,
      format: 'text',
    }))
    const rows = result.rows.map((row) =>
      row.map((cell: unknown) => {
        if (cell === null || typeof cell === 'string') return cell
        // A parser we failed to replace would silently corrupt the text protocol.
        throw new Error(`PGlite returned a parsed ${typeof cell} instead of text`)
      })
    )
    if (result.command !== undefined) {
      return { command: result.command, rowCount: result.rowCount ?? null, fields, rows }
    }
    return { ...commandFromStatement(sql, rows.length, result.affectedRows), fields, rows }
  }
}

function toEngineError(err: unknown): unknown {
  return err instanceof protocol.messages.DatabaseError ? PostgresError.fromDatabaseError(err) : err
}
