// The local Neon /sql endpoint, exercised through the real @neondatabase/serverless driver and
// checked against the same statements run directly on the engine. Runs on PGlite always and on
// PostgreSQL too when LOCAL_POSTGRES_URL is set.
import { mkdtemp, rm } from 'node:fs/promises'
import { request, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NeonDbError, neon, neonConfig } from '@neondatabase/serverless'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  PgliteEngine,
  PostgresEngine,
  PostgresError,
  endpointOptionsFromEnv,
  startSqlEndpoint,
  type SqlEndpoint,
  type SqlEndpointOptions,
} from '../../tools/sql-endpoint/index'
import { RequestCounter } from '../../tools/sql-endpoint/stats'

type EngineOptions = NonNullable<SqlEndpointOptions['engine']>

const POSTGRES_URL = process.env.LOCAL_POSTGRES_URL
const ENGINES: { name: string; options: EngineOptions }[] = [
  { name: 'pglite', options: { kind: 'pglite' } },
]
if (POSTGRES_URL)
  ENGINES.push({ name: 'postgres', options: { kind: 'postgres', url: POSTGRES_URL } })

// The driver asks fetchEndpoint where to send each request, passing the connection string's host;
// routing on it lets several endpoints (one per engine, one with latency) coexist in this file.
const endpointsByHost = new Map<string, SqlEndpoint>()
neonConfig.fetchEndpoint = (host) => {
  const endpoint = endpointsByHost.get(host)
  if (!endpoint) throw new Error(`no test endpoint registered for host ${host}`)
  return endpoint.url
}

function connectionString(host: string, applicationName?: string): string {
  const query =
    applicationName === undefined ? '' : `?application_name=${encodeURIComponent(applicationName)}`
  return `postgres://tester:secret@${host}/neondb${query}`
}

// A plain HTTP request shaped like the driver's (note: no content-type header).
function post(
  endpoint: SqlEndpoint,
  body: unknown,
  headers: Record<string, string> = {}
): Promise<Response> {
  return fetch(endpoint.url, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'Neon-Connection-String': connectionString('raw.test'),
      'Neon-Raw-Text-Output': 'true',
      'Neon-Array-Mode': 'true',
      ...headers,
    },
  })
}

interface RawAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

// A request with full control of what reaches the endpoint: the Host header (null: none at all),
// the secret (null: none; the default is the endpoint's own), path, method and headers.
function raw(
  endpoint: SqlEndpoint,
  options: {
    method?: string
    path?: string
    secret?: string | null
    host?: string | null
    headers?: Record<string, string>
    body?: string
  } = {}
): Promise<RawAnswer> {
  const secret = options.secret === undefined ? endpoint.secret : options.secret
  const query = secret === null ? '' : `?secret=${encodeURIComponent(secret)}`
  const headers: Record<string, string> = { ...options.headers }
  if (typeof options.host === 'string') headers.host = options.host
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: endpoint.port,
        method: options.method ?? 'GET',
        path: `${options.path ?? '/sql'}${query}`,
        headers,
        setHost: options.host === undefined,
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

function corsHeaders(headers: IncomingHttpHeaders): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'))
}

// The first row of each statement's result in a batch (undefined where a statement returned none).
function firstRows(results: Record<string, unknown>[][]): (Record<string, unknown> | undefined)[] {
  return results.map(([row]) => row)
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected the promise to reject')
}

async function neonError(promise: Promise<unknown>): Promise<NeonDbError> {
  const err = await rejection(promise)
  expect(err).toBeInstanceOf(NeonDbError)
  return err as NeonDbError
}

async function elapsedMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

// One column per type the application relies on: the SQL literal, PostgreSQL's exact text output
// for it, and how to compare the driver's parsed value with the engine's own client's.
const TYPE_CASES: {
  name: string
  expr: string
  text: string | null
  normalise: (v: unknown) => unknown
}[] = [
  { name: 'i4', expr: `42::int4`, text: '42', normalise: (v) => v },
  {
    name: 'i8',
    expr: `9007199254740993::int8`,
    text: '9007199254740993',
    // The driver gives a string, PGlite a bigint, pg a string: compare exactly as integers.
    normalise: (v) => BigInt(v as string | bigint),
  },
  { name: 'num', expr: `12345.678::numeric`, text: '12345.678', normalise: (v) => String(v) },
  { name: 'num_scale', expr: `1.50::numeric(6,2)`, text: '1.50', normalise: (v) => String(v) },
  { name: 'bool', expr: `true`, text: 't', normalise: (v) => v },
  { name: 'txt', expr: `'héllo, "wörld"'::text`, text: 'héllo, "wörld"', normalise: (v) => v },
  {
    name: 'jb',
    expr: `'{"b": null, "a": [1, 2.5, "x"]}'::jsonb`,
    text: '{"a": [1, 2.5, "x"], "b": null}',
    normalise: (v) => v,
  },
  {
    name: 'tstz',
    expr: `'2026-01-15 10:30:00+00'::timestamptz`,
    text: '2026-01-15 10:30:00+00',
    normalise: (v) => (v as Date).toISOString(),
  },
  {
    name: 'tstz_us',
    expr: `'2026-01-15 10:30:00.123456+00'::timestamptz`,
    text: '2026-01-15 10:30:00.123456+00',
    normalise: (v) => (v as Date).toISOString(),
  },
  { name: 'ints', expr: `'{1,2,NULL}'::int4[]`, text: '{1,2,NULL}', normalise: (v) => v },
  {
    name: 'texts',
    expr: `ARRAY['a b', 'c', NULL]::text[]`,
    text: '{"a b",c,NULL}',
    normalise: (v) => v,
  },
  {
    name: 'bytes',
    expr: `'\\x0102ff'::bytea`,
    text: '\\x0102ff',
    normalise: (v) => hex(v as Uint8Array),
  },
  { name: 'nothing', expr: `NULL::int4`, text: null, normalise: (v) => v },
  { name: 'f8', expr: `1.5::float8`, text: '1.5', normalise: (v) => v },
  {
    name: 'id',
    expr: `'0b1e4a52-6b3c-4d1e-9f7a-2c3d4e5f6a7b'::uuid`,
    text: '0b1e4a52-6b3c-4d1e-9f7a-2c3d4e5f6a7b',
    normalise: (v) => v,
  },
]
const TYPES_SQL = `SELECT ${TYPE_CASES.map((c) => `${c.expr} AS ${c.name}`).join(', ')}`

