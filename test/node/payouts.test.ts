// Payouts (docs/TRACKING.md, "Commissions and payouts") through the operator's commands, against
// the local endpoint: PostgreSQL when LOCAL_POSTGRES_URL is set (a scratch database, so racing
// statements really run on separate connections), PGlite otherwise. The tracking rows are
// inserted directly: these tests are about what the payouts do with them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { applyMigrations } from '../../drizzle/migrate'
import { engineTarget } from '../../drizzle/targets'
import * as ops from '../../src/admin/operations'
import { OperatorError } from '../../src/admin/operator-error'
import * as payouts from '../../src/admin/payouts'
import { createDb, type Db } from '../../src/data/db'
import { minorToMajor } from '../../src/domain/money'
import { createScratchDatabase, type ScratchDatabase } from '../../tools/scratch-database'
import { startSqlEndpoint, type SqlEndpoint } from '../../tools/sql-endpoint/index'

const POSTGRES_URL = process.env.LOCAL_POSTGRES_URL?.trim()
let scratch: ScratchDatabase | undefined
let endpoint: SqlEndpoint
let db: Db

beforeAll(async () => {
  if (POSTGRES_URL) scratch = await createScratchDatabase(POSTGRES_URL, 'embed_payouts')
  endpoint = await startSqlEndpoint({
    engine: scratch ? { kind: 'postgres', url: scratch.url, max: 20 } : { kind: 'pglite' },
  })
  await applyMigrations(engineTarget(endpoint.engine))
  db = createDb(
    { DATABASE_URL: 'postgres://embed:embed@db.local/embed', LOCAL_SQL_ENDPOINT: endpoint.url },
    'payouts-test'
  )
})
afterAll(async () => {
  await endpoint?.close()
  await scratch?.drop()
})

async function query(text: string, params: (string | null)[] = []) {
  return (await endpoint.engine.query(text, params)).rows
}

let serial = 0
const next = (prefix: string) => `${prefix}_t${++serial}_${Math.random().toString(36).slice(2, 8)}`

interface Tenant {
  programId: string
  groupId: string
}

async function tenant(settings: { minPayout?: string; currency?: string } = {}): Promise<Tenant> {
  const team = await ops.createTeam(db, 'Payout team')
  const program = await ops.createProgram(db, {
    team: team.id,
    name: 'Payout program',
    website: 'https://shop.example',
    ...settings,
  })
  return { programId: program.id, groupId: program.defaultGroupId }
}

async function affiliate(t: Tenant): Promise<string> {
  const id = next('aff')
  const user = next('usr')
  await query(
    `WITH u AS (INSERT INTO users (id, email) VALUES ($1, $2) RETURNING id)
     INSERT INTO affiliates (id, user_id, program_id, group_id, tracking_id, status)
     SELECT $3, u.id, $4, $5, $6, 'APPROVED' FROM u`,
    [user, `${user}@example.com`, id, t.programId, t.groupId, id.replace(/_/g, '-').toLowerCase()]
  )
  return id
}

