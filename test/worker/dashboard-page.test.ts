import { describe, expect, it } from 'vitest'
import type { EmbedData } from '../../src/domain/read-embed-data'
import { dashboard, dashboardOptions } from '../../src/http/pages/dashboard'
import { uniqueEmail } from './support/harness'
import {
  affiliateOf,
  clickFor,
  dashboardPage,
  data,
  newTrackingTenant,
  post,
  type TrackingTenant,
} from './support/tracking'

// GET /embed's numbers: the stat cards, the 30-day chart, the reward terms and the earnings, as
// recorded, and zeros when nothing happened.

async function pageOf(t: TrackingTenant, email: string, path = '/embed', query = '') {
  const { response, body } = await dashboardPage(t, email, { path, query })
  expect(response.status).toBe(200)
  return body
}

// The text of an HTML fragment: tags dropped, whitespace collapsed.
const text = (markup: string) =>
  markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()

const card = (name: string, value: string) => `<div><dt>${name}</dt><dd>${value}</dd></div>`

function expectCsp(body: string) {
  expect(body).not.toMatch(/ style=| on[a-z]+=/)
  expect(body.match(/<script/g)).toHaveLength(1)
  expect(body.match(/<style/g)).toHaveLength(1)
}

describe('the dashboard page', () => {
  it("shows a new affiliate's zeros and asks for a first share", async () => {
    const t = await newTrackingTenant()
    const email = uniqueEmail('aff')
    await affiliateOf(t, email)
    const body = await pageOf(t, email)
    expect(body).toContain('No clicks yet: share your link')
    for (const name of ['Clicks', 'Sign-ups', 'Sales']) expect(body).toContain(card(name, '0'))
    for (const name of ['Sales amount', 'Pending', 'Approved', 'Paid'])
      expect(body).toContain(card(name, '$0.00'))
    expect(body).toContain('<figcaption>Last 30 days: 0 clicks, 0 sign-ups, 0 sales<br>')
    // No day has a bar or a mark: only the baseline.
    expect(body).not.toMatch(/<(rect|circle) [^>]*\/><\/g>/)
    expect(body).toContain(
      '<p>20 % of every sale, for as long as the customer stays, paid out after a 30-day hold.</p>'
    )
    expect(body).not.toContain('<table')
    expectCsp(body)
  })

  it('shows the clicks, sign-up, sale and refund recorded, in the cards, the chart and the table', async () => {
    const t = await newTrackingTenant()
    const email = uniqueEmail('aff')
    const trackingId = await affiliateOf(t, email, 'Dana Scully')
    const clicks = [await clickFor(t, trackingId), await clickFor(t, trackingId)]
    const referral = await data<{ id: string }>(
      await post('/v1/signups', t.trackingKey, {
        click_id: clicks[0],
        email: uniqueEmail('customer'),
      })
    )
    const sale = await data<{ id: string }>(
      await post('/v1/conversions', t.trackingKey, {
        external_event_id: `in_${crypto.randomUUID()}`,
        sale_amount: 99,
        click_id: clicks[0],
      })
    )
    expect(
      (await post(`/v1/conversions/${sale.id}/refund`, t.trackingKey, { amount: 49.5 })).status
    ).toBeLessThan(300)

    const body = await pageOf(t, email)
    expect(body).not.toContain('No clicks yet')
    expect(body).toContain(card('Clicks', '2'))
    expect(body).toContain(card('Sign-ups', '1'))
    expect(body).toContain(card('Sales', '1'))
    expect(body).toContain(card('Sales amount', '$49.50'))
    expect(body).toContain(card('Pending', '$9.90'))
    expect(body).toContain(card('Approved', '$0.00'))
    expect(body).toContain(card('Paid', '$0.00'))
    expect(body).toContain(
      '20 % of every sale, for as long as the customer stays, paid out after a 30-day hold.'
    )

    // The chart: today's bar at full height, a ring and a dot under it; the text says the same.
    expect(body).toMatch(/<div role="img" aria-label="Clicks per day over the last 30 days">/)
    expect(body).toMatch(
      /<rect x="291" y="4" width="8" height="76"\/><circle class="l" cx="295" cy="88" r="3"\/><circle cx="295" cy="96" r="3"\/><\/g><\/svg>/
    )
    expect(body.match(/<rect x=/g)).toHaveLength(1)
    expect(body).toContain('<figcaption>Last 30 days: 2 clicks, 1 sign-up, 1 sale<br>')

    const rows = [...body.matchAll(/<tr><td>.*?<\/tr>/g)].map((m) => text(m[0]))
    expect(rows).toHaveLength(1)
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date()
    )
    expect(rows[0]).toMatch(
      new RegExp(
        `^${today} …${referral.id.slice(-8)} \\$99\\.00 \\$9\\.90 Pending [A-Z][a-z]{2} \\d{1,2}, \\d{4} 20 % of \\$99\\.00$`
      )
    )
    expect(body).toContain(`title="${referral.id}"`)
    expectCsp(body)
  })
})

