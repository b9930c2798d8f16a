import { html } from 'hono/html'
import { qrModules } from '../../domain/qr'
import type { EmbedData } from '../../domain/read-embed-data'

// The affiliate's dashboard. Every value from the database goes through `html`, which escapes
// it, so a name like `<script>` shows as text; the URLs were checked to be http(s) when stored,
// and an escaped value cannot leave its attribute's quotes. Class names are embed.css's.
//
// One element a line: the whitespace between tags falls between grid and flex items, where it
// is not drawn. Inline content (a paragraph's) stays on its line, where a line break would
// show as a space.
export function dashboard(data: EmbedData) {
  const { affiliate: a, program: p } = data
  const who = a.name ?? a.email
  const pending = data.partnershipStatus === 'PENDING'
  return html`<main>
  <div class="r">
    ${p.logoUrl ? html`<img src="${p.logoUrl}" alt="${p.name} logo" width="40" height="40">` : ''}
    <h1>${p.name}</h1>
  </div>
  ${pending ? html`<p class="n" role="status">Your partnership is awaiting approval by ${p.name}. You can share your link already.</p>` : ''}
  <section aria-labelledby="lt">
    <h2 id="lt">Your referral link</h2>
    <div class="r">
      <input id="link" readonly value="${data.link}" aria-labelledby="lt">
      <button id="copy" type="button">Copy link</button>
    </div>
    <p id="copied" class="m" role="status"></p>
    <div class="r">
      ${qrCode(data.link)}
      <p class="m">Scan to open your link on a phone.</p>
    </div>
  </section>
  <section aria-label="Your account">
    <div class="r">
      ${a.avatarUrl ? html`<img class="v" src="${a.avatarUrl}" alt="Avatar of ${who}" width="48" height="48">` : ''}
      <p><strong>${who}</strong>${a.name === null ? '' : html`<br><span class="m">${a.email}</span>`}</p>
    </div>
    <dl>
      <dt>Tracking ID</dt>
      <dd>${a.trackingId}</dd>
      <dt>Group</dt>
      <dd>${data.group.name}</dd>
      <dt>Status</dt>
      <dd>${pending ? 'Awaiting approval' : 'Approved'}</dd>
    </dl>
  </section>
</main>`
}

// The link as a QR code, on white so that it scans on a dark page too. One drawing, so one
// line (test/worker/embed-page.test.ts matches it whole).
function qrCode(link: string) {
  const qr = qrModules(link)
  const viewBox = `0 0 ${qr.size} ${qr.size}`
  return html`<svg role="img" aria-label="QR code of your referral link" viewBox="${viewBox}" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="${qr.path}"/></svg>`
}
