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
  // Each of these runs a dozen CLI processes one after the other.
  describe('reward terms, tracking settings and payouts', { timeout: 120_000 }, () => {
    // A program (with the settings given) and its default group.
    async function program(...settings: string[]) {
      const team = await ok('team', 'create', '--name', 'T')
      const created = await ok(
        'program',
        'create',
        '--team',
        team.id as string,
        '--name',
        'P',
        '--website',
        'https://shop.example',
        ...settings
      )
      return { id: created.id as string, groupId: created.defaultGroupId as string }
    }

    const terms = async (groupId: string) =>
      one(
        `SELECT reward_type, reward_basis_points::text, reward_fixed_minor::text, reward_duration,
         reward_months::text, hold_days::text, lead_reward_minor::text
       FROM groups WHERE id = $1`,
        [groupId]
      )

    it('group update sets the reward terms and prints the group', async () => {
      const p = await program()
      expect(await terms(p.groupId)).toEqual([
        'percentage',
        '2000',
        null,
        'forever',
        null,
        '30',
        null,
      ])
      const updated = await ok(
        'group',
        'update',
        '--id',
        p.groupId,
        '--reward-amount',
        '12.5',
        '--reward-duration',
        'months:6',
        '--hold-days',
        '0',
        '--lead-reward',
        '2.50'
      )
      expect(updated).toEqual({
        id: p.groupId,
        programId: p.id,
        name: 'Default',
        currency: 'USD',
        rewardType: 'percentage',
        rewardAmount: 12.5,
        rewardDuration: 'months:6',
        holdDays: 0,
        leadReward: 2.5,
      })
      expect(await terms(p.groupId)).toEqual([
        'percentage',
        '1250',
        null,
        'months',
        '6',
        '0',
        '250',
      ])

      const fixed = await ok(
        'group',
        'update',
        '--id',
        p.groupId,
        '--reward-type',
        'fixed',
        '--reward-amount',
        '25.50',
        '--reward-duration',
        'once',
        '--lead-reward',
        'none'
      )
      expect(fixed).toMatchObject({ rewardType: 'fixed', rewardAmount: 25.5, leadReward: null })
      expect(await terms(p.groupId)).toEqual(['fixed', '1250', '2550', 'once', null, '0', null])
      // A fixed group's amount alone, then back to a percentage: the fixed amount is cleared.
      await ok('group', 'update', '--id', p.groupId, '--reward-amount', '30')
      expect((await terms(p.groupId))?.[2]).toBe('3000')
      const back = await ok(
        'group',
        'update',
        '--id',
        p.groupId,
        '--reward-type',
        'percentage',
        '--reward-amount',
        '100'
      )
      expect(back).toMatchObject({ rewardType: 'percentage', rewardAmount: 100 })
      expect(await terms(p.groupId)).toEqual(['percentage', '10000', null, 'once', null, '0', null])
    })

    it('group update refuses terms that do not fit, with a sentence, and changes nothing', async () => {
      const p = await program()
      const before = await terms(p.groupId)
      const update = (...flags: string[]) => ['group', 'update', '--id', p.groupId, ...flags]
      await Promise.all([
        fails(
          /--reward-amount must be a number from 0 to 100/,
          ...update('--reward-amount', '101')
        ),
        fails(
          /--reward-amount must have at most 2 decimals/,
          ...update('--reward-amount', '12.345')
        ),
        fails(
          /--reward-amount must be a number from 0 to 100/,
          ...update('--reward-amount', 'lots')
        ),
        fails(
          /^A fixed reward needs --reward-amount, the amount per sale in USD\./,
          ...update('--reward-type', 'fixed')
        ),
        fails(
          /--reward-amount must have at most 2 decimals for USD\./,
          ...update('--reward-type', 'fixed', '--reward-amount', '9.999')
        ),
        fails(
          /--reward-amount must be greater than 0\./,
          ...update('--reward-type', 'fixed', '--reward-amount', '0')
        ),
        fails(
          /--reward-type must be one of: percentage, fixed\./,
          ...update('--reward-type', 'cpa')
        ),
        fails(
          /--reward-duration must be once, forever or months:N/,
          ...update('--reward-duration', 'months:0')
        ),
        fails(
          /--reward-duration must be once, forever or months:N/,
          ...update('--reward-duration', 'months:121')
        ),
        fails(
          /--reward-duration must be once, forever or months:N/,
          ...update('--reward-duration', 'always')
        ),
        fails(
          /--hold-days must be a whole number from 0 to 365\./,
          ...update('--hold-days', '400')
        ),
        fails(/--hold-days must be a whole number from 0 to 365\./, ...update('--hold-days', '-1')),
        fails(
          /--lead-reward must have at most 2 decimals for USD\./,
          ...update('--lead-reward', '1.234')
        ),
        fails(/--lead-reward must be greater than 0\./, ...update('--lead-reward', '0')),
        fails(/--lead-reward must be an amount in major units/, ...update('--lead-reward', '-5')),
        fails(
          /^Nothing to update: give at least one of --reward-type, --reward-amount/,
          ...update()
        ),
        fails(
          /No group with id grp_nope\./,
          'group',
          'update',
          '--id',
          'grp_nope',
          '--hold-days',
          '1'
        ),
      ])
      expect(await terms(p.groupId)).toEqual(before)
    })

    it('group amounts use the digits stored with the program: JPY takes whole numbers', async () => {
      const p = await program('--currency', 'JPY')
      await fails(
        /--reward-amount must be a whole number for JPY\./,
        'group',
        'update',
        '--id',
        p.groupId,
        '--reward-type',
        'fixed',
        '--reward-amount',
        '500.5'
      )
      await fails(
        /--lead-reward must be a whole number for JPY\./,
        'group',
        'update',
        '--id',
        p.groupId,
        '--lead-reward',
        '0.5'
      )
      const yen = await ok(
        'group',
        'update',
        '--id',
        p.groupId,
        '--reward-type',
        'fixed',
        '--reward-amount',
        '500',
        '--lead-reward',
        '100.00'
      )
      expect(yen).toMatchObject({ currency: 'JPY', rewardAmount: 500, leadReward: 100 })
      expect(await terms(p.groupId)).toEqual(['fixed', '2000', '500', 'forever', null, '30', '100'])
      // The digits are read from the program's row, not from Intl: a program stored with 3 digits
      // takes 3 decimals whatever its currency.
      await endpoint.engine.query(
        `UPDATE programs SET currency = 'KWD', currency_digits = 3 WHERE id = $1`,
        [p.id]
      )
      await endpoint.engine.query(
        `UPDATE groups SET reward_type = 'percentage', reward_fixed_minor = NULL WHERE id = $1`,
        [p.groupId]
      )
      const dinar = await ok('group', 'update', '--id', p.groupId, '--lead-reward', '1.125')
      expect(dinar).toMatchObject({ currency: 'KWD', leadReward: 1.125 })
      expect((await terms(p.groupId))?.[6]).toBe('1125')
    })

    it('group create takes the reward flags too', async () => {
      const p = await program('--currency', 'EUR')
      const group = await ok(
        'group',
        'create',
        '--program',
        p.id,
        '--name',
        'Fixed',
        '--reward-type',
        'fixed',
        '--reward-amount',
        '15',
        '--hold-days',
        '14',
        '--reward-duration',
        'months:12'
      )
      expect(Object.keys(group)).toEqual(['id'])
      expect(await terms(group.id as string)).toEqual([
        'fixed',
        '2000',
        '1500',
        'months',
        '12',
        '14',
        null,
      ])
      const plain = await ok('group', 'create', '--program', p.id, '--name', 'Plain')
      expect(await terms(plain.id as string)).toEqual(await terms(p.groupId))
      await Promise.all([
        fails(
          /^A fixed reward needs --reward-amount, the amount per sale in EUR\./,
          'group',
          'create',
          '--program',
          p.id,
          '--name',
          'X',
          '--reward-type',
          'fixed'
        ),
        fails(
          /No program with id prog_nope\./,
          'group',
          'create',
          '--program',
          'prog_nope',
          '--name',
          'X'
        ),
      ])
    })

    const settings = async (programId: string) =>
      one(
        `SELECT currency, currency_digits::text, min_payout_minor::text, cookie_days::text,
         tracking_origins FROM programs WHERE id = $1`,
        [programId]
      )

    it('program create and update take currency, minimum payout, cookie days and tracking origins', async () => {
      const fresh = await program()
      expect(await settings(fresh.id)).toEqual(['USD', '2', '0', '60', '{}'])
      const p = await program(
        '--currency',
        'eur',
        '--min-payout',
        '50',
        '--cookie-days',
        '90',
        '--tracking-origins',
        'https://acme.com,https://www.acme.com'
      )
      expect(await settings(p.id)).toEqual([
        'EUR',
        '2',
        '5000',
        '90',
        '{https://acme.com,https://www.acme.com}',
      ])
      const updated = await ok(
        'program',
        'update',
        '--id',
        p.id,
        '--min-payout',
        '25.50',
        '--cookie-days',
        '365',
        '--tracking-origins',
        'https://shop.acme.com'
      )
      expect(updated).toMatchObject({
        id: p.id,
        currency: 'EUR',
        currencyDigits: 2,
        minPayout: 25.5,
        cookieDays: 365,
        trackingOrigins: ['https://shop.acme.com'],
      })
      expect(updated).not.toHaveProperty('minPayoutMinor')
      expect(await settings(p.id)).toEqual(['EUR', '2', '2550', '365', '{https://shop.acme.com}'])
      await Promise.all([
        fails(
          /--currency must be an ISO 4217 currency code/,
          'program',
          'update',
          '--id',
          p.id,
          '--currency',
          'XYZ'
        ),
        fails(
          /--currency must be an ISO 4217 currency code/,
          'program',
          'update',
          '--id',
          p.id,
          '--currency',
          'EURO'
        ),
        fails(
          /--min-payout must have at most 2 decimals for EUR\./,
          'program',
          'update',
          '--id',
          p.id,
          '--min-payout',
          '0.001'
        ),
        fails(
          /--min-payout must be an amount in major units/,
          'program',
          'update',
          '--id',
          p.id,
          '--min-payout',
          '-1'
        ),
        fails(
          /--cookie-days must be a whole number from 1 to 365\./,
          'program',
          'update',
          '--id',
          p.id,
          '--cookie-days',
          '0'
        ),
        fails(
          /--cookie-days must be a whole number from 1 to 365\./,
          'program',
          'update',
          '--id',
          p.id,
          '--cookie-days',
          '366'
        ),
        fails(
          /--tracking-origins takes origins like https:\/\/app\.example\.com: no path, no wildcard \("https:\/\/acme\.com\/shop"\)/,
          'program',
          'update',
          '--id',
          p.id,
          '--tracking-origins',
          'https://acme.com/shop'
        ),
        fails(
          /--min-payout must be a whole number for JPY\./,
          ...['program', 'create', '--team', 't', '--name', 'P', '--website', 'https://a.example'],
          ...['--currency', 'JPY', '--min-payout', '10.5']
        ),
      ])
      expect(await settings(p.id)).toEqual(['EUR', '2', '2550', '365', '{https://shop.acme.com}'])
    })

    it('a new currency keeps amounts in major units, and is refused once there are referrals', async () => {
      const p = await program('--min-payout', '50')
      await ok(
        'group',
        'update',
        '--id',
        p.groupId,
        '--reward-type',
        'fixed',
        '--reward-amount',
        '10.50'
      )
      // 10.50 cannot be written in yen.
      await fails(
        /A group of program prog_\w+ has a reward that cannot be written in JPY; change it first/,
        'program',
        'update',
        '--id',
        p.id,
        '--currency',
        'JPY'
      )
      expect(await settings(p.id)).toEqual(['USD', '2', '5000', '60', '{}'])
      await ok('group', 'update', '--id', p.groupId, '--reward-amount', '10', '--lead-reward', '3')
      const yen = await ok('program', 'update', '--id', p.id, '--currency', 'JPY')
      expect(yen).toMatchObject({ currency: 'JPY', currencyDigits: 0, minPayout: 50 })
      expect(await settings(p.id)).toEqual(['JPY', '0', '50', '60', '{}'])
      expect(await terms(p.groupId)).toEqual(['fixed', '2000', '10', 'forever', null, '30', '3'])
      const dinar = await ok(
        'program',
        'update',
        '--id',
        p.id,
        '--currency',
        'KWD',
        '--min-payout',
        '7.125'
      )
      expect(dinar).toMatchObject({ currency: 'KWD', currencyDigits: 3, minPayout: 7.125 })
      expect(await terms(p.groupId)).toEqual([
        'fixed',
        '2000',
        '10000',
        'forever',
        null,
        '30',
        '3000',
      ])

      await endpoint.engine.query(
        `WITH u AS (INSERT INTO users (id, email) VALUES ($2 || '_u', $2 || '@example.com') RETURNING id),
       a AS (INSERT INTO affiliates (id, user_id, program_id, group_id, tracking_id, status)
         SELECT $2 || '_a', u.id, $1, $3, 'cur-' || lower($2), 'APPROVED' FROM u RETURNING id)
       INSERT INTO referrals (id, program_id, affiliate_id, click_id, status, reward_type,
         reward_basis_points, reward_duration, hold_days)
       SELECT $2 || '_r', $1, a.id, 'clk_' || $2, 'lead', 'percentage', 2000, 'forever', 30 FROM a`,
        [p.id, `cur${Date.now().toString(36)}`, p.groupId]
      )
      await fails(
        /^Program prog_\w+ already has referrals in KWD; its currency can no longer change\./,
        'program',
        'update',
        '--id',
        p.id,
        '--currency',
        'EUR'
      )
      // The same currency again is no change, and other settings still change.
      await ok('program', 'update', '--id', p.id, '--currency', 'KWD', '--cookie-days', '30')
      expect(await settings(p.id)).toEqual(['KWD', '3', '7125', '30', '{}'])
    })

    it('key create refuses unknown permissions and takes the tracking ones', async () => {
      const team = await ok('team', 'create', '--name', 'T')
      await fails(
        /^--permissions takes only read:affiliates, write:affiliates, write:referrals, write:commissions; "admin" is not a permission\./,
        'key',
        'create',
        '--team',
        team.id as string,
        '--permissions',
        'read:affiliates,admin'
      )
      await fails(
        /--permissions needs at least one permission/,
        'key',
        'create',
        '--team',
        team.id as string,
        '--permissions',
        ','
      )
      const key = await ok(
        'key',
        'create',
        '--team',
        team.id as string,
        '--permissions',
        'write:referrals,write:commissions'
      )
      expect(
        await one('SELECT permissions FROM api_keys WHERE id = $1', [key.id as string])
      ).toEqual(['{write:referrals,write:commissions}'])
    })

    it('payout commands print one JSON object', async () => {
      const p = await program()
      expect(await ok('payout', 'create', '--program', p.id)).toEqual({ payouts: [] })
      expect(await ok('payout', 'list', '--program', p.id, '--status', 'paid')).toEqual({
        payouts: [],
      })
      await Promise.all([
        fails(/No program with id prog_nope\./, 'payout', 'create', '--program', 'prog_nope'),
        fails(/No payout with id pay_nope\./, 'payout', 'cancel', '--id', 'pay_nope'),
        fails(/--reference is required/, 'payout', 'mark-paid', '--id', 'pay_nope'),
      ])
    })
  })
})
