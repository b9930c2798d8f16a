import { stack } from './browser'

// What a host records for one affiliate through the API, as its server would: clicks on the
// last few days, a sign-up, two sales (the second from a click without a sign-up, which makes
// it a referral too) and a partial refund. Returns a fresh token for the
// affiliate's dashboard, whose numbers then come from these requests alone.

async function call<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${stack.serviceUrl}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const answer = (await response.json()) as { data?: T }
  if (response.status >= 300 || answer.data === undefined)
    throw new Error(`${path} answered ${response.status}: ${JSON.stringify(answer)}`)
  return answer.data
}

const DAY = 86_400_000

export async function affiliateWithActivity(email: string, name: string): Promise<string> {
  const partner = { email, name }
  const { link } = await call<{ link: string }>('/v1/embed/token', {
    programId: stack.programId,
    partner,
  })
  const trackingId = new URL(link).searchParams.get('via')
  if (trackingId === null) throw new Error('no tracking id in the link')
  const clicks: string[] = []
  for (const [daysAgo, count] of [
    [6, 2],
    [4, 5],
    [2, 3],
    [0, 4],
  ] as const) {
    const createdAt = new Date(Date.now() - daysAgo * DAY - 60_000).toISOString()
    for (let i = 0; i < count; i++)
      clicks.push(
        (
          await call<{ id: string }>('/v1/clicks', {
            programId: stack.programId,
            trackingId,
            createdAt,
          })
        ).id
      )
  }
  const customer = `customer.${crypto.randomUUID().slice(0, 8)}@example.com`
  await call('/v1/signups', { click_id: clicks[0], email: customer })
  const sale = await call<{ id: string }>('/v1/conversions', {
    external_event_id: `in_${crypto.randomUUID()}`,
    sale_amount: 99,
    click_id: clicks[0],
  })
  await call('/v1/conversions', {
    external_event_id: `in_${crypto.randomUUID()}`,
    sale_amount: 49,
    click_id: clicks[5],
  })
  await call(`/v1/conversions/${sale.id}/refund`, { amount: 49.5 })
  const token = await call<{ publicToken: string }>('/v1/embed/token', {
    programId: stack.programId,
    partner,
  })
  return token.publicToken
}
