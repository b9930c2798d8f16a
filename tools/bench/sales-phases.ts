import { succeeded } from './load'
import { IMPLS, type Impl } from './measurements'
import { type DelayContext, log, logPhase, phaseFigures } from './phase-context'
import { createAffiliate, seedReferrals } from './tracking-seed'
import { conversionId, conversionSource, refundSource } from './tracking-traffic'

// POST /v1/conversions and POST /v1/conversions/{id}/refund, ours (one statement each) and the
// baseline's step-by-step chains, at one delay: sales to a pool of seeded referrals (each with
// a customer id, as a renewal would name it), then refunds of a cent of the sales each
// implementation recorded. Every answer must be the route's success (201, then 200).

const WARMUP_CONCURRENCY = 8

export async function measureSales(context: DelayContext): Promise<void> {
  const { database, rttMs, settings, measurements, phase, url } = context
  const { tracking } = settings
  const tenant = database.tenant
  const affiliate = await createAffiliate(
    url('ours'),
    database.endpoint.engine,
    tenant,
    'sales@bench.example'
  )
  const customers = await seedReferrals(
    database.endpoint.engine,
    affiliate.id,
    'sale',
    tracking.referralPool
  )
  const sold: Record<Impl, string[]> = { ours: [], baseline: [] }
  const keep = (impl: Impl) => (body: string) => {
    const id = conversionId(body)
    if (id !== undefined) sold[impl].push(id)
  }

  for (const impl of IMPLS) {
    await phase(`warm-up ${impl} sales`, {
      url: url(impl),
      source: conversionSource(tenant, customers, `warm-sale-${impl}-d${rttMs}`),
      concurrency: WARMUP_CONCURRENCY,
      length: { amount: tracking.warmupRequests },
      check: succeeded(201),
      onAnswer: keep(impl),
    })
  }
  for (const concurrency of tracking.salesConcurrencies) {
    for (const impl of IMPLS) {
      const label = `${impl} POST /v1/conversions c=${concurrency}`
      const result = await phase(label, {
        url: url(impl),
        source: conversionSource(tenant, customers, `sale-${impl}-d${rttMs}-c${concurrency}`),
        concurrency,
        length: { seconds: tracking.phaseSeconds },
        check: succeeded(201),
        onAnswer: keep(impl),
      })
      measurements.sales.push({
        route: 'conversion',
        ...phaseFigures(impl, rttMs, concurrency, result),
      })
      logPhase(label, result)
    }
  }

  for (const impl of IMPLS) {
    if (sold[impl].length < WARMUP_CONCURRENCY * 2)
      throw new Error(`${impl}: too few sales to refund (${sold[impl].length})`)
    await phase(`warm-up ${impl} refunds`, {
      url: url(impl),
      source: refundSource(tenant, sold[impl], `warm-refund-${impl}-d${rttMs}`),
      concurrency: WARMUP_CONCURRENCY,
      length: { amount: tracking.warmupRequests },
      check: succeeded(200),
    })
  }
  for (const concurrency of tracking.salesConcurrencies) {
    for (const impl of IMPLS) {
      const label = `${impl} POST …/refund c=${concurrency}`
      const result = await phase(label, {
        url: url(impl),
        source: refundSource(tenant, sold[impl], `refund-${impl}-d${rttMs}-c${concurrency}`),
        concurrency,
        length: { seconds: tracking.phaseSeconds },
        check: succeeded(200),
      })
      measurements.sales.push({
        route: 'refund',
        ...phaseFigures(impl, rttMs, concurrency, result),
      })
      logPhase(label, result)
    }
  }
  log(`  (sales recorded: ours ${sold.ours.length}, baseline ${sold.baseline.length})`)
}
