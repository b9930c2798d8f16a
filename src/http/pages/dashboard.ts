import { html } from 'hono/html'
import { qrModules } from '../../domain/qr'
import type { EmbedData } from '../../domain/read-embed-data'
import { activityChart } from './chart'
import { type Formats, formats } from './numbers'
import { explanation } from './explanation'
import { english, type Strings } from './strings'

// Which parts Affonso's iframe parameters show (`?showHeader=false`, …); all by default.
export interface DashboardOptions {
  showHeader: boolean
  showRewards: boolean
  showReports: boolean
  enableQRCode: boolean
  // The page's own padding (document.ts); the others are parts of the dashboard.
  padding: boolean
}

const ALL: DashboardOptions = {
  showHeader: true,
  showRewards: true,
  showReports: true,
  enableQRCode: true,
  padding: true,
}

// The options from a request's query: `false` or `0` hides a part, anything else (or nothing)
// shows it.
export function dashboardOptions(query: (name: string) => string | undefined): DashboardOptions {
  const shown = (name: keyof DashboardOptions) =>
    !['false', '0'].includes((query(name) ?? '').trim().toLowerCase())
  return {
    showHeader: shown('showHeader'),
    showRewards: shown('showRewards'),
    showReports: shown('showReports'),
    enableQRCode: shown('enableQRCode'),
    padding: shown('padding'),
  }
}

// The affiliate's dashboard. Every value from the database goes through `html`, which escapes
// it, so a name like `<script>` shows as text; the URLs were checked to be http(s) when stored,
// and an escaped value cannot leave its attribute's quotes. Class names are embed.css's; the
// sentences are strings.ts's, the numbers numbers.ts's.
//
// One element a line: the whitespace between tags falls between grid and flex items, where it
// is not drawn. Inline content (a paragraph's) stays on its line, where a line break would
// show as a space.
export function dashboard(
  data: EmbedData,
  options: Partial<DashboardOptions> = {},
  t: Strings = english
) {
  const o = { ...ALL, ...options }
  const f = formats(t.locale, data.currency)
  const { affiliate: a, program: p } = data
  const who = a.name ?? a.email
  const pending = data.partnershipStatus === 'PENDING'
  return html`<main>
  ${
    o.showHeader
      ? html`<div class="r">
    ${p.logoUrl ? html`<img src="${p.logoUrl}" alt="${t.logoAlt(p.name)}" width="40" height="40">` : ''}
    <h1>${p.name}</h1>
  </div>`
      : ''
  }
  ${pending ? html`<p class="n" role="status">${t.pendingNotice(p.name)}</p>` : ''}
  <section aria-labelledby="lt">
    <h2 id="lt">${t.linkHeading}</h2>
    <div class="r">
      <input id="link" readonly value="${data.link}" aria-labelledby="lt">
      <button id="copy" type="button">${t.copyLink}</button>
    </div>
    <p id="copied" class="m" role="status" data-ok="${t.linkCopied}" data-fail="${t.copyFailed}"></p>
    ${data.stats.clicks === 0 ? html`<p>${t.noClicks}</p>` : ''}
    ${
      o.enableQRCode
        ? html`<div class="r">
      ${qrCode(data.link, t)}
      <p class="m">${t.qrHint}</p>
    </div>`
        : ''
    }
  </section>
  ${
    o.showRewards
      ? html`<section aria-labelledby="rt">
    <h2 id="rt">${t.rewardsHeading}</h2>
    <p>${rewardSentence(data.rewards, t, f)}</p>
  </section>`
      : ''
  }
  ${o.showReports ? reports(data, t, f) : ''}
  <section aria-label="${t.account}">
    <div class="r">
      ${a.avatarUrl ? html`<img class="v" src="${a.avatarUrl}" alt="${t.avatarAlt(who)}" width="48" height="48">` : ''}
      <p><strong>${who}</strong>${a.name === null ? '' : html`<br><span class="m">${a.email}</span>`}</p>
    </div>
    <dl>
      <dt>${t.trackingId}</dt>
      <dd>${a.trackingId}</dd>
      <dt>${t.group}</dt>
      <dd>${data.group.name}</dd>
      <dt>${t.status}</dt>
      <dd>${pending ? t.awaitingApproval : t.approved}</dd>
    </dl>
  </section>
</main>`
}

