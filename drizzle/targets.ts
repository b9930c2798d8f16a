import pg from 'pg'
import type { MigrationTarget } from './migrate'

// Text values, like the other targets: the migrator reads only a number back.
const asText = { getTypeParser: () => (value: string) => value }

export async function withPgTarget<T>(
  url: string,
  run: (target: MigrationTarget) => Promise<T>
): Promise<T> {
  const client = new pg.Client({ connectionString: url, types: asText })
  await client.connect()
  try {
    return await run({
      async query(sql) {
        const result = await client.query<(string | null)[]>({ text: sql, rowMode: 'array' })
        return result.rows
      },
      async transaction(statements) {
        await client.query('BEGIN')
        try {
          for (const statement of statements) await client.query(statement)
          await client.query('COMMIT')
        } catch (error) {
          await client.query('ROLLBACK')
          throw error
        }
      },
    })
  } finally {
    await client.end()
  }
}

// The local endpoint's engine (PGlite or a pg pool), used directly from Node.
export interface EngineLike {
  query(sql: string, params: (string | null)[]): Promise<{ rows: (string | null)[][] }>
  batch(queries: { query: string; params: (string | null)[] }[], opts: object): Promise<unknown>
}

export function engineTarget(engine: EngineLike): MigrationTarget {
  return {
    query: async (sql) => (await engine.query(sql, [])).rows,
    transaction: async (statements) => {
      await engine.batch(
        statements.map((query) => ({ query, params: [] })),
        {}
      )
    },
  }
}
