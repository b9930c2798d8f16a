import { succeeded } from './load'
import type { DashboardRoute, Impl } from './measurements'
import { type DelayContext, log, logPhase, phaseFigures } from './phase-context'
import { createAffiliate, seedClicks, seedSales } from './tracking-seed'
import { dashboardSource } from './tracking-traffic'

// The dashboard at growing history sizes: one affiliate, first with nothing, then with 10,000
// clicks and 10,000 sales, then with the largest history (a million clicks in a full run), all
// written in bulk through SQL. At each size, one request at a time: ours GET /v1/embed/data and
// GET /embed (one statement that reads the rollups), and the baseline's GET /v1/embed/data, the
// same statement with the counts taken by count(*) and sum() over the raw rows.

const WARMUP_REQUESTS = 10

function pageRendered(status: number, body: string): string | undefined {
  if (status === 200 && /^<!doctype html>/i.test(body)) return undefined
  return `HTTP ${status}: ${body.slice(0, 300)}`
}

const CASES: { impl: Impl; route: DashboardRoute; title: string }[] = [
  { impl: 'ours', route: 'data', title: 'ours GET /v1/embed/data' },
  { impl: 'ours', route: 'page', title: 'ours GET /embed' },
  { impl: 'baseline', route: 'data', title: 'baseline GET /v1/embed/data' },
]

export async function measureDashboard(context: DelayContext): Promise<void> {
  const { database, rttMs, settings, measurements, phase, url } = context
  const { dashboard } = settings
  const engine = database.endpoint.engine
  const affiliate = await createAffiliate(
    url('ours'),
    engine,
    database.tenant,
    'dashboard@bench.example'
  )
  const largest = Math.max(...dashboard.clickSizes)
  let clicks = 0
  let sales = 0

  for (const size of dashboard.clickSizes) {
    if (size > clicks) {
      const started = Date.now()
      await seedClicks(engine, database.tenant.programId, affiliate.id, clicks + 1, size)
      const seconds = (Date.now() - started) / 1000
      measurements.seeds.push({ what: `${(size - clicks).toLocaleString('en')} clicks`, seconds })
      log(`  seeded ${(size - clicks).toLocaleString('en')} clicks in ${seconds.toFixed(1)} s`)
      clicks = size
    }
    if (size > 0 && sales === 0 && dashboard.sales > 0) {
      const started = Date.now()
      await seedSales(engine, affiliate.id, dashboard.sales)
      const seconds = (Date.now() - started) / 1000
      measurements.seeds.push({
        what: `${dashboard.sales.toLocaleString('en')} sales`,
        seconds,
      })
      log(`  seeded ${dashboard.sales.toLocaleString('en')} sales in ${seconds.toFixed(1)} s`)
      sales = dashboard.sales
    }
    // Fresh statistics, as autovacuum keeps them on a server, so the planner knows the sizes.
    await engine.query('ANALYZE', [])

    for (const { impl, route, title } of CASES) {
      const label = `dash-${impl}-${route}-${size}`
      const check = route === 'data' ? succeeded(200) : pageRendered
      await phase(`warm-up ${title}`, {
        url: url(impl),
        source: dashboardSource(route, affiliate.token, `warm-${label}`),
        concurrency: 1,
        length: { amount: WARMUP_REQUESTS },
        check,
      })
      const amount =
        impl === 'ours'
          ? dashboard.requests
          : size === largest && size > 0
            ? dashboard.baselineRequestsLargest
            : dashboard.baselineRequests
      const result = await phase(`${title}, ${clicks} clicks`, {
        url: url(impl),
        source: dashboardSource(route, affiliate.token, label),
        concurrency: 1,
        length: { amount },
        check,
      })
      measurements.dashboard.push({
        route,
        clicks,
        sales,
        ...phaseFigures(impl, rttMs, 1, result),
      })
      logPhase(`${title}, ${clicks.toLocaleString('en')} clicks`, result)
    }
  }
}