describe.each(ENGINES)('local Neon endpoint on $name', ({ name, options }) => {
  const host = `${name}.test`
  const schema = `sqlep_${name}_${process.pid}_${Date.now().toString(36)}`
  const items = `${schema}.items`
  let endpoint: SqlEndpoint
  const sql = neon(connectionString(host))

  // The same statement through the engine's own client library, with its default parsers.
  async function direct(
    statement: string
  ): Promise<{ rows: Record<string, unknown>[]; typeIds: number[] }> {
    const engine = endpoint.engine
    if (engine instanceof PgliteEngine) {
      const result = await engine.db.query<Record<string, unknown>>(statement)
      return { rows: result.rows, typeIds: result.fields.map((f) => f.dataTypeID) }
    }
    if (engine instanceof PostgresEngine) {
      const result = await engine.pool.query<Record<string, unknown>>(statement)
      return { rows: result.rows, typeIds: result.fields.map((f) => f.dataTypeID) }
    }
    throw new Error('unknown engine')
  }

  async function countItems(where = 'true'): Promise<number> {
    const result = await endpoint.engine.query(
      `SELECT count(*)::int4 FROM ${items} WHERE ${where}`,
      []
    )
    return Number(result.rows[0]?.[0])
  }

  beforeAll(async () => {
    endpoint = await startSqlEndpoint({ engine: options })
    endpointsByHost.set(host, endpoint)
    await endpoint.engine.exec(`
      CREATE SCHEMA ${schema};
      CREATE TABLE ${items} (id int4 PRIMARY KEY, label text NOT NULL);
    `)
  })

  afterAll(async () => {
    endpointsByHost.delete(host)
    if (!endpoint) return
    await endpoint.engine.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await endpoint.close()
  })

  describe('values', () => {
    it('parses to the same values through the driver as through the engine client', async () => {
      const viaDriver = await sql.query(TYPES_SQL, [], { fullResults: true, arrayMode: true })
      const viaEngine = await direct(TYPES_SQL)

      expect(viaDriver.fields.map((f) => f.name)).toEqual(TYPE_CASES.map((c) => c.name))
      expect(viaDriver.fields.map((f) => f.dataTypeID)).toEqual(viaEngine.typeIds)
      const driverRow = viaDriver.rows[0] as unknown[]
      const engineRow = viaEngine.rows[0] ?? {}
      TYPE_CASES.forEach((c, i) => {
        const fromDriver = driverRow[i]
        const fromEngine = engineRow[c.name]
        if (c.text === null) {
          expect(fromDriver, c.name).toBeNull()
          expect(fromEngine, c.name).toBeNull()
        } else {
          expect(c.normalise(fromDriver), c.name).toEqual(c.normalise(fromEngine))
        }
      })
      // And what the application actually sees from the driver.
      const row = Object.fromEntries(TYPE_CASES.map((c, i) => [c.name, driverRow[i]]))
      expect(row.i8).toBe('9007199254740993')
      expect(row.num_scale).toBe('1.50')
      expect(row.jb).toEqual({ a: [1, 2.5, 'x'], b: null })
      expect(row.tstz).toEqual(new Date('2026-01-15T10:30:00Z'))
      expect(row.ints).toEqual([1, 2, null])
      expect(hex(row.bytes as Uint8Array)).toBe('0102ff')
    })

    it("answers in Neon's JSON shape with PostgreSQL's exact text output", async () => {
      const res = await post(endpoint, { query: TYPES_SQL, params: [] })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('application/json')
      const body = (await res.json()) as {
        command: string
        rowCount: number
        rowAsArray: boolean
        rows: unknown[][]
        fields: Record<string, unknown>[]
      }
      expect(body.command).toBe('SELECT')
      expect(body.rowCount).toBe(1)
      expect(body.rowAsArray).toBe(true)
      expect(body.rows).toEqual([TYPE_CASES.map((c) => c.text)])
      expect(body.fields[0]).toEqual({
        name: 'i4',
        dataTypeID: 23,
        tableID: 0,
        columnID: 0,
        dataTypeSize: 4,
        dataTypeModifier: -1,
        format: 'text',
      })
      for (const field of body.fields) {
        expect(Object.keys(field).sort()).toEqual([
          'columnID',
          'dataTypeID',
          'dataTypeModifier',
          'dataTypeSize',
          'format',
          'name',
          'tableID',
        ])
      }
    })

    it('round-trips parameters the driver serialises', async () => {
      const when = new Date('2026-03-01T12:34:56.789Z')
      const bytes = new Uint8Array([0, 1, 254, 255])
      const [row] = await sql`
        SELECT ${9007199254740993n}::int8 AS big, ${when}::timestamptz AS at, ${bytes}::bytea AS raw,
               ${[3, 4]}::int4[] AS list, ${{ k: ['v', 1] }}::jsonb AS doc, ${null}::text AS nothing,
               ${true}::bool AS yes, ${"it's"}::text AS quoted, ${'12.50'}::numeric AS money`
      expect(row).toEqual({
        big: '9007199254740993',
        at: when,
        raw: expect.anything(),
        list: [3, 4],
        doc: { k: ['v', 1] },
        nothing: null,
        yes: true,
        quoted: "it's",
        money: '12.50',
      })
      expect(hex(row?.raw as Uint8Array)).toBe('0001feff')
    })

    it('returns rows as objects when array mode is off', async () => {
      const res = await post(
        endpoint,
        { query: 'SELECT 1::int4 AS a, NULL::text AS b', params: [] },
        {
          'Neon-Array-Mode': 'false',
        }
      )
      const body = (await res.json()) as { rows: unknown[]; rowAsArray: boolean }
      expect(body.rowAsArray).toBe(false)
      expect(body.rows).toEqual([{ a: '1', b: null }])
    })
  })

  describe('command tags', () => {
    it('reports command and rowCount like the PostgreSQL command tag', async () => {
      const table = `${schema}.tags`
      const tag = async (statement: string, params: (string | null)[] = []) => {
        const res = await post(endpoint, { query: statement, params })
        expect(res.status, statement).toBe(200)
        const body = (await res.json()) as {
          command: string
          rowCount: number | null
          fields: unknown[]
        }
        return { command: body.command, rowCount: body.rowCount, fieldCount: body.fields.length }
      }
      expect(await tag(`CREATE TABLE ${table} (n int4)`)).toEqual({
        command: 'CREATE',
        rowCount: null,
        fieldCount: 0,
      })
      expect(await tag(`INSERT INTO ${table} VALUES (1), (2), (3)`)).toEqual({
        command: 'INSERT',
        rowCount: 3,
        fieldCount: 0,
      })
      expect(await tag(`UPDATE ${table} SET n = n + 10 WHERE n > $1`, ['1'])).toEqual({
        command: 'UPDATE',
        rowCount: 2,
        fieldCount: 0,
      })
      expect(await tag(`DELETE FROM ${table} WHERE n = 1 RETURNING n`)).toEqual({
        command: 'DELETE',
        rowCount: 1,
        fieldCount: 1,
      })
      expect(await tag(`SELECT n FROM ${table} WHERE false`)).toEqual({
        command: 'SELECT',
        rowCount: 0,
        fieldCount: 1,
      })
      expect(await tag(`/* leading comment */ WITH x AS (SELECT 1) SELECT * FROM x`)).toEqual({
        command: 'SELECT',
        rowCount: 1,
        fieldCount: 1,
      })
      expect(await tag(`DROP TABLE ${table}`)).toEqual({
        command: 'DROP',
        rowCount: null,
        fieldCount: 0,
      })
    })

    it('runs a single query with the extended protocol: one statement only', async () => {
      const err = await neonError(sql.query('SELECT 1; SELECT 2'))
      expect(err.code).toBe('42601')
    })
  })

  describe('errors', () => {
    it('keeps SQLSTATE, constraint and the other fields on the driver error', async () => {
      await sql.query(`INSERT INTO ${items} (id, label) VALUES ($1, $2)`, [1, 'first'])
      const err = await neonError(
        sql.query(`INSERT INTO ${items} (id, label) VALUES ($1, $2)`, [1, 'again'])
      )
      expect(err.code).toBe('23505')
      expect(err.constraint).toBe('items_pkey')
      expect(err.table).toBe('items')
      expect(err.schema).toBe(schema)
      expect(err.severity).toBe('ERROR')
      expect(err.detail).toBe('Key (id)=(1) already exists.')
      expect(err.message).toBe('duplicate key value violates unique constraint "items_pkey"')
    })

    it('answers a database error with 400 and every Neon error key', async () => {
      const res = await post(endpoint, { query: 'SELEC 1', params: [] })
      expect(res.status).toBe(400)
      const body = (await res.json()) as Record<string, unknown>
      expect(Object.keys(body).sort()).toEqual([
        'code',
        'column',
        'constraint',
        'dataType',
        'detail',
        'file',
        'hint',
        'internalPosition',
        'internalQuery',
        'line',
        'message',
        'position',
        'routine',
        'schema',
        'severity',
        'table',
        'where',
      ])
      expect(body).toMatchObject({
        code: '42601',
        position: '1',
        severity: 'ERROR',
        constraint: null,
        table: null,
      })
    })

    it('answers a malformed body with 400 and a message', async () => {
      for (const body of [
        '{not json',
        '[]',
        '{"params": []}',
        '{"query": "SELECT 1", "params": [{}]}',
      ]) {
        const res = await post(endpoint, body)
        expect(res.status, body).toBe(400)
        const json = (await res.json()) as { message: unknown; code: unknown }
        expect(typeof json.message, body).toBe('string')
        expect(json.code, body).toBeNull()
      }
    })

    it('throws PostgresError from the engine API too', async () => {
      const err = await rejection(endpoint.engine.query('SELECT 1/0', []))
      expect(err).toBeInstanceOf(PostgresError)
      expect((err as PostgresError).code).toBe('22012')
    })
  })

  describe('batches', () => {
    it('runs every statement in order in one transaction', async () => {
      const [inserted, counted] = await sql.transaction([
        sql`INSERT INTO ${sql.unsafe(items)} (id, label) VALUES (${10}, ${'ten'}) RETURNING id`,
        sql`SELECT count(*)::int4 AS n FROM ${sql.unsafe(items)} WHERE id = ${10}`,
      ])
      expect(inserted).toEqual([{ id: 10 }])
      expect(counted).toEqual([{ n: 1 }])
      // Same transaction id for both statements: one transaction, not two.
      const [first, second] = firstRows(
        await sql.transaction([sql`SELECT txid_current() AS x`, sql`SELECT txid_current() AS x`])
      )
      expect(first).toEqual(second)
      const [third] = firstRows(await sql.transaction([sql`SELECT txid_current() AS x`]))
      expect(third).not.toEqual(first)
    })

    it('rolls back the whole batch when a statement fails, and the session stays usable', async () => {
      await sql.query(`INSERT INTO ${items} (id, label) VALUES (20, 'existing')`)
      const err = await neonError(
        sql.transaction([
          sql`INSERT INTO ${sql.unsafe(items)} (id, label) VALUES (${21}, ${'should vanish'})`,
          sql`INSERT INTO ${sql.unsafe(items)} (id, label) VALUES (${20}, ${'duplicate'})`,
          sql`INSERT INTO ${sql.unsafe(items)} (id, label) VALUES (${22}, ${'never reached'})`,
        ])
      )
      expect(err.code).toBe('23505')
      expect(err.constraint).toBe('items_pkey')
      expect(await countItems('id IN (21, 22)')).toBe(0)
      // Not stuck in an aborted transaction: the next request runs and commits normally.
      await sql.query(`INSERT INTO ${items} (id, label) VALUES (23, 'after')`)
      expect(await countItems('id = 23')).toBe(1)
      const [row] = firstRows(await sql.transaction([sql`SELECT 1 AS ok`]))
      expect(row).toEqual({ ok: 1 })
    })

    it('applies the isolation level, read-only and deferrable headers', async () => {
      const [iso] = firstRows(
        await sql.transaction([sql`SHOW transaction_isolation`], { isolationLevel: 'Serializable' })
      )
      expect(iso).toEqual({ transaction_isolation: 'serializable' })
      const [rr] = firstRows(
        await sql.transaction([sql`SHOW transaction_isolation`], {
          isolationLevel: 'RepeatableRead',
        })
      )
      expect(rr).toEqual({ transaction_isolation: 'repeatable read' })
      const [plain] = firstRows(await sql.transaction([sql`SHOW transaction_isolation`]))
      expect(plain).toEqual({ transaction_isolation: 'read committed' })

      const [ro, def] = firstRows(
        await sql.transaction([sql`SHOW transaction_read_only`, sql`SHOW transaction_deferrable`], {
          isolationLevel: 'Serializable',
          readOnly: true,
          deferrable: true,
        })
      )
      expect(ro).toEqual({ transaction_read_only: 'on' })
      expect(def).toEqual({ transaction_deferrable: 'on' })

      const err = await neonError(
        sql.transaction(
          [sql`INSERT INTO ${sql.unsafe(items)} (id, label) VALUES (${30}, ${'ro'})`],
          { readOnly: true }
        )
      )
      expect(err.code).toBe('25006')
      expect(await countItems('id = 30')).toBe(0)
    })

    it('echoes the transaction modes and rejects an unknown isolation level', async () => {
      const ok = await post(
        endpoint,
        { queries: [{ query: 'SELECT 1', params: [] }] },
        {
          'Neon-Batch-Isolation-Level': 'Serializable',
          'Neon-Batch-Read-Only': 'true',
          'Neon-Batch-Deferrable': 'yes',
        }
      )
      expect(ok.status).toBe(200)
      expect(ok.headers.get('neon-batch-isolation-level')).toBe('Serializable')
      expect(ok.headers.get('neon-batch-read-only')).toBe('true')
      // Only the exact value "true" turns a flag on.
      expect(ok.headers.get('neon-batch-deferrable')).toBeNull()
      const body = (await ok.json()) as { results: { rows: unknown[] }[] }
      expect(body.results.map((r) => r.rows)).toEqual([[['1']]])

      const bad = await post(
        endpoint,
        { queries: [{ query: 'SELECT 1', params: [] }] },
        {
          'Neon-Batch-Isolation-Level': 'Chaos',
        }
      )
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as { message: string }).message).toBe('invalid isolation level')
    })
  })

  describe('session state', () => {
    it('never leaves a transaction open after a single query', async () => {
      const table = `${schema}.leak_check`
      await sql.query('BEGIN')
      await sql.query(`CREATE TABLE ${table} (n int4)`)
      // Had BEGIN stuck to the session, this would undo the CREATE TABLE.
      await sql.query('ROLLBACK')
      const [row] = await sql.query(`SELECT to_regclass('${table}')::text AS t`)
      expect(row).toEqual({ t: table })
    })

    it('discards session settings between requests', async () => {
      const [before] = await sql.query('SHOW search_path')
      await sql.query('SET search_path TO pg_catalog')
      expect((await sql.query('SHOW search_path'))[0]).toEqual(before)
      // A plain SET inside a batch outlives its COMMIT unless the session is reset.
      await sql.transaction([sql`SET statement_timeout = 1234`])
      expect((await sql.query('SHOW statement_timeout'))[0]).toEqual({ statement_timeout: '0' })
    })
  })

  describe('counter', () => {
    it('counts single queries and batches as one request each, per application_name', async () => {
      const tagged = neon(connectionString(host, `embed:${name}-req-1`))
      const other = neon(connectionString(host, `embed:${name}-req-2`))
      const before = endpoint.stats()
      const started = performance.now()

      await tagged`SELECT 1`
      await tagged.query('SELECT $1::int4', [2])
      await tagged.transaction([tagged`SELECT 1`, tagged`SELECT 2`, tagged`SELECT 3`])
      await other`SELECT 1`
      await neonError(tagged`SELECT 1/0`)

      const tally = endpoint.stats(`embed:${name}-req-1`)
      expect(tally).toEqual({
        requests: before.requests + 5,
        matching: 4,
        databaseMs: expect.any(Number),
      })
      // The engine's time for the four, the failed one included: more than nothing, and less
      // than the test took.
      expect(tally.databaseMs).toBeGreaterThan(0)
      expect(tally.databaseMs).toBeLessThan(performance.now() - started)
      expect(endpoint.stats(`embed:${name}-req-2`).matching).toBe(1)
      expect(endpoint.stats('embed:never-seen').matching).toBe(0)

      const total = (await (await fetch(endpoint.urlFor('/stats'))).json()) as unknown
      expect(total).toEqual({ requests: before.requests + 5 })
      const url = endpoint.urlFor('/stats')
      url.searchParams.set('application_name', `embed:${name}-req-1`)
      expect(await (await fetch(url)).json()).toEqual({
        requests: before.requests + 5,
        matching: 4,
        databaseMs: tally.databaseMs,
      })
    })

    it('adds up every name with a given prefix on /stats?application_name_prefix=', async () => {
      const first = neon(connectionString(host, `embed:${name}-pfx~a1`))
      const second = neon(connectionString(host, `embed:${name}-pfx~b2`))
      const longerId = neon(connectionString(host, `embed:${name}-pfxx~c3`))
      await first`SELECT 1`
      await first`SELECT 2`
      await second.transaction([second`SELECT 1`, second`SELECT 2`])
      await longerId`SELECT 1`

      const prefixed = (prefix: string) => {
        const url = endpoint.urlFor('/stats')
        url.searchParams.set('application_name_prefix', prefix)
        return fetch(url)
      }
      const answer = await prefixed(`embed:${name}-pfx~`)
      expect(answer.status).toBe(200)
      expect(((await answer.json()) as { matching: number }).matching).toBe(3)
      expect(
        ((await (await prefixed(`embed:${name}-pfx`)).json()) as { matching: number }).matching
      ).toBe(4)
      expect(
        ((await (await prefixed('embed:no-such-id~')).json()) as { matching: number }).matching
      ).toBe(0)
      expect(endpoint.stats({ prefix: `embed:${name}-pfx~` }).matching).toBe(3)
      // Exact matching is unchanged: the prefix itself is not a recorded name.
      expect(endpoint.stats(`embed:${name}-pfx~`).matching).toBe(0)

      const both = endpoint.urlFor('/stats')
      both.searchParams.set('application_name', 'x')
      both.searchParams.set('application_name_prefix', 'x')
      expect((await fetch(both)).status).toBe(400)
    })
  })

  describe('faults', () => {
    it('answers 500 while an http500 fault lasts', async () => {
      endpoint.setFault({ kind: 'http500', remaining: 1 })
      const err = await rejection(sql`SELECT 1`)
      expect(String(err)).toContain('HTTP status 500')
      expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }])
    })

    it('never answers while a hang fault lasts', async () => {
      endpoint.setFault({ kind: 'hang', remaining: 1 })
      const started = performance.now()
      const err = await rejection(
        sql.query('SELECT 1', [], { fetchOptions: { signal: AbortSignal.timeout(300) } })
      )
      expect(String(err)).toMatch(/abort|timeout/i)
      expect(performance.now() - started).toBeGreaterThanOrEqual(250)
      expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }])
    })

    it('takes faults over HTTP too', async () => {
      const set = await fetch(endpoint.urlFor('/faults'), {
        method: 'POST',
        body: JSON.stringify({ mode: 'http500', count: 2 }),
      })
      expect(set.status).toBe(200)
      await rejection(sql`SELECT 1`)
      await rejection(sql`SELECT 1`)
      expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }])

      await fetch(endpoint.urlFor('/faults'), {
        method: 'POST',
        body: JSON.stringify({ mode: 'refuse-next' }),
      })
      const refused = await rejection(sql`SELECT 1`)
      expect(String(refused)).toContain('Error connecting to database')
      expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }])

      await fetch(endpoint.urlFor('/faults'), {
        method: 'POST',
        body: JSON.stringify({ mode: 'hang' }),
      })
      await rejection(
        sql.query('SELECT 1', [], { fetchOptions: { signal: AbortSignal.timeout(100) } })
      )
      await rejection(
        sql.query('SELECT 1', [], { fetchOptions: { signal: AbortSignal.timeout(100) } })
      )
      await fetch(endpoint.urlFor('/faults'), {
        method: 'POST',
        body: JSON.stringify({ mode: 'none' }),
      })
      expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }])

      const bad = await fetch(endpoint.urlFor('/faults'), {
        method: 'POST',
        body: '{"mode":"explode"}',
      })
      expect(bad.status).toBe(400)
    })
  })

  // The endpoint runs any SQL it is sent: only its secret's holder, on a loopback Host, may.
  describe('access', () => {
    const driverHeaders = {
      'Content-Type': 'text/plain;charset=UTF-8',
      'Neon-Connection-String': connectionString('raw.test'),
      'Neon-Array-Mode': 'true',
    }
    let nextId = 1000
    // An INSERT whose row shows whether the request ran.
    function intrusion(): { id: number; body: string } {
      const id = nextId++
      return {
        id,
        body: JSON.stringify({
          query: `INSERT INTO ${items} (id, label) VALUES (${id}, 'intruder')`,
        }),
      }
    }

    function expectRefused(answer: RawAnswer, status: number) {
      expect(answer.status).toBe(status)
      expect(answer.headers['content-type']).toContain('application/json')
      expect((JSON.parse(answer.body) as { message: string }).message).toEqual(expect.any(String))
      expect(answer.body).not.toContain(endpoint.secret)
      expect(corsHeaders(answer.headers)).toEqual([])
    }

    it('puts a fresh random secret into the URL it gives out, and keeps it in the other routes', () => {
      expect(endpoint.secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}/sql?secret=${endpoint.secret}`)
      expect(endpoint.urlFor('/stats').toString()).toBe(
        `http://127.0.0.1:${endpoint.port}/stats?secret=${endpoint.secret}`
      )
      // As test/worker/support (harness.ts roundTrips, faults.ts) and tools/cli/connect.ts build
      // their URLs: another pathname on the URL they were given, other parameters added.
      const built = new URL(endpoint.url)
      built.pathname = '/stats'
      built.searchParams.set('application_name', 'embed:x')
      expect(built.searchParams.get('secret')).toBe(endpoint.secret)
    })

    it('refuses every route without the secret, or with a wrong one: 401, and runs nothing', async () => {
      const before = endpoint.stats().requests
      const wrong = [
        null,
        '',
        'x'.repeat(endpoint.secret.length),
        endpoint.secret.slice(0, -1),
        `${endpoint.secret}x`,
        endpoint.secret.toUpperCase() === endpoint.secret
          ? endpoint.secret.toLowerCase()
          : endpoint.secret.toUpperCase(),
      ]
      for (const secret of wrong) {
        const { id, body } = intrusion()
        expectRefused(
          await raw(endpoint, { method: 'POST', secret, headers: driverHeaders, body }),
          401
        )
        expect(await countItems(`id = ${id}`)).toBe(0)
        for (const path of ['/stats', '/healthz', '/faults', '/nope']) {
          expectRefused(await raw(endpoint, { path, secret }), 401)
        }
        expectRefused(
          await raw(endpoint, {
            method: 'POST',
            path: '/faults',
            secret,
            body: '{"mode":"http500"}',
          }),
          401
        )
      }
      // The secret under another name, or in a header, is no secret at all.
      const { id, body } = intrusion()
      const elsewhere = await raw(endpoint, {
        method: 'POST',
        secret: null,
        path: `/sql?key=${endpoint.secret}`,
        headers: { ...driverHeaders, Authorization: `Bearer ${endpoint.secret}` },
        body,
      })
      expectRefused(elsewhere, 401)
      expect(await countItems(`id = ${id}`)).toBe(0)
      expect(endpoint.stats().requests).toBe(before)
      // No fault was set: the next query runs.
      expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }])
    })

    it('refuses a Host other than a loopback name with its own port: 403, and runs nothing', async () => {
      const port = endpoint.port
      for (const host of [
        `rebind.evil.example:${port}`,
        'rebind.evil.example',
        `127.0.0.1:${port + 1}`,
        '127.0.0.1',
        'localhost',
        `127.0.0.2:${port}`,
        `localhost.evil.example:${port}`,
        `0.0.0.0:${port}`,
      ]) {
        const { id, body } = intrusion()
        expectRefused(
          await raw(endpoint, { method: 'POST', host, headers: driverHeaders, body }),
          403
        )
        expect(await countItems(`id = ${id}`)).toBe(0)
        expectRefused(await raw(endpoint, { path: '/healthz', host }), 403)
        expectRefused(await raw(endpoint, { path: '/stats', host }), 403)
        expectRefused(
          await raw(endpoint, { method: 'POST', path: '/faults', host, body: '{"mode":"hang"}' }),
          403
        )
      }
      // No Host at all: Node's HTTP server refuses it before the endpoint sees it.
      const { id, body } = intrusion()
      const hostless = await raw(endpoint, {
        method: 'POST',
        host: null,
        headers: driverHeaders,
        body,
      })
      expect([400, 403]).toContain(hostless.status)
      expect(await countItems(`id = ${id}`)).toBe(0)

      for (const host of [
        `127.0.0.1:${port}`,
        `localhost:${port}`,
        `[::1]:${port}`,
        `LocalHost:${port}`,
      ]) {
        const health = await raw(endpoint, { path: '/healthz', host })
        expect(health.status, host).toBe(200)
        expect(JSON.parse(health.body)).toEqual({ status: 'ok' })
      }
      expect(await sql`SELECT 1 AS ok`).toEqual([{ ok: 1 }])
    })

    it('takes SQL only as JSON, or as the driver sends it: 415 for what a page may send without a preflight', async () => {
      const refusedTypes: (Record<string, string> | undefined)[] = [
        { 'Content-Type': 'text/plain;charset=UTF-8' },
        { 'Content-Type': 'text/plain' },
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        { 'Content-Type': 'multipart/form-data; boundary=x' },
        { 'Content-Type': 'application/jsonx' },
        {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Neon-Connection-String': connectionString('raw.test'),
        },
        undefined,
      ]
      for (const headers of refusedTypes) {
        const { id, body } = intrusion()
        expectRefused(await raw(endpoint, { method: 'POST', headers, body }), 415)
        expect(await countItems(`id = ${id}`), JSON.stringify(headers)).toBe(0)
      }
      for (const headers of [
        { 'Content-Type': 'application/json' },
        { 'Content-Type': 'Application/JSON; charset=utf-8' },
        driverHeaders,
      ]) {
        const { id, body } = intrusion()
        const answer = await raw(endpoint, { method: 'POST', headers, body })
        expect(answer.status, JSON.stringify(headers)).toBe(200)
        expect(corsHeaders(answer.headers)).toEqual([])
        expect(await countItems(`id = ${id}`)).toBe(1)
      }
    })

    it('sends no CORS header on any answer and answers no preflight', async () => {
      const origin = { Origin: 'https://evil.example' }
      const preflight = {
        ...origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,neon-connection-string',
      }
      const answers = [
        await raw(endpoint, { method: 'OPTIONS', headers: preflight }),
        await raw(endpoint, { method: 'OPTIONS', path: '/faults', headers: preflight }),
        await raw(endpoint, { method: 'OPTIONS', secret: null, headers: preflight }),
        await raw(endpoint, { path: '/healthz', headers: origin }),
        await raw(endpoint, { path: '/stats', headers: origin }),
        await raw(endpoint, { path: '/faults', headers: origin }),
        await raw(endpoint, {
          method: 'POST',
          headers: { ...driverHeaders, ...origin },
          body: '{"query":"SELECT 1"}',
        }),
        await raw(endpoint, {
          method: 'POST',
          headers: { ...driverHeaders, ...origin },
          body: '{"query":"SELECT 1/0"}',
        }),
      ]
      for (const answer of answers) expect(corsHeaders(answer.headers)).toEqual([])
      for (const answer of answers.slice(0, 3)) expect(answer.status).toBeGreaterThanOrEqual(400)
    })

    it("refuses the security probe's request (F1) as a page or a local user would send it", async () => {
      const { id, body } = intrusion()
      const probe = {
        method: 'POST',
        secret: null,
        headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain;charset=UTF-8' },
        body,
      }
      expectRefused(
        await raw(endpoint, { ...probe, host: `rebind.evil.example:${endpoint.port}` }),
        403
      )
      expectRefused(await raw(endpoint, probe), 401)
      // Even knowing the secret, a page cannot send it without a preflight that fails.
      expectRefused(await raw(endpoint, { ...probe, secret: endpoint.secret }), 415)
      expect(await countItems(`id = ${id}`)).toBe(0)
    })
  })

  describe('routes', () => {
    it('serves /healthz and answers 404 JSON elsewhere', async () => {
      const health = await fetch(endpoint.urlFor('/healthz'))
      expect(health.status).toBe(200)
      expect(await health.json()).toEqual({ status: 'ok' })
      for (const [method, path] of [
        ['GET', '/sql'],
        ['GET', '/nope'],
        ['POST', '/stats'],
      ] as const) {
        const res = await fetch(endpoint.urlFor(path), { method })
        expect(res.status, `${method} ${path}`).toBe(404)
        expect(res.headers.get('content-type')).toContain('application/json')
      }
    })
  })

  // A second endpoint on the same engine (booting PGlite is slow, so one serves both tests).
  describe('second endpoint: latency and close', () => {
    const latencyHost = `${name}-latency.test`
    const slow = neon(connectionString(latencyHost))
    let slowEndpoint: SqlEndpoint

    beforeAll(async () => {
      slowEndpoint = await startSqlEndpoint({ engine: options, latencyMs: 200 })
      endpointsByHost.set(latencyHost, slowEndpoint)
    })

    it('has a secret of its own, which opens only its own door', async () => {
      expect(slowEndpoint.secret).not.toBe(endpoint.secret)
      expect((await raw(slowEndpoint, { path: '/healthz', secret: endpoint.secret })).status).toBe(
        401
      )
    })

    afterAll(async () => {
      endpointsByHost.delete(latencyHost)
      await slowEndpoint?.close()
    })

    it('delays every single query and batch by the configured latency', async () => {
      await slow`SELECT 1` // warm up the connection
      expect(await elapsedMs(() => slow`SELECT 1`)).toBeGreaterThanOrEqual(195)
      expect(
        await elapsedMs(() => slow.transaction([slow`SELECT 1`, slow`SELECT 2`]))
      ).toBeGreaterThanOrEqual(195)
      expect(await elapsedMs(() => rejection(slow`SELECT 1/0`))).toBeGreaterThanOrEqual(195)
    })

    it("counts the engine's time without the injected latency, a failed statement's too", async () => {
      const tag = `embed:${name}-timed`
      const timed = neon(connectionString(latencyHost, tag))
      await timed`SELECT pg_sleep(0.05)`
      const afterSleep = slowEndpoint.stats(tag).databaseMs ?? 0
      // The 50 ms the statement slept, not the 200 ms the endpoint waited before running it.
      expect(afterSleep).toBeGreaterThanOrEqual(45)
      expect(afterSleep).toBeLessThan(195)
      await rejection(timed`SELECT 1 / (SELECT 0 FROM pg_sleep(0.05))`)
      expect(slowEndpoint.stats(tag).databaseMs).toBeGreaterThanOrEqual(afterSleep + 45)
    })

    it('closes cleanly while a request hangs', async () => {
      slowEndpoint.setFault({ kind: 'hang' })
      const pending = rejection(slow`SELECT 1`)
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await elapsedMs(() => slowEndpoint.close())).toBeLessThan(5_000)
      expect(String(await pending)).toContain('Error connecting to database')
      await expect(fetch(slowEndpoint.urlFor('/healthz'))).rejects.toThrow()
      await expect(slowEndpoint.engine.query('SELECT 1', [])).rejects.toThrow()
    })
  })

  describe.runIf(options.kind === 'postgres')('concurrency', () => {
    it('runs concurrent requests in parallel on the postgres engine', async () => {
      const ms = await elapsedMs(() =>
        Promise.all([sql`SELECT pg_sleep(0.4)`, sql`SELECT pg_sleep(0.4)`])
      )
      expect(ms).toBeLessThan(750)
    })
  })
})

