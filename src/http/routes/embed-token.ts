import { Hono } from 'hono/tiny'
import { WRITE_AFFILIATES } from '../../data/statements/issue-embed-token'
import { issueEmbedToken } from '../../domain/issue-embed-token'
import { signingKeysFromEnv } from '../../domain/signing-keys'
import { unstorableDetails } from '../../domain/storable-json'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../error-handler'
import { requireApiKey } from '../middleware/api-key'
import { database } from '../middleware/database'
import { jsonBody } from '../middleware/json-body'
import { apiKeyRateLimit } from '../middleware/rate-limit'
import { embedTokenRequest, issueInput } from '../schemas/embed-token'
import { validJson } from '../validation'

const MAX_BODY_BYTES = 32 * 1024

// For servers only: no CORS middleware here, so a browser's preflight gets a 405 and no
// Access-Control-Allow-* header. Judged in the contract's order: the key's shape
// (requireApiKey), the rate limit, the body, then the key itself and the checks in one statement.
export const embedToken = new Hono<AppEnv>()
  .post(
    '/v1/embed/token',
    database,
    requireApiKey(WRITE_AFFILIATES),
    apiKeyRateLimit,
    jsonBody(MAX_BODY_BYTES),
    // The schema, plus what only the body as parsed can show (domain/storable-json.ts).
    validJson(embedTokenRequest, unstorableDetails),
    async (c) => {
      const body = c.req.valid('json')
      // Checked before the database is touched: a misconfigured server writes nothing.
      const keys = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
      const credential = c.get('apiKey')
      if (credential === undefined) throw new Error('requireApiKey did not run')
      const issued = await issueEmbedToken(
        c.get('db'),
        keys,
        c.env.TOKEN_ISSUER,
        issueInput(credential.digest, body)
      )
      c.set('principal', { teamId: issued.teamId, keyId: issued.keyId })
      const { publicToken, expiresAt, link, partnershipStatus } = issued
      return c.json(
        { success: true as const, data: { publicToken, expiresAt, link, partnershipStatus } },
        201
      )
    }
  )
  .all('/v1/embed/token', methodNotAllowed(['POST']))
