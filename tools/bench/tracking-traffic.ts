import { type Tenant, TRACKING_ORIGIN } from './seed'
import { numbered, type RequestSource } from './traffic'

// The requests of the tracking and dashboard phases. Every source numbers its requests, so each
// carries its own X-Request-Id (round trips by tag) and, where the route would deduplicate or
// limit by it, its own identity: a fresh visitor address per click, a fresh external event id
// per sale.

export const CLICK_ROUTE = '/v1/track/click'
export const CONVERSION_ROUTE = '/v1/conversions'
export const DATA_ROUTE = '/v1/embed/data'
export const PAGE_ROUTE = '/embed'

// A browser's user agent: the click route answers crawlers and tools without counting them.
const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36'

let visitors = 0

// A different address for every click of the run: the click route's limiter (120 a minute per
// address) never refuses the benchmark, and no two clicks share a visitor's click id (the same
// visitor on the same affiliate within the hour is one click).
function nextVisitor(): string {
  const n = ++visitors
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

export function clickSource(tenant: Tenant, trackingId: string, label: string): RequestSource {
  return numbered(label, () => ({
    method: 'POST',
    path: CLICK_ROUTE,
    headers: {
      // What the tracking script sends: a CORS simple request.
      'content-type': 'text/plain;charset=UTF-8',
      origin: TRACKING_ORIGIN,
      'user-agent': BROWSER,
      'cf-connecting-ip': nextVisitor(),
    },
    body: JSON.stringify({
      programId: tenant.programId,
      trackingId,
      url: `${TRACKING_ORIGIN}/pricing?via=${trackingId}&bench=${label}`,
      referrer: 'https://news.example/',
    }),
  }))
}

function withKey(tenant: Tenant, n: number): Record<string, string> {
  const keys = tenant.apiKeys
  return {
    'content-type': 'application/json',
    authorization: `Bearer ${keys[n % keys.length]}`,
  }
}

// Sales of the referrals the bench seeded (tracking-seed.ts), cycled in order so no two
// concurrent requests lock the same referral; each a new external event id, so each is recorded.
export function conversionSource(
  tenant: Tenant,
  customerIds: readonly string[],
  label: string
): RequestSource {
  return numbered(label, (n) => ({
    method: 'POST',
    path: CONVERSION_ROUTE,
    headers: withKey(tenant, n),
    body: JSON.stringify({
      external_event_id: `evt-${label}-${n}`,
      sale_amount: 100,
      customer_id: customerIds[n % customerIds.length],
    }),
  }))
}

// A cent of a sale recorded earlier, cycled over the sales in order: a sale of 100.00 takes
// 10,000 of them before it is refunded in full.
export function refundSource(
  tenant: Tenant,
  conversionIds: readonly string[],
  label: string
): RequestSource {
  return numbered(label, (n) => ({
    method: 'POST',
    path: `${CONVERSION_ROUTE}/${conversionIds[n % conversionIds.length]}/refund`,
    headers: withKey(tenant, n),
    body: JSON.stringify({ amount: 0.01, reason: 'bench' }),
  }))
}

export function dashboardSource(
  route: 'data' | 'page',
  token: string,
  label: string
): RequestSource {
  const headers: Record<string, string> =
    route === 'data' ? { authorization: `Bearer ${token}` } : {}
  const path =
    route === 'data' ? DATA_ROUTE : `${PAGE_ROUTE}?token=${encodeURIComponent(token)}&lang=en`
  return numbered(label, () => ({ method: 'GET', path, headers }))
}

// The id of a conversion answer ({"success":true,"data":{"id":"cnv_…",…}}).
export function conversionId(body: string): string | undefined {
  const match = /"id":"(cnv_[A-Za-z0-9]+)"/.exec(body)
  return match?.[1]
}
