import { Hono } from 'hono/tiny'
import { bearerToken } from '../../domain/api-keys'
import { verifyEmbedToken } from '../../domain/embed-tokens'
import { readEmbedData } from '../../domain/read-embed-data'
import { signingKeysFromEnv } from '../../domain/signing-keys'
import { ApiError } from '../../errors'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../error-handler'
import { database } from '../middleware/database'
import { openCors } from '../middleware/open-cors'
import { limitEmbedToken } from '../middleware/rate-limit'

export const embedData = new Hono<AppEnv>()
  // Any origin may call it, errors included; the preflight is answered before the 405 below.
  .use('/v1/embed/data', openCors)
  .get('/v1/embed/data', database, async (c) => {
    const token = bearerToken(c.req.header('Authorization')) || c.req.query('token')
    if (token === undefined || token === '') throw new ApiError('INVALID_TOKEN')
    const keys = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
    // Verified before any query: a forged or expired token never reaches the database.
    const claims = await verifyEmbedToken(keys, c.env.TOKEN_ISSUER, token)
    // 60 a minute per token, counted only for genuine tokens and before the database is asked.
    await limitEmbedToken(c, claims.tokenId)
    const data = await readEmbedData(c.get('db'), claims)
    return c.json({ success: true as const, data })
  })
  .all('/v1/embed/data', methodNotAllowed(['GET', 'HEAD', 'OPTIONS']))
