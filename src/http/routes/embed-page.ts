import type { Context } from 'hono'
import { Hono } from 'hono/tiny'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { readEmbedView } from '../../domain/read-embed-data'
import type { AppEnv } from '../context'
import { judge, methodNotAllowed } from '../errors'
import { database } from '../middleware/database'
import { requireEmbedToken } from '../middleware/embed-token'
import { embedTokenRateLimit } from '../middleware/rate-limit'
import { dashboard, dashboardOptions } from '../pages/dashboard'
import { type DocumentParts, htmlDocument } from '../pages/document'
import { errorScreen, isTokenError } from '../pages/error-screen'
import { chooseLanguage } from '../pages/languages'
import { stringsIn } from '../pages/load-strings'
import type { Strings } from '../pages/strings'
import { frameAncestors, newNonce, pageHeaders } from '../pages/security'
import { backdrop, themeChoice, themeCss } from '../pages/theme'

type Colors = Parameters<typeof themeCss>[1]

interface Page {
  status: ContentfulStatusCode
  parts: Omit<DocumentParts, 'nonce' | 'themeCss' | 'lang' | 'dir' | 'flush'>
  colors: Colors
  // Who may frame it (pages/security.ts).
  ancestors: string
}

// The visitor's catalogue (pages/languages.ts): `?lang=`, else Accept-Language, else English.
const stringsFor = <E extends AppEnv>(c: Context<E>) =>
  stringsIn(chooseLanguage(c.req.query('lang'), c.req.header('Accept-Language')), c.env.ASSETS)

function sendPage<E extends AppEnv>(c: Context<E>, t: Strings, page: Page) {
  const nonce = newNonce()
  // Affonso's `theme`, `bg` and `padding` apply to every screen, the error screens too.
  const css = themeCss(themeChoice(c.req.query('theme')), page.colors, backdrop(c.req.query('bg')))
  const flush = !dashboardOptions((name) => c.req.query(name)).padding
  return c.html(
    htmlDocument({ ...page.parts, lang: t.locale, dir: t.dir, nonce, themeCss: css, flush }),
    page.status,
    // The language may come from Accept-Language, so a cache must key on it too.
    { ...pageHeaders(nonce, page.ancestors), Vary: 'Accept-Language' }
  )
}

// GET /embed?token=…: the affiliate's dashboard, rendered on the server for an iframe on the
// program's site. The same checks and the same single query as GET /v1/embed/data; every
// failure is an HTML screen with the status the API would answer, never the JSON envelope.
export const embedPage = new Hono<AppEnv>()

// Also at Affonso's documented iframe address, so its snippet works with only the host changed.
// Its parameters are read where they change something (theme, lang, …); the others, and unknown ones,
// are ignored.
for (const path of ['/embed', '/embed/referrals']) {
  embedPage
    .get(path, database, requireEmbedToken('query'), embedTokenRateLimit, async (c) => {
      const { data, embedOrigins } = await readEmbedView(c.var.db, c.var.claims)
      const t = await stringsFor(c)
      return sendPage(c, t, {
        status: 200,
        parts: {
          title: t.title(data.program.name),
          // Affonso's iframe options (showHeader, showRewards, showReports, enableQRCode, padding).
          body: dashboard(
            data,
            dashboardOptions((name) => c.req.query(name)),
            t
          ),
        },
        colors: data.theme,
        ancestors: frameAncestors(embedOrigins),
      })
    })
    .all(path, methodNotAllowed(['GET', 'HEAD']))
}

// Judged as the API judges it (status, headers such as Allow and Retry-After, the access log's
// error code, a 5xx logged); only the rendering differs.
embedPage.onError(async (thrown, c) => {
  const error = judge(c, thrown)
  const t = await stringsFor(c)
  const { title, body } = errorScreen(error.code, c.var.requestId, t)
  return sendPage(c, t, {
    status: error.status,
    parts: { title, body, expired: isTokenError(error.code) ? error.code : undefined },
    colors: undefined,
    ancestors: frameAncestors('any'),
  })
})