describe('PGlite in a directory', () => {
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sql-endpoint-'))
  })

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('keeps data across restarts', async () => {
    const dataDir = join(dir, 'pgdata')
    const first = await startSqlEndpoint({ engine: { kind: 'pglite', dataDir } })
    try {
      await first.engine.exec(
        'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$);'
      )
    } finally {
      await first.close()
    }
    const second = await startSqlEndpoint({ engine: { kind: 'pglite', dataDir } })
    try {
      const result = await second.engine.query('SELECT v FROM kept', [])
      expect(result.rows).toEqual([['still here']])
    } finally {
      await second.close()
    }
  })
})

describe('RequestCounter', () => {
  it('counts exact names, and adds up the names that start with a prefix', () => {
    const counter = new RequestCounter()
    for (const name of [
      'embed:abc~1',
      'embed:abc~1',
      'embed:abc~2',
      'embed:abcd~1',
      'embed:abc',
      'other',
      undefined,
    ]) {
      counter.record(name)
    }
    const none = { requests: 7, databaseMs: 0 }
    expect(counter.stats()).toEqual({ requests: 7 })
    expect(counter.stats('embed:abc~1')).toEqual({ ...none, matching: 2 })
    expect(counter.stats('embed:abc~')).toEqual({ ...none, matching: 0 })
    expect(counter.stats({ prefix: 'embed:abc~' })).toEqual({ ...none, matching: 3 })
    expect(counter.stats({ prefix: 'embed:abc' })).toEqual({ ...none, matching: 5 })
    expect(counter.stats({ prefix: 'embed:zzz~' })).toEqual({ ...none, matching: 0 })
    expect(counter.stats({ prefix: '' })).toEqual({ ...none, matching: 6 })
  })

  it("adds up the engine's time by name and prefix, for the names it still keeps", () => {
    const counter = new RequestCounter(2)
    counter.record('embed:a~1')
    counter.recordDatabaseTime('embed:a~1', 1.5)
    counter.record('embed:a~1')
    counter.recordDatabaseTime('embed:a~1', 0.25)
    counter.record('embed:a~2')
    counter.recordDatabaseTime('embed:a~2', 2)
    counter.recordDatabaseTime(undefined, 5)
    counter.recordDatabaseTime('never-recorded', 5)
    expect(counter.stats('embed:a~1')).toEqual({ requests: 3, matching: 2, databaseMs: 1.75 })
    expect(counter.stats({ prefix: 'embed:a~' })).toEqual({
      requests: 3,
      matching: 3,
      databaseMs: 3.75,
    })
    counter.record('embed:a~3')
    // a~1 is forgotten, its time with it.
    expect(counter.stats({ prefix: 'embed:a~' }).databaseMs).toBe(2)
  })

  it('forgets the stalest names beyond its limit, for prefixes too', () => {
    const counter = new RequestCounter(2)
    counter.record('embed:a~1')
    counter.record('embed:a~2')
    counter.record('embed:a~2')
    counter.record('embed:a~3')
    expect(counter.stats({ prefix: 'embed:a~' }).matching).toBe(3)
    expect(counter.stats('embed:a~1').matching).toBe(0)
  })
})

