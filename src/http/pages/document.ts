import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { SCRIPT, STYLES } from './assets.generated'

type Html = HtmlEscapedString | Promise<HtmlEscapedString>

export interface DocumentParts {
  title: string
  // The page's language and direction (the catalogue's locale and dir); English by default.
  lang?: string | undefined
  dir?: 'ltr' | 'rtl' | undefined
  nonce: string
  // :root custom properties from theme.ts: built from parsed numbers, never from raw input.
  themeCss: string
  body: Html
  // Set on the screen for a dead token: the script tells the host page, which fetches a new one.
  expired?: string | undefined
  // No padding around the page (Affonso's `?padding=false`).
  flush?: boolean | undefined
}

// The shell every page and error screen shares. Interpolations are escaped by `html`; only the
// constant stylesheet and script (assets.generated.ts, from embed.css and embed.client.ts) and
// the generated theme are inserted raw.
export function htmlDocument(p: DocumentParts): Html {
  const expired = p.expired ? html` data-expired="${p.expired}"` : ''
  const dir = p.dir === 'rtl' ? html` dir="rtl"` : ''
  return html`<!doctype html><html lang="${p.lang ?? 'en'}"${dir}${expired}>
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>${p.title}</title>
  <style nonce="${p.nonce}">${raw(p.themeCss + STYLES)}</style>
</head>
<body${p.flush ? html` class="flush"` : ''}>
${p.body}
<script nonce="${p.nonce}">${raw(SCRIPT)}</script>
</body>
</html>`
}
