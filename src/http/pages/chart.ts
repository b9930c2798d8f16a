import { html } from 'hono/html'
import type { EmbedData } from '../../domain/read-embed-data'
import type { Formats } from './numbers'
import type { Strings } from './strings'

// The last 30 days as an SVG drawn on the server: a bar of clicks a day, under it a ring on the
// days with sign-ups and a dot on the days with sales. No script, no external resource, no
// `style` attribute (the page's CSP allows only its nonce'd stylesheet): geometry goes in
// presentation attributes, colours in embed.css (`.c`). A day without clicks has no bar, only
// the baseline: nothing is drawn that did not happen.
//
// Drawn inside a role="img" wrapper that names it, followed by the same numbers as text.

const SLOT = 10
const BAR = 8
const BASELINE = 80
const TALLEST = 76

export function activityChart(activity: EmbedData['activity'], t: Strings, f: Formats) {
  const most = Math.max(1, ...activity.map((d) => d.clicks))
  const sum = (key: 'clicks' | 'leads' | 'sales') => activity.reduce((n, d) => n + d[key], 0)
  const [clicks, leads, sales] = [sum('clicks'), sum('leads'), sum('sales')]
  const width = activity.length * SLOT
  const days = activity.map((d, i) => {
    const x = i * SLOT
    const middle = x + SLOT / 2
    const height = d.clicks === 0 ? 0 : Math.max(1, Math.round((d.clicks / most) * TALLEST))
    const label = `${f.day(d.date)}: ${t.clickCount(d.clicks, f.count(d.clicks))}, ${t.leadCount(d.leads, f.count(d.leads))}, ${t.saleCount(d.sales, f.count(d.sales))}`
    return html`<g><title>${label}</title>${height > 0 ? html`<rect x="${x + 1}" y="${BASELINE - height}" width="${BAR}" height="${height}"/>` : ''}${d.leads > 0 ? html`<circle class="l" cx="${middle}" cy="88" r="3"/>` : ''}${d.sales > 0 ? html`<circle cx="${middle}" cy="96" r="3"/>` : ''}</g>`
  })
  const summary = t.chartSummary({
    clicks: t.clickCount(clicks, f.count(clicks)),
    leads: t.leadCount(leads, f.count(leads)),
    sales: t.saleCount(sales, f.count(sales)),
  })
  return html`<figure class="c">
      <div role="img" aria-label="${t.chartLabel}">
        <svg viewBox="0 0 ${width} 100" width="${width}" height="100"><path d="M0 ${BASELINE + 0.5}H${width}"/>${days}</svg>
      </div>
      <figcaption>${summary}<br><span class="m">${t.chartKey}</span></figcaption>
    </figure>`
}
