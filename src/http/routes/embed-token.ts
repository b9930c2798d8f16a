import { Hono } from 'hono/tiny'
import { embedTokenRequest } from '../../domain/embed-token-request'
import { issueEmbedToken } from '../../domain/issue-embed-token'
import { PERMISSIONS } from '../../domain/permissions'
import { signingKeysFromEnv } from '../../domain/signing-keys'
import { unstorableDetails } from '../../domain/storable-json'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../errors'
import { requireApiKey } from '../middleware/api-key'
import { rememberRealKey, unknownKeyClientLimit } from '../middleware/client-limit'
import { database } from '../middleware/database'
import { jsonBody } from '../middleware/json-body'
import { apiKeyRateLimit } from '../middleware/rate-limit'

// For servers only: no CORS middleware here, so a browser's preflight gets a 405 and no
// Access-Control-Allow-* header. The chain is the contract's order of judgement: the key's
// shape, the rate limits (per client while the key is not yet known to be real, then per key),
// the body, then in one statement the key itself and every check of the program, group,
// invitation and partnership.
export const embedToken = new Hono<AppEnv>()
  .post(
    '/v1/embed/token',
    database,
    requireApiKey(PERMISSIONS.writeAffiliates),
    unknownKeyClientLimit,
    apiKeyRateLimit,
    jsonBody(embedTokenRequest, { maxBytes: 32 * 1024, alsoCheck: unstorableDetails }),
    async (c) => {
      // Checked before the database is touched: a misconfigured server writes nothing.
      const keys = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
      const issued = await issueEmbedToken(
        c.var.db,
        keys,
        c.env.TOKEN_ISSUER,
        c.var.apiKey,
        c.var.body
      )
      c.set('principal', issued.principal)
      rememberRealKey(c.var.apiKey.digest)
      // The token is a credential: no cache may keep it.
      return c.json({ success: true as const, data: issued.response }, 201, {
        'Cache-Control': 'no-store',
      })
    }
  )
  .all('/v1/embed/token', methodNotAllowed(['POST']))
