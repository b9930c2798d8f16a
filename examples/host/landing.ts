import { type OperatorPanel, operatorCss, operatorScript, operatorSection } from './operator-panel'
import { dashboardScript, escapeHtml, scriptJson } from './page'
import { PLAN, REFUND_AMOUNT } from './tracking'

// Where an affiliate's referral link leads (`/landing?via=jane-doe`, or `/?via=jane-doe`): the
// page a prospective customer sees, with the service's tracking script on it, and, beside it,
// the affiliate's dashboard, so that the whole loop is on one screen.
//
// - The tracking script (`<service>/track.js`, `data-program`) sees `?via=`, records the click
//   and keeps the click id in the `embed_click` cookie and in `window.embedReferral.clickId`.
// - "Sign up" sends the email and that click id to this app's server (/api/signup), which calls
//   POST /v1/signups with its API key; "Buy" and "Refund" make it call POST /v1/conversions and
//   POST /v1/conversions/{id}/refund. Each answer is shown below, as plain text.
// - Below both, the operator (operator-panel.ts): the payouts, which no host app makes.
// - After each answer the dashboard is reloaded, so it shows what the service now counts.

export interface LandingOptions {
  serviceUrl: string
  programId: string
  // The one affiliate whose dashboard this app can show: its signed-in user.
  affiliateName: string
  theme: string
  // The tracking id of the link that was followed, if any.
  via: string | null
  // What this visitor's session already did (a reload keeps the buttons in step).
  signedUpAs: string | null
  hasSale: boolean
  operator: OperatorPanel
}

const money = (amount: number) => `$${amount.toFixed(2)}`

