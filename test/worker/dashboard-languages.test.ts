import { describe, expect, it } from 'vitest'
import { catalogues } from '../../src/http/pages/catalogues'
import { fill } from '../../src/http/pages/strings'
import { englishPieces } from '../support/english-pieces'
import { call, uniqueEmail } from './support/harness'
import {
  affiliateOf,
  clickFor,
  dashboardPage,
  data,
  newTrackingTenant,
  post,
  type TrackingTenant,
} from './support/tracking'

// GET /embed in the visitor's language: ?lang=, else Accept-Language, else English.

const pageOf = (t: TrackingTenant, email: string, query = '', headers = {}) =>
  dashboardPage(t, email, { query, headers })

// What a reader meets: text and the attributes read aloud or shown, without style and script.
const readable = (markup: string) =>
  markup
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/ (?:alt|aria-label|title|data-ok|data-fail)="([^"]*)"/g, ' >$1<')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')

async function withSale(): Promise<{ t: TrackingTenant; email: string }> {
  const t = await newTrackingTenant()
  const email = uniqueEmail('aff')
  const trackingId = await affiliateOf(t, email, 'Dana Scully')
  const click = await clickFor(t, trackingId)
  const sale = await data<{ id: string }>(
    await post('/v1/conversions', t.trackingKey, {
      external_event_id: `in_${crypto.randomUUID()}`,
      sale_amount: 99,
      click_id: click,
    })
  )
  await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, { amount: 49.5 })
  return { t, email }
}

describe('the dashboard in fourteen languages', () => {
  it('?lang=de shows no English label, and money and dates as Intl writes them for de', async () => {
    const { t, email } = await withSale()
    const { response, body } = await pageOf(t, email, '&lang=de')
    expect(response.status).toBe(200)
    expect(response.headers.get('Vary')).toContain('Accept-Language')
    expect(body).toMatch(/^<!doctype html><html lang="de">/)
    expect(body).toContain('<title>')
    const page = readable(body)
    // Words German writes as English does.
    const same = new Set(['Status'])
    const english = englishPieces(catalogues.en).filter((v) => v.length > 3 && !same.has(v))
    expect(english.filter((v) => page.includes(v))).toEqual([])
    expect(page).toContain(catalogues.de.linkHeading)

    const money = new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD' })
    expect(body).toContain(`<dt>${catalogues.de.salesAmount}</dt><dd>${money.format(49.5)}</dd>`)
    const today = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date()
    )
    expect(body).toContain(`<tr><td>${today}</td>`)
    expect(body).toContain('20\u00a0% auf jeden Verkauf')
    // The earnings table explains each line in German too.
    expect(body).toContain(
      `<td>${fill(catalogues.de.explain.percentage, { percent: '20\u00a0%', base: money.format(99) })}</td></tr>`
    )
  })

  it('takes the best of Accept-Language', async () => {
    const t = await newTrackingTenant()
    const email = uniqueEmail('aff')
    await affiliateOf(t, email)
    const { response, body } = await pageOf(t, email, '', {
      'Accept-Language': 'fr-CH, fr;q=0.9, en;q=0.8',
    })
    expect(response.status).toBe(200)
    expect(body).toMatch(/^<!doctype html><html lang="fr">/)
    expect(body).toContain(`<h2 id="lt">${catalogues.fr.linkHeading}</h2>`)
    expect(body).toContain('30 derniers jours : 0 clic, 0 inscription, 0 vente')
    expect(response.headers.get('Vary')).toContain('Accept-Language')
  })

  it('is English for an unknown ?lang= and no header, and ?lang= wins over the header', async () => {
    const t = await newTrackingTenant()
    const email = uniqueEmail('aff')
    await affiliateOf(t, email)
    const unknown = await pageOf(t, email, '&lang=xx')
    expect(unknown.body).toMatch(/^<!doctype html><html lang="en">/)
    expect(unknown.body).toContain('<h2 id="lt">Your referral link</h2>')
    const both = await pageOf(t, email, '&lang=JA-jp', { 'Accept-Language': 'de' })
    expect(both.body).toMatch(/^<!doctype html><html lang="ja">/)
    const fallback = await pageOf(t, email, '&lang=xx', { 'Accept-Language': 'xx, ko;q=0.5' })
    expect(fallback.body).toMatch(/^<!doctype html><html lang="ko">/)
  })

  it('writes Arabic right to left, with its own digits', async () => {
    const { t, email } = await withSale()
    const { response, body } = await pageOf(t, email, '&lang=ar')
    expect(response.status).toBe(200)
    expect(body).toMatch(/^<!doctype html><html lang="ar" dir="rtl">/)
    expect(body).toContain(`<h2 id="lt">${catalogues.ar.linkHeading}</h2>`)
    const money = new Intl.NumberFormat('ar', { style: 'currency', currency: 'USD' })
    expect(body).toContain(`<dt>${catalogues.ar.salesAmount}</dt><dd>${money.format(49.5)}</dd>`)
    expect(body).toContain(
      `<dt>${catalogues.ar.clicks}</dt><dd>${new Intl.NumberFormat('ar').format(1)}</dd>`
    )
  })

  it('renders every language with its lang attribute', async () => {
    const t = await newTrackingTenant()
    const email = uniqueEmail('aff')
    await affiliateOf(t, email)
    for (const [code, strings] of Object.entries(catalogues)) {
      const { response, body } = await pageOf(t, email, `&lang=${code}`)
      expect(response.status, code).toBe(200)
      expect(body, code).toMatch(new RegExp(`^<!doctype html><html lang="${code}"[ >]`))
      expect(body, code).toContain(`<h2 id="st">${strings.statsHeading}</h2>`)
    }
  })

  it('shows the error screen in the language too', async () => {
    const response = await call('/embed?token=nonsense&lang=es')
    expect(response.status).toBe(401)
    const body = await response.text()
    expect(body).toMatch(/^<!doctype html><html lang="es"/)
    expect(body).toContain(`<h1>${catalogues.es.errors.ended.title}</h1>`)
    expect(response.headers.get('Vary')).toContain('Accept-Language')
  })
})