// The group's terms in one sentence: "20 % of every sale, for as long as the customer stays,
// paid out after a 30-day hold."
export function rewardSentence(r: EmbedData['rewards'], t: Strings, f: Formats): string {
  const months = /^months:(\d+)$/.exec(r.duration)?.[1]
  return t.reward({
    percentage: r.type === 'percentage' ? t.percent(f.count(r.amount)) : null,
    fixed: r.type === 'fixed' ? f.money(r.amount) : null,
    duration: months !== undefined ? Number(months) : r.duration === 'once' ? 'once' : 'forever',
    holdDays: r.holdDays,
    leadReward: r.leadReward === null ? null : f.money(r.leadReward),
  })
}

// The stat cards, the 30-day chart and the latest commissions.
function reports(data: EmbedData, t: Strings, f: Formats) {
  const s = data.stats
  const cards: [string, string][] = [
    [t.clicks, f.count(s.clicks)],
    [t.leads, f.count(s.leads)],
    [t.sales, f.count(s.sales)],
    [t.salesAmount, f.money(s.salesAmount)],
    [t.pending, f.money(s.earnings.pending)],
    [t.approvedEarnings, f.money(s.earnings.approved)],
    [t.paid, f.money(s.earnings.paid)],
  ]
  return html`<section aria-labelledby="st">
    <h2 id="st">${t.statsHeading}</h2>
    <p class="m">${t.asOf(f.time(data.asOf))}</p>
    <dl class="k">
      ${cards.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}
    </dl>
    ${activityChart(data.activity, t, f)}
  </section>
  ${data.earnings.length === 0 ? '' : earningsTable(data.earnings, t, f)}`
}

// The table scrolls sideways on a narrow frame; its wrapper takes the focus so that a keyboard
// can scroll it too.
function earningsTable(earnings: EmbedData['earnings'], t: Strings, f: Formats) {
  const c = t.columns
  const rows = earnings.map(
    (e) =>
      html`<tr><td>${f.day(e.date)}</td><td title="${e.customerId}">${shortId(e.customerId)}</td><td>${e.amount === null ? t.none : f.money(e.amount)}</td><td>${f.money(e.commission)}</td><td>${t.earningStatus[e.status]}</td><td>${e.holdUntil === null ? t.none : f.day(e.holdUntil)}</td><td>${explanation(e.basis, t, f)}</td></tr>`
  )
  return html`<section aria-labelledby="et">
    <h2 id="et">${t.earningsHeading}</h2>
    <div class="t" role="region" aria-labelledby="et" tabindex="0">
      <table aria-labelledby="et">
        <thead><tr><th>${c.date}</th><th>${c.customer}</th><th>${c.amount}</th><th>${c.commission}</th><th>${c.status}</th><th>${c.holdUntil}</th><th>${c.explanation}</th></tr></thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
  </section>`
}

// The referral id is anonymous already; its end tells customers apart, and fits a narrow column.
const shortId = (id: string) => (id.length > 10 ? `…${id.slice(-8)}` : id)

// The link as a QR code, on white so that it scans on a dark page too. One drawing, so one
// line (test/worker/embed-page.test.ts matches it whole).
function qrCode(link: string, t: Strings) {
  const qr = qrModules(link)
  const viewBox = `0 0 ${qr.size} ${qr.size}`
  return html`<svg role="img" aria-label="${t.qrLabel}" viewBox="${viewBox}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${qr.path}"/></svg>`
}
