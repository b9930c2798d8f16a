// The embedding script a host puts on its own pages, next to the element the dashboard goes in:
//   <div data-embed-token-url="/api/embed-token" data-theme="dark"></div>
//   <script src="https://<service>/embed.js" defer></script>
// or, from the host's own code, `window.EmbedDashboard.mount(element, { getToken, theme, lang })`.
// It runs in the browser, on someone else's site: standalone, no imports, no dependencies.
// tools/generate-assets.ts minifies it into public/embed.js (served as
// GET /embed.js; `npm run assets`) and fails when it grows past 2 KiB gzip. Type-checked on its
// own, with the DOM's types, by tsconfig.client.json.
//
// For each element it gets a token (the host's server mints it with its API key; a
// `data-embed-token-url` is POSTed to, same-origin, and answers `{ token }`), frames
// `<service>/embed?token=…`, sizes the frame to the height the dashboard reports
// (`embed:ready`) and, when the dashboard says its token is dead (`embed:token-expired`), gets a
// new one and reloads the frame: at most 3 times a minute, then it gives up with a short message.
// Messages count only from the service's origin and from this element's own frame. Each message
// is also dispatched on the element as a CustomEvent of the same type (detail: the message), and
// a failure as `embed:error`. Nothing here throws into the host's page.

interface MountOptions {
  // The host's way to a fresh token; a rejection counts as a failure.
  getToken: () => Promise<string>
  theme?: string
  lang?: string
}

interface EmbedDashboard {
  // `element` is a container (the frame is created in it) or an <iframe> of the host's own
  // (used as it is). Returns the frame, or undefined when nothing could be mounted.
  mount(element: Element, options: MountOptions): HTMLIFrameElement | undefined
}

// What the dashboard posts (embed.client.ts), typed loosely: nothing received is trusted.
type DashboardMessage = { type?: unknown; height?: unknown } | null

const REFRESHES_PER_MINUTE = 3
const FAILED = 'The dashboard could not be opened. Please reload the page later.'

function start(): void {
  // Only set while the script's code first runs: read at once.
  const script = document.currentScript
  const page = window as Window & { EmbedDashboard?: EmbedDashboard }
  // Without a src there is no service to frame; a second copy leaves the first in charge.
  if (!(script instanceof HTMLScriptElement) || page.EmbedDashboard) return
  const service = new URL(script.src).origin
  const mounted = new WeakSet<Element>()

  function mount(element: Element, options: MountOptions): HTMLIFrameElement | undefined {
    if (mounted.has(element)) return undefined
    mounted.add(element)
    const own = element instanceof HTMLIFrameElement
    const frame = own ? element : document.createElement('iframe')
    if (!own) {
      frame.title = 'Referral dashboard'
      frame.allow = 'clipboard-write'
      frame.style.cssText = 'display:block;width:100%;border:0'
      element.replaceChildren(frame)
    }
    // Times of the refreshes of the last minute, and whether one is under way.
    let refreshes: number[] = []
    let busy = false

    const tell = (type: string, detail: object) =>
      element.dispatchEvent(new CustomEvent(type, { detail }))

    const fail = () => {
      // A frame of the host's own stays; a container shows the message instead.
      if (!own) element.textContent = FAILED
      tell('embed:error', { type: 'embed:error', message: FAILED })
    }

    async function load(): Promise<void> {
      busy = true
      try {
        const token = await options.getToken()
        if (typeof token !== 'string' || token === '') throw new Error('no token')
        const url = new URL('/embed', service)
        url.searchParams.set('token', token)
        if (options.theme) url.searchParams.set('theme', options.theme)
        if (options.lang) url.searchParams.set('lang', options.lang)
        frame.src = url.href
      } catch {
        fail()
      }
      busy = false
    }

    addEventListener('message', (event) => {
      try {
        if (event.origin !== service || event.source !== frame.contentWindow) return
        const message = event.data as DashboardMessage
        if (message === null || typeof message !== 'object') return
        const { type, height } = message
        if (type === 'embed:ready' && typeof height === 'number' && Number.isFinite(height)) {
          frame.style.height = `${Math.min(Math.max(Math.ceil(height), 100), 4000)}px`
        } else if (type === 'embed:token-expired') {
          if (busy) return
          const now = Date.now()
          refreshes = refreshes.filter((t) => now - t < 60_000)
          // A token that dies again at once (a misconfigured host) must not make a request loop.
          if (refreshes.length >= REFRESHES_PER_MINUTE) return fail()
          refreshes.push(now)
          load()
        } else return
        tell(type, message)
      } catch {
        // A host listener that throws, an odd message: the page carries on.
      }
    })
    load()
    return frame
  }

  // The declarative form: the element says where its token comes from.
  function scan(): void {
    document.querySelectorAll('[data-embed-token-url]').forEach((element) => {
      if (!(element instanceof HTMLElement)) return
      const data = element.dataset
      const getToken = async () => {
        const response = await fetch(data.embedTokenUrl ?? '', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
          credentials: 'same-origin',
        })
        if (!response.ok) throw new Error(`${response.status}`)
        const answer = (await response.json()) as { token?: unknown } | null
        const token = answer?.token
        if (typeof token !== 'string') throw new Error('no token')
        return token
      }
      api.mount(element, { getToken, theme: data.theme, lang: data.lang })
    })
  }

  const api: EmbedDashboard = {
    mount(element, options) {
      try {
        return mount(element, options)
      } catch {
        return undefined
      }
    },
  }
  page.EmbedDashboard = api
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan)
  else scan()
}

try {
  start()
} catch {
  // Whatever went wrong, the host's page carries on without the dashboard.
}
