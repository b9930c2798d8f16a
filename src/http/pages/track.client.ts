// The tracking script a host puts on its own pages:
//   <script src="https://<service>/track.js" data-program="prog_…" defer></script>
// It runs in the browser, on someone else's site: standalone, no imports, no dependencies.
// tools/generate-assets.ts minifies it into public/track.js (served as
// GET /track.js; `npm run assets`) and fails when it grows past 2 KiB gzip. Type-checked on its
// own, with the DOM's types, by tsconfig.client.json. docs/TRACKING.md documents the behaviour.
//
// When the page's address carries the program's referral parameter (`?via=jane`), it records a
// click with POST /v1/track/click and keeps the click id it gets back (never the raw tracking
// id) in a first-party cookie, `embed_click`, and in `window.embedReferral.clickId`, where the
// host's sign-up form or checkout picks it up. Everything runs inside try/catch: a tracking
// script must never break the page it is on, whatever the page, the browser or the service do.

// The one global it adds. `ready` resolves with the click id once known (null when there is
// none) and never rejects; it stays pending while consent is awaited.
interface EmbedReferral {
  clickId: string | null
  consent(): void
  ready: Promise<string | null>
}

// The success answer of POST /v1/track/click, `202 {success: true, data: {clickId}}`; typed
// loosely because nothing the network returns is trusted.
type ClickAnswer = { success?: unknown; data?: { clickId?: unknown } | null } | null

// The click id a previous visit left in the `embed_click` cookie, if any.
function storedClickId(): string | null {
  const match = document.cookie.match(/(?:^|;\s*)embed_click=([^;]+)/)
  try {
    return match?.[1] ? decodeURIComponent(match[1]) : null
  } catch {
    // Someone else's malformed value under our name: as good as none.
    return null
  }
}

// Runs synchronously as the script loads.
function start(): void {
  // Only set while the script's code first runs: read at once, before anything is awaited.
  const script = document.currentScript
  const page = window as Window & { embedReferral?: EmbedReferral }
  // An inline or SVG <script> has no src to find the service by; a second copy of the script
  // on the same page would record the click twice.
  if (!(script instanceof HTMLScriptElement) || page.embedReferral) return
  const data = script.dataset
  const programId = data.program
  // Without a program there is nothing to attribute to: a misconfigured tag does nothing.
  if (!programId) return

  // The service is wherever the script was loaded from: hosts configure one address only.
  const endpoint = `${new URL(script.src).origin}/v1/track/click`
  // Read now: a single-page app may rewrite the address (and drop `?via=`) before consent.
  const landing = location.href
  const trackingId = new URL(landing).searchParams.get(data.param || 'via')?.trim()
  // The service caps the lifetime at the program's cookie_days; here only a sane range.
  const days = Number(data.cookieDays || 60)
  const maxAge = Math.round((Number.isFinite(days) ? Math.min(365, Math.max(1, days)) : 60) * 86400)
  const existing = storedClickId()
  // Last click wins unless the host asked for first-click attribution and one is already kept.
  const record = trackingId && !(data.attribution === 'first' && existing)

  // The request, until consent() (or the start, without data-requires-consent) takes it.
  let pending: (() => void) | undefined = record ? send : undefined
  let resolve: (clickId: string | null) => void = () => {}
  const api: EmbedReferral = {
    clickId: existing,
    consent() {
      // Once only, and nothing to do without a click to record. The request itself swallows
      // its failures, so the host's consent handler never sees one.
      const run = pending
      pending = undefined
      run?.()
    },
    ready: new Promise((done) => {
      resolve = done
    }),
  }

  async function send(): Promise<void> {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        body: JSON.stringify({ programId, trackingId, url: landing, referrer: document.referrer }),
        // text/plain keeps it a CORS "simple" request: no preflight round trip before the click.
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        // Survives the visitor clicking on before the answer arrives.
        keepalive: true,
        // The service needs none of its own cookies, and must not see the host's.
        credentials: 'omit',
        mode: 'cors',
      })
      const body = (await response.json()) as ClickAnswer
      const clickId = body?.data?.clickId
      if (
        response.status === 202 &&
        body?.success === true &&
        typeof clickId === 'string' &&
        clickId.length > 0 &&
        clickId.length < 1000
      ) {
        // The host's own site, every path, sent along on top-level navigation from elsewhere
        // (Lax) so the host's server can read it too.
        const secure = location.protocol === 'https:' ? '; Secure' : ''
        const value = encodeURIComponent(clickId)
        // biome-ignore lint/suspicious/noDocumentCookie: no Cookie Store API in older browsers.
        document.cookie = `embed_click=${value}; path=/; max-age=${maxAge}; SameSite=Lax${secure}`
        api.clickId = clickId
      }
    } catch {
      // Offline, blocked, refused by CORS, a 5xx without JSON: the visit stays unattributed and
      // the cookie a previous click left (if any) stays as it was.
    }
    resolve(api.clickId)
  }

  page.embedReferral = api
  if (!record) resolve(existing)
  else if (data.requiresConsent === undefined) api.consent()
}

try {
  start()
} catch {
  // Whatever went wrong, the host's page carries on without referral tracking.
}
