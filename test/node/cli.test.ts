import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyMigrations } from '../../drizzle/migrate'
import { engineTarget } from '../../drizzle/targets'
import { flagName } from '../../src/admin/inputs'
import { commands, USAGE } from '../../tools/cli/commands'
import { startSqlEndpoint, type SqlEndpoint } from '../../tools/sql-endpoint/index'

// The CLI as an operator runs it: a process, its stdout, stderr and exit code, against a
// database reached the way production reaches Neon (here the local endpoint).

const root = fileURLToPath(new URL('../..', import.meta.url))
const run = promisify(execFile)
let endpoint: SqlEndpoint
let bundleDir: string
let cli: string

// The CLI bundled once, so each command below costs a Node start rather than a TypeScript
// compile; one test runs the real `npm run admin` script too.
beforeAll(async () => {
  endpoint = await startSqlEndpoint()
  await applyMigrations(engineTarget(endpoint.engine))
  // Inside the project, so the bundle resolves its packages from node_modules.
  await mkdir(join(root, 'node_modules/.cache'), { recursive: true })
  bundleDir = await mkdtemp(join(root, 'node_modules/.cache/embed-cli-'))
  cli = join(bundleDir, 'cli.mjs')
  await build({
    entryPoints: [join(root, 'tools/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: cli,
    logLevel: 'silent',
  })
})
afterAll(async () => {
  await endpoint.close()
  await rm(bundleDir, { recursive: true, force: true })
})

const cliEnv = () => ({
  ...process.env,
  DATABASE_URL: 'postgres://embed:embed@db.local/embed',
  LOCAL_SQL_ENDPOINT: endpoint.url,
})

interface Outcome {
  code: number
  stdout: string
  stderr: string
  json?: Record<string, unknown>
}

async function admin(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      cwd: root,
      env: cliEnv(),
    })
    return { code: 0, stdout, stderr, json: JSON.parse(stdout) as Record<string, unknown> }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function ok(...args: string[]) {
  const outcome = await admin(...args)
  expect(outcome.stderr).toBe('')
  expect(outcome.code).toBe(0)
  expect(outcome.stdout.trim().split('\n')).toHaveLength(1)
  if (outcome.json === undefined) throw new Error(`No JSON object on stdout: ${outcome.stdout}`)
  return outcome.json
}

async function fails(expected: RegExp, ...args: string[]) {
  const outcome = await admin(...args)
  expect(outcome.code).not.toBe(0)
  expect(outcome.stdout).toBe('')
  expect(outcome.stderr).toMatch(expected)
  expect(outcome.stderr.trim().split('\n')[0]).not.toMatch(/at .*\.ts:\d+/)
}

async function one(sql: string, params: string[]) {
  return (await endpoint.engine.query(sql, params)).rows[0]
}

describe.concurrent('npm run admin', () => {
  it('runs as `npm run --silent admin` with exactly one JSON object on stdout', async () => {
    const { stdout } = await run(
      'npm',
      ['run', '--silent', 'admin', '--', 'team', 'create', '--name', 'Via npm'],
      {
        cwd: root,
        env: cliEnv(),
      }
    )
    expect(stdout).toMatch(/^\{"id":"team_[a-z0-9]+"\}\n$/)
  })

  it('team create prints {"id"}', async () => {
    const team = await ok('team', 'create', '--name', 'Acme')
    expect(Object.keys(team)).toEqual(['id'])
    expect(await one('SELECT name FROM teams WHERE id = $1', [team.id as string])).toEqual(['Acme'])
  })

  it('program create prints {"id","defaultGroupId"} with the documented defaults', async () => {
    const team = await ok('team', 'create', '--name', 'T')
    const program = await ok(
      'program',
      'create',
      '--team',
      team.id as string,
      '--name',
      'P',
      '--website',
      'https://acme.example'
    )
    expect(Object.keys(program)).toEqual(['id', 'defaultGroupId'])
    expect(
      await one(
        'SELECT access_mode, status, referral_param, default_group_id FROM programs WHERE id = $1',
        [program.id as string]
      )
    ).toEqual(['public', 'active', 'via', program.defaultGroupId])
  })

  it('program create takes access, status, referral parameter and embed origins', async () => {
    const team = await ok('team', 'create', '--name', 'T')
    const program = await ok(
      'program',
      'create',
      '--team',
      team.id as string,
      '--name',
      'P',
      '--website',
      'https://acme.example',
      '--access',
      'invite',
      '--status',
      'inactive',
      '--referral-param',
      'ref',
      '--embed-origins',
      'https://app.acme.example,http://localhost:3000'
    )
    expect(
      await one(
        'SELECT access_mode, status, referral_param, allowed_embed_origins FROM programs WHERE id = $1',
        [program.id as string]
      )
    ).toEqual(['invite', 'inactive', 'ref', '{https://app.acme.example,http://localhost:3000}'])
  })

  it('program update prints the program', async () => {
    const team = await ok('team', 'create', '--name', 'T')
    const { id } = await ok(
      'program',
      'create',
      '--team',
      team.id as string,
      '--name',
      'P',
      '--website',
      'https://a.example'
    )
    const program = await ok(
      'program',
      'update',
      '--id',
      id as string,
      '--status',
      'inactive',
      '--name',
      'Renamed',
      '--website',
      'https://b.example/x?y=1'
    )
    expect(program).toMatchObject({
      id,
      name: 'Renamed',
      status: 'inactive',
      websiteUrl: 'https://b.example/x?y=1',
      accessMode: 'public',
    })
  })

  it('group create prints {"id"}', async () => {
    const team = await ok('team', 'create', '--name', 'T')
    const program = await ok(
      'program',
      'create',
      '--team',
      team.id as string,
      '--name',
      'P',
      '--website',
      'https://a.example'
    )
    const group = await ok('group', 'create', '--program', program.id as string, '--name', 'VIP')
    expect(Object.keys(group)).toEqual(['id'])
  })

  it('key create prints {"id","key"} once and stores only the digest', async () => {
    const team = await ok('team', 'create', '--name', 'T')
    const live = await ok('key', 'create', '--team', team.id as string)
    expect(Object.keys(live)).toEqual(['id', 'key'])
    expect(live.key).toMatch(/^sk_live_[0-9A-Za-z]{40}$/)
    const row = await one('SELECT permissions, digest, expires_at FROM api_keys WHERE id = $1', [
      live.id as string,
    ])
    expect(row?.[0]).toBe('{read:affiliates,write:affiliates}')
    expect(row?.[1]).toMatch(/^[0-9a-f]{64}$/)
    expect(row?.[2]).toBeNull()
    const dev = await ok(
      'key',
      'create',
      '--team',
      team.id as string,
      '--env',
      'dev',
      '--permissions',
      'read:affiliates',
      '--expires',
      '2030-01-01T00:00:00Z',
      '--name',
      'ci'
    )
    expect(dev.key).toMatch(/^sk_dev_/)
    expect(
      await one('SELECT permissions, name FROM api_keys WHERE id = $1', [dev.id as string])
    ).toEqual(['{read:affiliates}', 'ci'])
  })

  it('key disable prints {"id","disabled":true}', async () => {
    const team = await ok('team', 'create', '--name', 'T')
    const key = await ok('key', 'create', '--team', team.id as string)
    expect(await ok('key', 'disable', '--id', key.id as string)).toEqual({
      id: key.id,
      disabled: true,
    })
  })

  it('invite create prints {"id"} and stores the email lower-case', async () => {
    const seeded = await ok('seed')
    const invite = await ok(
      'invite',
      'create',
      '--program',
      seeded.programId as string,
      '--email',
      'Guest@Example.COM'
    )
    expect(
      await one('SELECT email FROM program_invitations WHERE id = $1', [invite.id as string])
    ).toEqual(['guest@example.com'])
  })

  it('seed prints {"teamId","programId","groupId","apiKey"}', async () => {
    const seeded = await ok('seed')
    expect(Object.keys(seeded)).toEqual(['teamId', 'programId', 'groupId', 'apiKey'])
    expect(
      await one('SELECT status, access_mode FROM programs WHERE id = $1', [
        seeded.programId as string,
      ])
    ).toEqual(['active', 'public'])
  })

  it('affiliate set-status prints the affiliate', async () => {
    const seeded = await ok('seed')
    await endpoint.engine.query(
      `WITH u AS (INSERT INTO users (id, email) VALUES ('usr_cli', 'aff@example.com') RETURNING id)
       INSERT INTO affiliates (id, user_id, program_id, group_id, tracking_id, status)
       SELECT 'aff_cli', u.id, $1, $2, 'aff-cli', 'APPROVED' FROM u`,
      [seeded.programId as string, seeded.groupId as string]
    )
    const affiliate = await ok(
      'affiliate',
      'set-status',
      '--program',
      seeded.programId as string,
      '--email',
      'AFF@example.com',
      '--status',
      'SUSPENDED'
    )
    expect(affiliate).toMatchObject({ id: 'aff_cli', status: 'SUSPENDED', trackingId: 'aff-cli' })
  })

  it('fails with a sentence on stderr and a non-zero exit', async () => {
    await Promise.all([
      fails(/^Unknown command "team destroy"/, 'team', 'destroy'),
      fails(/--name is required/, 'team', 'create'),
      fails(/--name needs a value/, 'team', 'create', '--name'),
      fails(/Unknown flag --colour/, 'team', 'create', '--name', 'x', '--colour', 'red'),
      fails(
        /No team with id team_nope\./,
        'program',
        'create',
        '--team',
        'team_nope',
        '--name',
        'P',
        '--website',
        'https://a.example'
      ),
      fails(
        /--website must be an absolute http/,
        'program',
        'create',
        '--team',
        't',
        '--name',
        'P',
        '--website',
        'javascript:alert(1)'
      ),
      fails(
        /--access must be one of: public, private, invite/,
        'program',
        'create',
        '--team',
        't',
        '--name',
        'P',
        '--website',
        'https://a.example',
        '--access',
        'secret'
      ),
      fails(
        /No program with id prog_nope\./,
        'program',
        'update',
        '--id',
        'prog_nope',
        '--status',
        'inactive'
      ),
      fails(/No API key with id key_nope\./, 'key', 'disable', '--id', 'key_nope'),
      fails(
        /--expires must be an ISO-8601 date/,
        'key',
        'create',
        '--team',
        't',
        '--expires',
        'tomorrow'
      ),
      fails(
        /--status must be one of: APPROVED, PENDING, REJECTED, SUSPENDED/,
        'affiliate',
        'set-status',
        '--program',
        'p',
        '--email',
        'a@b.co',
        '--status',
        'BANNED'
      ),
      fails(
        /No affiliate with email nobody@example.com/,
        'affiliate',
        'set-status',
        '--program',
        'p',
        '--email',
        'nobody@example.com',
        '--status',
        'APPROVED'
      ),
    ])
  })

  it('help prints the usage made from the command table, every flag included', async () => {
    for (const ask of [['help'], ['--help'], ['program', 'create', '--help']]) {
      const { stdout, stderr } = await run(process.execPath, [cli, ...ask], {
        cwd: root,
        env: cliEnv(),
      })
      expect(stderr).toBe('')
      expect(stdout).toBe(`${USAGE}\n`)
    }
    for (const [name, command] of Object.entries(commands)) {
      expect(USAGE).toContain(`\n${name}: `)
      const block = USAGE.slice(USAGE.indexOf(`\n${name}: `)).split('\n\n')[0]
      for (const flag of command.flags)
        expect(block).toContain(`  ${flagName(flag.name)} ${flag.value} `)
    }
  })

  // The README shows the help verbatim: after a change to the command table, paste the output of
  // `npm run --silent admin -- help` into its ```text block.
  it("the README's CLI section shows the generated help", async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Operator CLI'))
    const shown = /```text\n([\s\S]*?)\n```/.exec(section)?.[1]
    expect(shown).toBe(USAGE)
  })

  it('program update with nothing to change names every setting it takes', async () => {
    const settings = commands['program update']?.flags.filter((flag) => !flag.required) ?? []
    expect(settings.length).toBeGreaterThan(0)
    const outcome = await admin('program', 'update', '--id', 'prog_nope')
    expect(outcome.code).toBe(1)
    expect(outcome.stderr).toMatch(/^Nothing to update: give at least one of /)
    for (const flag of settings) expect(outcome.stderr).toContain(flagName(flag.name))
  })

  it('refuses a duplicate invitation with a sentence', async () => {
    const seeded = await ok('seed')
    await ok(
      'invite',
      'create',
      '--program',
      seeded.programId as string,
      '--email',
      'twice@example.com'
    )
    await fails(
      /twice@example\.com is already invited/,
      'invite',
      'create',
      '--program',
      seeded.programId as string,
      '--email',
      'twice@example.com'
    )
  })
})