// A referral with one sale and its commission (or a lead reward, or a clawback), as the tracking
// statements would have recorded them. `heldDays` < 0 means the hold is over.
async function commission(
  t: Tenant,
  affiliateId: string,
  amountMinor: number,
  options: { kind?: 'sale' | 'lead' | 'clawback'; heldDays?: number; status?: string } = {}
): Promise<string> {
  const { kind = 'sale', heldDays = -1, status = 'unpaid' } = options
  const referral = next('ref')
  const conversion = kind === 'lead' ? null : next('conv')
  const id = next('com')
  const currency = (
    await query('SELECT currency FROM programs WHERE id = $1', [t.programId])
  )[0]?.[0]
  await query(
    `INSERT INTO referrals (id, program_id, affiliate_id, click_id, status, reward_type,
       reward_basis_points, reward_duration, hold_days)
     VALUES ($1, $2, $3, $4, 'customer', 'percentage', 2000, 'forever', 30)`,
    [referral, t.programId, affiliateId, `clk_${referral}`]
  )
  if (conversion !== null) {
    await query(
      `INSERT INTO conversions (id, program_id, affiliate_id, referral_id, external_event_id,
         sale_minor, currency, sold_at)
       VALUES ($1, $2, $3, $4, $1, 100000, $5, now())`,
      [conversion, t.programId, affiliateId, referral, currency ?? 'USD']
    )
  }
  await query(
    `INSERT INTO commissions (id, program_id, affiliate_id, referral_id, conversion_id, kind,
       amount_minor, original_minor, currency, status, decline_reason, base_minor, reward_type,
       reward_basis_points, hold_days, hold_until)
     VALUES ($1, $2, $3, $4, $5, $6::commission_kind, $7::bigint, $7::bigint, $8,
       $9::commission_status, CASE WHEN $9 = 'declined' THEN 'test' END, 100000, 'percentage',
       2000, 30, now() + make_interval(days => $10::int))`,
    [
      id,
      t.programId,
      affiliateId,
      referral,
      conversion,
      kind,
      String(amountMinor),
      currency ?? 'USD',
      status,
      String(heldDays),
    ]
  )
  return id
}

async function payoutOf(commissionId: string) {
  return (await query('SELECT payout_id, status FROM commissions WHERE id = $1', [commissionId]))[0]
}

async function refused(promise: Promise<unknown>, sentence: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(OperatorError)
  expect((error as Error).message).toMatch(sentence)
}

describe('payout create', () => {
  let t: Tenant
  beforeEach(async () => {
    t = await tenant({ minPayout: '50' })
  })

  it('gathers approved commissions per affiliate, nets clawbacks, respects the minimum', async () => {
    const rich = await affiliate(t)
    const poor = await affiliate(t)
    const clawed = await affiliate(t)
    const sale = await commission(t, rich, 4000)
    const lead = await commission(t, rich, 1500, { kind: 'lead' })
    const held = await commission(t, rich, 9900, { heldDays: 10 })
    const declined = await commission(t, rich, 0, { status: 'declined' })
    const small = await commission(t, poor, 4999)
    const big = await commission(t, clawed, 8000)
    const clawback = await commission(t, clawed, -2500, { kind: 'clawback' })

    const { payouts: created } = await payouts.createPayouts(db, { program: t.programId })
    expect(created).toHaveLength(2)
    const byAffiliate = Object.fromEntries(created.map((p) => [p.affiliateId, p]))
    expect(byAffiliate[rich]).toMatchObject({
      programId: t.programId,
      amount: 55,
      currency: 'USD',
      status: 'pending',
      commissions: 2,
      reference: null,
      paidAt: null,
    })
    expect(byAffiliate[rich]?.id).toMatch(/^pay_[0-9a-f]{32}$/)
    // 80.00 - 25.00: the clawback nets out.
    expect(byAffiliate[clawed]).toMatchObject({ amount: 55, commissions: 2 })
    expect(byAffiliate[poor]).toBeUndefined()

    expect((await payoutOf(sale))?.[0]).toBe(byAffiliate[rich]?.id)
    expect((await payoutOf(lead))?.[0]).toBe(byAffiliate[rich]?.id)
    expect((await payoutOf(held))?.[0]).toBeNull()
    expect((await payoutOf(declined))?.[0]).toBeNull()
    expect((await payoutOf(small))?.[0]).toBeNull()
    expect((await payoutOf(big))?.[0]).toBe(byAffiliate[clawed]?.id)
    expect((await payoutOf(clawback))?.[0]).toBe(byAffiliate[clawed]?.id)

    // Nothing is left to gather a second time.
    expect((await payouts.createPayouts(db, { program: t.programId })).payouts).toEqual([])
  })

  it('pays nothing while clawbacks outweigh the earnings', async () => {
    const a = await affiliate(t)
    await ops.updateProgram(db, { id: t.programId, minPayout: '0' })
    const sale = await commission(t, a, 1000)
    const clawback = await commission(t, a, -3000, { kind: 'clawback' })
    expect((await payouts.createPayouts(db, { program: t.programId })).payouts).toEqual([])
    expect((await payoutOf(sale))?.[0]).toBeNull()
    expect((await payoutOf(clawback))?.[0]).toBeNull()
  })

  it('uses the digits stored with the program (JPY has none)', async () => {
    const yen = await tenant({ currency: 'JPY', minPayout: '5000' })
    const a = await affiliate(yen)
    await commission(yen, a, 4000)
    await commission(yen, a, 1234)
    const { payouts: created } = await payouts.createPayouts(db, { program: yen.programId })
    expect(created).toMatchObject([{ amount: 5234, currency: 'JPY', commissions: 2 }])
  })

  it('refuses an unknown program', async () => {
    await refused(
      payouts.createPayouts(db, { program: 'prog_nope' }),
      /No program with id prog_nope\./
    )
  })
})

