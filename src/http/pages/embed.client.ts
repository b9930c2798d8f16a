// The embedded page's one script. It runs in the browser, inlined in a <script nonce> tag:
// standalone, no imports. tools/generate-assets.ts minifies it into assets.generated.ts
// (`npm run assets`). Type-checked on its own, with the DOM's types, by tsconfig.client.json;
// the worker's tsconfig.json leaves it out, so the DOM's globals never reach worker code.
//
// It takes the token out of the address (so it stays out of history and out of a frame opened
// on its own), tells the host page its height whenever it changes and, on the screen for a dead
// token, that it needs a fresh one.

// What the host page hears; README.md and the OpenAPI description document the same.
type EmbedMessage =
  | { type: 'embed:ready'; height: number }
  | { type: 'embed:token-expired'; reason: string }

const body = document.body
const host = window.parent

// Posted to any origin: the messages hold nothing secret, and the host checks where they come
// from. A page open on its own (its parent is itself) has nobody to tell.
const tell = (message: EmbedMessage) => {
  if (host !== window) host.postMessage(message, '*')
}

const address = new URL(location.href)
address.searchParams.delete('token')
history.replaceState(null, '', address)

// Set by the error screen for a dead token (document.ts writes it on <html>).
const expired = document.documentElement.dataset.expired
if (expired) tell({ type: 'embed:token-expired', reason: expired })

// Sent once the page has a height, then on every change (the host sizes its iframe to it).
let height: number | undefined
new ResizeObserver(() => {
  const next = Math.ceil(body.getBoundingClientRect().height)
  if (next !== height) {
    height = next
    tell({ type: 'embed:ready', height })
  }
}).observe(body)

// The dashboard's copy button; error screens have none. The clipboard API needs permission or
// a secure context; failing that, the old way, and failing that, a hint.
const copy = document.getElementById('copy')
// dashboard.ts writes #link as an <input>.
const link = document.getElementById('link') as HTMLInputElement | null
const copied = document.getElementById('copied')
if (copy && link && copied) {
  copy.onclick = async () => {
    let ok = true
    try {
      await navigator.clipboard.writeText(link.value)
    } catch {
      link.select()
      ok = document.execCommand('copy')
    }
    // The page's language: the server put both sentences on the element.
    copied.textContent = (ok ? copied.dataset.ok : copied.dataset.fail) ?? ''
  }
}
