import type { Context } from 'hono'
import { Hono } from 'hono/tiny'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { verifyEmbedToken } from '../../domain/embed-tokens'
import { readEmbedView } from '../../domain/read-embed-data'
import { signingKeysFromEnv } from '../../domain/signing-keys'
import { ApiError, isErrorCode } from '../../errors'
import type { AppEnv } from '../context'
import { onError } from '../error-handler'
import { database } from '../middleware/database'
import { limitEmbedToken } from '../middleware/rate-limit'
import { dashboard } from '../pages/dashboard'
import { htmlDocument, type DocumentParts } from '../pages/document'
import { errorScreen, isTokenError } from '../pages/error-screen'
import { frameAncestors, newNonce, pageHeaders } from '../pages/security'
import { themeChoice, themeCss } from '../pages/theme'

type Colors = Parameters<typeof themeCss>[1]

function sendPage(c: Context<AppEnv>, status: ContentfulStatusCode, parts: Omit<DocumentParts, 'nonce' | 'themeCss'>, colors: Colors, ancestors: string) {
  const nonce = newNonce()
  const css = themeCss(themeChoice(c.req.query('theme')), colors)
  return c.html(htmlDocument({ ...parts, nonce, themeCss: css }), status, pageHeaders(nonce, ancestors))
}

// GET /embed?token=…: the affiliate's dashboard, rendered on the server for an iframe on the
// program's site. The same checks and the same single query as GET /v1/embed/data; every
// failure is an HTML screen with the status the API would answer, never the JSON envelope.
export const embedPage = new Hono<AppEnv>()
  .get('/embed', database, async (c) => {
    const token = c.req.query('token')
    if (!token) throw new ApiError('INVALID_TOKEN')
    const claims = await verifyEmbedToken(signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS), c.env.TOKEN_ISSUER, token)
    await limitEmbedToken(c, claims.tokenId)
    const { data, embedOrigins } = await readEmbedView(c.get('db'), claims)
    const title = `${data.program.name}: your referral dashboard`
    return sendPage(c, 200, { title, body: dashboard(data) }, data.theme, frameAncestors(embedOrigins))
  })
  .all('/embed', () => {
    throw new ApiError('METHOD_NOT_ALLOWED', { headers: { Allow: 'GET, HEAD' } })
  })
  // The app's handler still judges the error (status, logging of a 5xx, the access log's error
  // code, headers such as Allow and Retry-After, which it sets on the context); only its JSON
  // body is replaced by a screen.
  .onError(async (error, c) => {
    const { status } = await onError(error, c)
    const recorded = c.get('errorCode')
    const code = isErrorCode(recorded) ? recorded : 'INTERNAL_ERROR'
    const { title, body } = errorScreen(code, c.get('requestId'))
    const expired = isTokenError(code) ? code : undefined
    return sendPage(c, status as ContentfulStatusCode, { title, body, expired }, undefined, frameAncestors('any'))
  })