describe('payout mark-paid, cancel and list', () => {
  it('marks a pending payout and its commissions paid, once', async () => {
    const t = await tenant()
    const a = await affiliate(t)
    const sale = await commission(t, a, 1999)
    const [payout] = (await payouts.createPayouts(db, { program: t.programId })).payouts
    if (payout === undefined) throw new Error('no payout')
    expect(payout.amount).toBe(19.99)

    const paid = await payouts.markPayoutPaid(db, { id: payout.id, reference: 'wire-42' })
    expect(paid).toMatchObject({
      id: payout.id,
      status: 'paid',
      reference: 'wire-42',
      amount: 19.99,
    })
    expect(paid.paidAt).not.toBeNull()
    expect(await payoutOf(sale)).toEqual([payout.id, 'paid'])

    await refused(
      payouts.markPayoutPaid(db, { id: payout.id, reference: 'again' }),
      /^Payout pay_\w+ is paid; only a pending payout can be marked paid\.$/
    )
    await refused(
      payouts.cancelPayout(db, { id: payout.id }),
      /^Payout pay_\w+ is paid; only a pending payout can be cancelled\.$/
    )
    await refused(
      payouts.markPayoutPaid(db, { id: 'pay_nope', reference: 'x' }),
      /^No payout with id pay_nope\.$/
    )
    await refused(payouts.markPayoutPaid(db, { id: payout.id }), /--reference is required/)
  })

  it('cancel releases the commissions into the next payout', async () => {
    const t = await tenant()
    const a = await affiliate(t)
    const one = await commission(t, a, 1000)
    const two = await commission(t, a, 2000)
    const [first] = (await payouts.createPayouts(db, { program: t.programId })).payouts
    if (first === undefined) throw new Error('no payout')

    const cancelled = await payouts.cancelPayout(db, { id: first.id })
    expect(cancelled).toMatchObject({ id: first.id, status: 'cancelled', released: 2, amount: 30 })
    expect(cancelled.cancelledAt).not.toBeNull()
    expect(await payoutOf(one)).toEqual([null, 'unpaid'])
    await refused(
      payouts.cancelPayout(db, { id: first.id }),
      /^Payout pay_\w+ is cancelled; only a pending payout can be cancelled\.$/
    )
    await refused(
      payouts.markPayoutPaid(db, { id: first.id, reference: 'r' }),
      /is cancelled; only a pending payout can be marked paid/
    )

    const [second] = (await payouts.createPayouts(db, { program: t.programId })).payouts
    expect(second).toMatchObject({ amount: 30, commissions: 2 })
    expect(second?.id).not.toBe(first.id)
    expect((await payoutOf(two))?.[0]).toBe(second?.id)

    const all = await payouts.listPayouts(db, { program: t.programId })
    expect(all.payouts.map((p) => [p.id, p.status, p.amount, p.commissions])).toEqual(
      expect.arrayContaining([
        [first.id, 'cancelled', 30, 0],
        [second?.id, 'pending', 30, 2],
      ])
    )
    expect(all.payouts).toHaveLength(2)
    const pending = await payouts.listPayouts(db, { program: t.programId, status: 'pending' })
    expect(pending.payouts.map((p) => p.id)).toEqual([second?.id])
    expect(
      (await payouts.listPayouts(db, { program: t.programId, status: 'paid' })).payouts
    ).toEqual([])
    await refused(
      payouts.listPayouts(db, { program: t.programId, status: 'lost' }),
      /--status must be one of: pending, paid, cancelled/
    )
    await refused(payouts.listPayouts(db, { program: 'prog_nope' }), /No program with id prog_nope/)
  })
})

