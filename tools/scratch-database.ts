import pg from 'pg'

// A fresh database on a PostgreSQL server for one test run or benchmark, dropped afterwards,
// so runs never see each other's rows and a crashed run leaves at most one stray database.
export interface ScratchDatabase {
  url: string
  drop(): Promise<void>
}

export async function createScratchDatabase(
  serverUrl: string,
  label = 'embed'
): Promise<ScratchDatabase> {
  const name = `${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}