export function landingPage(options: LandingOptions): string {
  const service = new URL(options.serviceUrl).origin
  const settings = { service, theme: options.theme }
  const loop = { via: options.via, affiliateName: options.affiliateName }
  const disabled = (off: boolean) => (off ? ' disabled' : '')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Acme: rockets for everyone</title>
<script src="${escapeHtml(`${service}/track.js`)}" data-program="${escapeHtml(options.programId)}" defer></script>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #eef2f7; color: #111827 }
  header { padding: 12px 24px; background: #111827; color: #fff }
  main { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 24px; max-width: 1200px; margin: 24px auto; padding: 0 16px }
  section { background: #fff; border-radius: 12px; padding: 16px 20px }
  h2 { margin-top: 0; font-size: 18px }
  form, .row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 12px 0 }
  input { font: inherit; padding: 6px 8px; min-width: 220px }
  button { font: inherit; padding: 6px 14px; cursor: pointer }
  .note { color: #4b5563; font-size: 14px; overflow-wrap: anywhere }
  #commission { font-weight: 600 }
  #log { font: 13px/1.5 ui-monospace, monospace; padding-left: 20px }
  #log pre { white-space: pre-wrap; word-break: break-all; background: #f3f4f6; padding: 8px; margin: 4px 0 }
  iframe { display: block; width: 100%; height: 320px; border: 0; border-radius: 12px; background: transparent }
  #status { color: #4b5563; font-size: 14px; min-height: 1.5em }${operatorCss}
</style>
</head>
<body>
<header><strong>Acme</strong>: rockets for everyone</header>
<main>
  <section aria-labelledby="visitor">
    <h2 id="visitor">The visitor: Acme's landing page</h2>
    <p id="click" class="note" role="status">Looking for an affiliate link…</p>
    <form id="signup">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" required autocomplete="off" placeholder="you@example.com">
      <button type="submit">Sign up</button>
    </form>
    <p id="account" class="note">${options.signedUpAs === null ? 'Not signed up yet.' : `Signed up as ${escapeHtml(options.signedUpAs)}.`}</p>
    <div class="row">
      <strong>${escapeHtml(PLAN.name)}, ${money(PLAN.price)}</strong>
      <button id="buy" type="button"${disabled(options.signedUpAs === null)}>Buy</button>
      <button id="refund" type="button"${disabled(!options.hasSale)}>Refund ${money(REFUND_AMOUNT)} of the last sale</button>
    </div>
    <p id="commission" role="status">Commission: none yet.</p>
    <h2>What the service answered</h2>
    <ol id="log"></ol>
  </section>
  <section aria-labelledby="affiliate">
    <h2 id="affiliate">The affiliate: ${escapeHtml(options.affiliateName)}'s dashboard</h2>
    <p id="affiliate-note" class="note"></p>
    <p id="status" role="status">Loading the dashboard…</p>
    <iframe id="dashboard" title="${escapeHtml(options.affiliateName)}'s referral dashboard" allow="clipboard-write"></iframe>
  </section>
  ${operatorSection(options.operator)}
</main>
<script>
${dashboardScript(settings)}
const loop = ${scriptJson(loop)};
// Every answer this page received from its server, newest last (the browser tests read it).
window.hostAnswers = [];

// This app can show only its own user's dashboard: say so when the link was someone else's.
window.onDashboardToken = (answer) => {
  const note = document.getElementById('affiliate-note');
  if (loop.via === null) note.textContent = 'No affiliate link was followed; this is ' + loop.affiliateName + "'s dashboard, whose link is /?via=" + answer.trackingId + '.';
  else if (loop.via !== answer.trackingId) note.textContent = 'The link followed (via=' + loop.via + ') is not ' + loop.affiliateName + "'s (via=" + answer.trackingId + '); this app can only show ' + loop.affiliateName + "'s dashboard.";
  else note.textContent = 'You followed ' + loop.affiliateName + "'s link (via=" + loop.via + ').';
};

const clickLine = document.getElementById('click');
const log = document.getElementById('log');
const buy = document.getElementById('buy');
const refund = document.getElementById('refund');

// The click id, once the tracking script has it (it runs deferred, before DOMContentLoaded),
// or after three seconds without one.
function clickId() {
  const tracker = window.embedReferral;
  if (!tracker) return Promise.resolve(null);
  const late = new Promise((resolve) => setTimeout(() => resolve(tracker.clickId), 3000));
  return Promise.race([tracker.ready, late]);
}

document.addEventListener('DOMContentLoaded', () => {
  if (!window.embedReferral) {
    clickLine.textContent = 'The tracking script did not load (is the service running?).';
    return;
  }
  window.embedReferral.ready.then((id) => {
    clickLine.textContent = id
      ? 'Click recorded by the tracking script: ' + id
      : loop.via === null
        ? 'No affiliate link followed (no ?via=), so no click id: a sign-up here is not attributed.'
        : 'The tracking script recorded no click (is this origin among the program\\'s tracking origins?).';
  });
});

// The dashboard again, with the same token, once something changed what it counts.
function refreshDashboard() {
  if (frame.getAttribute('src')) frame.src = frame.src;
}

// Shows one answer of this app's server: its sentence, the service's JSON, the commission.
function show(outcome) {
  window.hostAnswers.push(outcome);
  const item = document.createElement('li');
  item.textContent = outcome.text;
  if (outcome.answer !== null && outcome.answer !== undefined) {
    const raw = document.createElement('pre');
    raw.textContent = JSON.stringify(outcome.answer, null, 2);
    item.append(raw);
  }
  log.prepend(item);
  if (outcome.commission) document.getElementById('commission').textContent = 'Commission: ' + outcome.commission;
  if (outcome.status >= 200 && outcome.status < 300) refreshDashboard();
}

async function call(path, body) {
  try {
    const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const outcome = await response.json();
    show(outcome);
    return outcome;
  } catch (error) {
    show({ text: path + ' failed: ' + error, answer: null, commission: null, status: 0 });
    return null;
  }
}

document.getElementById('signup').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = document.getElementById('email').value;
  const outcome = await call('/api/signup', { email, clickId: await clickId() });
  if (outcome && outcome.signedUpAs) {
    document.getElementById('account').textContent = 'Signed up as ' + outcome.signedUpAs + '.';
    buy.disabled = false;
    refund.disabled = true;
  }
});

buy.addEventListener('click', async () => {
  const outcome = await call('/api/buy', {});
  if (outcome && outcome.status >= 200 && outcome.status < 300) refund.disabled = false;
});

refund.addEventListener('click', () => call('/api/refund', {}));
${options.operator === null ? '' : operatorScript}
</script>
</body>
</html>
`
}