describe('startSqlEndpoint options', () => {
  it('listens on loopback only and takes only a strong secret', async () => {
    await expect(startSqlEndpoint({ host: '0.0.0.0' })).rejects.toThrow(/loopback/)
    await expect(startSqlEndpoint({ secret: 'short' })).rejects.toThrow(/secret/)
    await expect(startSqlEndpoint({ secret: `${'a'.repeat(40)}&x=1` })).rejects.toThrow(/secret/)
  })
})

describe('endpointOptionsFromEnv', () => {
  it('picks postgres when LOCAL_POSTGRES_URL is set, PGlite otherwise', () => {
    expect(endpointOptionsFromEnv({ LOCAL_POSTGRES_URL: 'postgres://x@127.0.0.1/db' })).toEqual({
      engine: { kind: 'postgres', url: 'postgres://x@127.0.0.1/db' },
    })
    expect(endpointOptionsFromEnv({}, { dataDir: '/tmp/pg' })).toEqual({
      engine: { kind: 'pglite', dataDir: '/tmp/pg' },
    })
    expect(endpointOptionsFromEnv({ LOCAL_POSTGRES_URL: '' })).toEqual({
      engine: { kind: 'pglite' },
    })
  })

  it('reads LOCAL_DB_LATENCY_MS and rejects nonsense', () => {
    expect(endpointOptionsFromEnv({ LOCAL_DB_LATENCY_MS: '40' })).toEqual({
      engine: { kind: 'pglite' },
      latencyMs: 40,
    })
    expect(() => endpointOptionsFromEnv({ LOCAL_DB_LATENCY_MS: '40ms' })).toThrow(
      /LOCAL_DB_LATENCY_MS/
    )
  })
})
