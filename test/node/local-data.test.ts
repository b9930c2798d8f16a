// The local data directory (.data/ of `npm run dev`: the dev database, the SQL endpoint's secret
// URL, the demo API key) and PGlite's data directory are their owner's alone: directories 0700,
// and no file or directory inside with a group or other permission bit.
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { prepareDataDir } from '../../tools/local-paths'
import { writeWorkerEnvFile } from '../../tools/local-stack'
import { PgliteEngine, startSqlEndpoint } from '../../tools/sql-endpoint/index'

const NOT_OWNER = 0o077

async function modeOf(path: string): Promise<number> {
  return (await lstat(path)).mode & 0o777
}

// Every path under root (root included) that others may read, write or enter, with its mode.
async function exposed(root: string): Promise<string[]> {
  const found: string[] = []
  const visit = async (path: string) => {
    const stats = await lstat(path)
    if (stats.isSymbolicLink()) return
    if ((stats.mode & NOT_OWNER) !== 0)
      found.push(`${relative(root, path) || '.'} ${(stats.mode & 0o777).toString(8)}`)
    if (stats.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name))
  }
  await visit(root)
  return found
}

async function fileCount(root: string): Promise<number> {
  let count = 0
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) count++
  return count
}

let scratch: string
// The umask as the test process had it: restored after each test, since prepareDataDir sets it.
let umaskBefore: number

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'local-data-'))
  umaskBefore = process.umask(0o022)
  process.umask(umaskBefore)
})

afterEach(() => {
  process.umask(umaskBefore)
})

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

describe('prepareDataDir', () => {
  it('creates the directory, and missing parents, as 0700 and sets the umask to 077', async () => {
    process.umask(0o022)
    const dir = join(scratch, 'fresh', 'nested', '.data')
    await prepareDataDir(dir)
    expect(await modeOf(dir)).toBe(0o700)
    expect(await modeOf(join(scratch, 'fresh'))).toBe(0o700)
    expect(process.umask(umaskBefore)).toBe(0o077)
    process.umask(0o077)
    // What the process writes from now on (endpoint.json, the worker's files) is private too.
    await writeFile(join(dir, 'written-after.json'), '{}')
    await mkdir(join(dir, 'made-after'))
    expect(await modeOf(join(dir, 'written-after.json'))).toBe(0o600)
    expect(await modeOf(join(dir, 'made-after'))).toBe(0o700)
  })

  it('tightens an existing directory and everything in it, but leaves symbolic links and their targets alone', async () => {
    process.umask(0o022)
    const dir = join(scratch, 'existing', '.data')
    const outside = join(scratch, 'existing', 'outside.txt')
    await mkdir(join(dir, 'pglite', 'base'), { recursive: true })
    await writeFile(outside, 'not ours to change', { mode: 0o644 })
    await writeFile(join(dir, 'endpoint.json'), '{}', { mode: 0o644 })
    await writeFile(join(dir, 'pglite', 'base', '1259'), 'heap', { mode: 0o666 })
    await writeFile(join(dir, 'pglite', 'tool'), '#!/bin/sh', { mode: 0o755 })
    await symlink(outside, join(dir, 'link'))
    for (const path of [dir, join(dir, 'pglite'), join(dir, 'pglite', 'base')])
      await chmod(path, 0o755)
    await chmod(join(dir, 'pglite', 'base', '1259'), 0o666)
    expect((await exposed(dir)).length).toBe(6)

    await prepareDataDir(dir)

    expect(await exposed(dir)).toEqual([])
    expect(await modeOf(dir)).toBe(0o700)
    expect(await modeOf(join(dir, 'endpoint.json'))).toBe(0o600)
    expect(await modeOf(join(dir, 'pglite', 'base', '1259'))).toBe(0o600)
    expect(await modeOf(join(dir, 'pglite', 'tool'))).toBe(0o700)
    expect(await modeOf(join(dir, 'pglite'))).toBe(0o700)
    expect(await modeOf(outside)).toBe(0o644)
  })
})

// PGlite copies its initial files in with an explicit chmod to 0666, whatever the umask, and
// rewrites its relation cache files as 0644 at later starts: the engine tightens them itself.
describe('PGlite data directory', () => {
  it('holds no file others can read, after the first start, after work and after a restart', async () => {
    process.umask(0o022)
    const dataDir = join(scratch, 'pg', 'pglite')
    const first = await PgliteEngine.open(dataDir)
    try {
      expect(await fileCount(dataDir)).toBeGreaterThan(100)
      expect(await exposed(join(scratch, 'pg'))).toEqual([])
      await first.exec(
        `CREATE TABLE people (email text); INSERT INTO people VALUES ('victim@corp.example'); CHECKPOINT;`
      )
    } finally {
      await first.close()
    }
    expect(await exposed(join(scratch, 'pg'))).toEqual([])

    const second = await startSqlEndpoint({ engine: { kind: 'pglite', dataDir } })
    try {
      expect((await second.engine.query('SELECT email FROM people', [])).rows).toEqual([
        ['victim@corp.example'],
      ])
      expect(await exposed(dataDir)).toEqual([])
    } finally {
      await second.close()
    }
    expect(await exposed(dataDir)).toEqual([])
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700)
  })

  it('tightens a data directory an earlier version left open', async () => {
    process.umask(0o022)
    const dataDir = join(scratch, 'old', 'pglite')
    await (await PgliteEngine.open(dataDir)).close()
    // As the probe found it: the directory 0755, the files 0666.
    await chmod(dataDir, 0o755)
    await chmod(join(dataDir, 'PG_VERSION'), 0o666)
    await chmod(join(dataDir, 'base'), 0o755)
    const engine = await PgliteEngine.open(dataDir)
    try {
      expect(await exposed(dataDir)).toEqual([])
    } finally {
      await engine.close()
    }
  })
})

// wrangler dev gets the worker's settings (the endpoint's secret URL, the signing keys) in a file
// only its owner can read, not on its command line, which every local user can list.
describe('the worker env file', () => {
  it('is written 0600 with every value quoted, and refuses values dotenv would alter', async () => {
    process.umask(0o022)
    const dir = await mkdtemp(join(scratch, 'vars-'))
    const url = 'http://127.0.0.1:4321/sql?secret=AbC-_9'
    const file = await writeWorkerEnvFile(dir, {
      LOCAL_SQL_ENDPOINT: url,
      TOKEN_SIGNING_KEYS: 'k1:abc,k0:def',
    })
    expect(await modeOf(file)).toBe(0o600)
    expect(await readFile(file, 'utf8')).toBe(
      `LOCAL_SQL_ENDPOINT="${url}"\nTOKEN_SIGNING_KEYS="k1:abc,k0:def"\n`
    )
    for (const value of ['a"b', 'a\\b', 'a$B', 'a\nB=1']) {
      await expect(
        writeWorkerEnvFile(await mkdtemp(join(scratch, 'vars-')), { X: value })
      ).rejects.toThrow(/cannot go to wrangler/)
    }
  })
})
