// The host app's pages. The "signed-in" page never sees the API key: it asks this server for a
// token and leaves the rest to the service's embedding script, `<service>/embed.js`
// (src/http/pages/embed-host.client.ts): it puts the dashboard in the iframe, sizes the iframe to
// the height the dashboard reports, and fetches a new token when the dashboard says the old one
// is dead (it expired, or another tab of the same user was issued a newer one, which revokes
// it). The landing page (landing.ts) is where an affiliate's link leads, with the same dashboard
// beside.
//
// The simplest integration needs no code at all:
//   <div data-embed-token-url="/api/embed-token" data-theme="dark"></div>
//   <script src="https://<service>/embed.js" defer></script>
// These pages call `EmbedDashboard.mount` instead, to see each token answer (its trackingId).

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

// JSON inside <script>: `<` escaped so no value can close the element.
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')

// The dashboard in the iframe `#dashboard`, for the page's status line `#status`, through
// `<service>/embed.js` (loaded here unless the page already has it). Sets `window.embedEvents`
// (what the dashboard said, newest last; the browser tests read it) and calls
// `window.onDashboardToken(answer)`, when defined, with each answer of /api/embed-token.
export function dashboardScript(settings: { service: string; theme: string }): string {
  return `const settings = ${scriptJson(settings)};
const frame = document.getElementById('dashboard');
const status = document.getElementById('status');
window.embedEvents = [];

// This app's server mints the token with its API key; the script asks for one when it needs it.
async function getToken() {
  const response = await fetch('/api/embed-token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  if (!response.ok) throw new Error('The dashboard could not be opened (' + response.status + ').');
  const answer = await response.json();
  if (typeof window.onDashboardToken === 'function') window.onDashboardToken(answer);
  return answer.token;
}

// What embed.js passes on from the dashboard (only from the service, in this frame).
frame.addEventListener('embed:ready', (event) => {
  window.embedEvents.push(event.detail);
  status.textContent = '';
});
frame.addEventListener('embed:token-expired', (event) => {
  window.embedEvents.push(event.detail);
  status.textContent = 'Refreshing your session…';
});
frame.addEventListener('embed:error', (event) => {
  status.textContent = event.detail.message;
});

function mountDashboard() {
  window.EmbedDashboard.mount(frame, { getToken, theme: settings.theme });
}
if (window.EmbedDashboard) mountDashboard();
else {
  const script = document.createElement('script');
  script.src = settings.service + '/embed.js';
  script.onload = mountDashboard;
  script.onerror = () => {
    status.textContent = 'The dashboard script did not load (is the service running?).';
  };
  document.head.append(script);
}
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
<script src="${escapeHtml(`${settings.service}/embed.js`)}"></script>
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