// The parts Affonso's query parameters hide, and the terms in other shapes, rendered directly.
describe('dashboard()', () => {
  const base: EmbedData = {
    affiliate: { name: 'Dana', email: 'dana@example.com', trackingId: 'dana', avatarUrl: null },
    link: 'https://acme.example/?via=dana',
    websiteUrl: 'https://acme.example/',
    partnershipStatus: 'APPROVED',
    program: { id: 'p', name: 'Acme', logoUrl: null },
    group: { id: 'g', name: 'Default' },
    theme: { primaryColor: null, backgroundColor: null },
    currency: 'EUR',
    asOf: '2026-11-28T08:00:00.000Z',
    rewards: { type: 'fixed', amount: 5, duration: 'once', holdDays: 0, leadReward: null },
    stats: {
      clicks: 1234,
      leads: 0,
      sales: 0,
      salesAmount: 0,
      earnings: { pending: 0, approved: 0, paid: 0 },
    },
    activity: [],
    earnings: [],
    coupon: null,
    couponBlueprint: null,
    creatives: [],
    incentives: [],
    portalUrl: null,
  }
  const render = async (data: EmbedData, options = {}) => String(await dashboard(data, options))

  it('words the terms for fixed, first-sale, monthly and sign-up rewards', async () => {
    expect(await render(base)).toContain('<p>€5.00 per sale, for the first sale only.</p>')
    expect(
      await render({
        ...base,
        rewards: {
          type: 'percentage',
          amount: 12.5,
          duration: 'months:12',
          holdDays: 14,
          leadReward: 2,
        },
      })
    ).toContain(
      '<p>12.5 % of every sale, for 12 months, and €2.00 for every new sign-up, paid out after a 14-day hold.</p>'
    )
    expect(await render(base)).toContain(card('Clicks', '1,234'))
  })

  it('hides the header, the terms, the reports and the QR code when asked', async () => {
    const all = await render(base)
    for (const part of ['<h1>', 'Your reward', 'Your results', 'QR code'])
      expect(all).toContain(part)
    const none = await render(
      base,
      dashboardOptions(
        (name) =>
          ({ showHeader: 'false', showRewards: '0', showReports: 'FALSE', enableQRCode: '0' })[name]
      )
    )
    for (const part of ['<h1>', 'Your reward', 'Your results', 'QR code'])
      expect(none).not.toContain(part)
    expect(none).toContain('id="link"')
    expect(dashboardOptions((name) => (name === 'showHeader' ? 'true' : undefined))).toEqual({
      showHeader: true,
      showRewards: true,
      showReports: true,
      enableQRCode: true,
      padding: true,
    })
    expect(dashboardOptions((name) => (name === 'padding' ? 'false' : undefined)).padding).toBe(
      false
    )
  })

  it("follows Affonso's options through /embed/referrals: showRewards=false hides the terms", async () => {
    const t = await newTrackingTenant()
    const email = uniqueEmail('aff')
    await affiliateOf(t, email)
    const shown = await pageOf(t, email, '/embed/referrals', '')
    const hidden = await pageOf(t, email, '/embed/referrals', '&showRewards=false&lang=de')
    expect(shown).toContain('paid out after a 30-day hold')
    expect(hidden).not.toContain('paid out after a 30-day hold')
  })
})
