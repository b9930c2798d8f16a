// The host app's pages. The "signed-in" page never sees the API key: its script asks this
// server for a token, puts the dashboard in an iframe, sizes the iframe to the height the
// dashboard reports, and fetches a new token when the dashboard says the old one is dead (it
// expired, or another tab of the same user was issued a newer one, which revokes it). The
// landing page (landing.ts) is where an affiliate's link leads, with the same dashboard beside.

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

// JSON inside <script>: `<` escaped so no value can close the element.
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')

// The dashboard in `#dashboard`, kept alive, for the page's status line `#status`. Sets
// `window.embedEvents` (what the dashboard said, newest last; the browser tests read it) and
// calls `window.onDashboardToken(answer)`, when defined, with each answer of /api/embed-token.
export function dashboardScript(settings: { service: string; theme: string }): string {
  return `const settings = ${scriptJson(settings)};
const frame = document.getElementById('dashboard');
const status = document.getElementById('status');
window.embedEvents = [];
// A token that dies again at once (a misconfigured server) must not make a request loop.
let mints = [];

async function showDashboard() {
  const now = Date.now();
  mints = mints.filter((t) => now - t < 60000);
  if (mints.length >= 3) {
    status.textContent = 'The dashboard could not be opened. Please reload the page later.';
    return;
  }
  mints.push(now);
  const response = await fetch('/api/embed-token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  if (!response.ok) {
    status.textContent = 'The dashboard could not be opened (' + response.status + ').';
    return;
  }
  const answer = await response.json();
  if (typeof window.onDashboardToken === 'function') window.onDashboardToken(answer);
  const url = new URL('/embed', settings.service);
  url.searchParams.set('token', answer.token);
  url.searchParams.set('theme', settings.theme);
  frame.src = url.href;
}

window.addEventListener('message', (event) => {
  // Only the dashboard, from the service's origin, in our own iframe, is listened to.
  if (event.origin !== settings.service || event.source !== frame.contentWindow) return;
  const message = event.data;
  if (message === null || typeof message !== 'object') return;
  window.embedEvents.push(message);
  if (message.type === 'embed:ready' && Number.isFinite(message.height)) {
    frame.style.height = Math.min(Math.max(message.height, 100), 4000) + 'px';
    status.textContent = '';
  } else if (message.type === 'embed:token-expired') {
    status.textContent = 'Refreshing your session…';
    showDashboard();
  }
});

showDashboard();
`
}

export function hostPage(options: { serviceUrl: string; userName: string; theme: string }): string {
  const settings = { service: new URL(options.serviceUrl).origin, theme: options.theme }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Acme app: partner program</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #eef2f7; color: #111827 }
  header { padding: 12px 24px; background: #111827; color: #fff; display: flex; justify-content: space-between }
  main { max-width: 720px; margin: 24px auto; padding: 0 16px }
  iframe { display: block; width: 100%; height: 320px; border: 0; border-radius: 12px; background: transparent }
  #status { color: #4b5563; font-size: 14px; min-height: 1.5em }
</style>
</head>
<body>
<header><strong>Acme app</strong><span>Signed in as ${escapeHtml(options.userName)}</span></header>
<main>
  <h1>Refer a friend</h1>
  <p id="status" role="status">Loading your dashboard…</p>
  <iframe id="dashboard" title="Your referral dashboard" allow="clipboard-write"></iframe>
  <p id="loop" hidden>Try the whole loop: open <a id="loop-link" href="/landing">your link on this app</a>
    (best in a private window), sign up, buy, refund, and watch what the service answers.</p>
</main>
<script>
${dashboardScript(settings)}
// The landing page of this app with the affiliate's tracking id: where a referral link leads.
window.onDashboardToken = (answer) => {
  if (typeof answer.trackingId !== 'string') return;
  const link = document.getElementById('loop-link');
  link.href = '/landing?via=' + encodeURIComponent(answer.trackingId);
  link.textContent = new URL(link.href).href;
  document.getElementById('loop').hidden = false;
};
</script>
</body>
</html>
`
}