describe('payouts under races', () => {
  it(`never puts a commission in two payouts (${POSTGRES_URL ? 'PostgreSQL' : 'PGlite'})`, async () => {
    const t = await tenant()
    const affiliates = await Promise.all(Array.from({ length: 6 }, () => affiliate(t)))
    let expected = 0
    for (const [i, a] of affiliates.entries()) {
      for (let k = 0; k < 15; k++) {
        const amount = 100 + i * 10 + k
        expected += amount
        await commission(t, a, amount)
      }
    }
    for (let round = 0; round < 3; round++) {
      const runs = await Promise.all(
        Array.from({ length: 8 }, () => payouts.createPayouts(db, { program: t.programId }))
      )
      // Each round adds fresh commissions, for the next round's racers.
      for (const a of affiliates) {
        expected += 77
        await commission(t, a, 77)
      }
      const created = runs.flatMap((r) => r.payouts)
      expect(new Set(created.map((p) => p.id)).size).toBe(created.length)
    }
    await payouts.createPayouts(db, { program: t.programId })

    // Every payout's amount is exactly the sum of the commissions carrying its id, and together
    // they are every commission, each counted once.
    const rows = await query(
      `SELECT p.id, p.amount_minor::text, coalesce(sum(c.amount_minor), 0)::text, count(c.id)::text
       FROM payouts p LEFT JOIN commissions c ON c.payout_id = p.id
       WHERE p.program_id = $1 GROUP BY p.id`,
      [t.programId]
    )
    for (const [, amount, sum, count] of rows) {
      expect(sum).toBe(amount)
      expect(Number(count)).toBeGreaterThan(0)
    }
    const total = rows.reduce((s, row) => s + Number(row[1]), 0)
    expect(total).toBe(expected)
    const unassigned = await query(
      'SELECT count(*)::text FROM commissions WHERE program_id = $1 AND payout_id IS NULL',
      [t.programId]
    )
    expect(unassigned[0]?.[0]).toBe('0')
    expect(minorToMajor(BigInt(total), 2)).toBe(total / 100)
  })

  it('a payout is paid or cancelled, never both, when the two race', async () => {
    const t = await tenant()
    const a = await affiliate(t)
    const sale = await commission(t, a, 5000)
    const [payout] = (await payouts.createPayouts(db, { program: t.programId })).payouts
    if (payout === undefined) throw new Error('no payout')
    const outcomes = await Promise.allSettled([
      payouts.markPayoutPaid(db, { id: payout.id, reference: 'r1' }),
      payouts.cancelPayout(db, { id: payout.id }),
      payouts.markPayoutPaid(db, { id: payout.id, reference: 'r2' }),
      payouts.cancelPayout(db, { id: payout.id }),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    const [status] = (await query('SELECT status FROM payouts WHERE id = $1', [payout.id]))[0] ?? []
    const [payoutId, commissionStatus] = (await payoutOf(sale)) ?? []
    if (status === 'paid') expect([payoutId, commissionStatus]).toEqual([payout.id, 'paid'])
    else expect([payoutId, commissionStatus]).toEqual([null, 'unpaid'])
  })
})

describe('minorToMajor', () => {
  it('reads minor units with the stored digits', () => {
    expect(minorToMajor(1980n, 2)).toBe(19.8)
    expect(minorToMajor(-5n, 2)).toBe(-0.05)
    expect(minorToMajor(12345n, 0)).toBe(12345)
    expect(minorToMajor(1n, 3)).toBe(0.001)
    expect(minorToMajor(0n, 2)).toBe(0)
  })
})
