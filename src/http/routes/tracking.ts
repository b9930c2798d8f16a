import { Hono } from 'hono/tiny'
import { verifyClickId } from '../../domain/click-id'
import { PERMISSIONS } from '../../domain/permissions'
import { signingKeysFromEnv } from '../../domain/signing-keys'
import { unstorableDetails } from '../../domain/storable-json'
import { createClick, createConversion, createRefund, createSignup } from '../../domain/tracking'
import {
  clickRequest,
  conversionRequest,
  refundRequest,
  signupRequest,
} from '../../domain/tracking-requests'
import { ApiError } from '../../errors'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../errors'
import { requireApiKey } from '../middleware/api-key'
import { rememberRealKey, unknownKeyClientLimit } from '../middleware/client-limit'
import { database } from '../middleware/database'
import { jsonBody } from '../middleware/json-body'
import { apiKeyRateLimit } from '../middleware/rate-limit'
import { refuse } from '../middleware/refuse'

// The server-side tracking routes (docs/TRACKING.md), each as the token route: the contract's
// order of judgement in the chain (key's shape, rate limits, body), then one statement that
// checks the key itself and everything else. Answers carry personal data: no-store.

const body = { maxBytes: 32 * 1024, alsoCheck: unstorableDetails }
const NO_STORE = { 'Cache-Control': 'no-store' }
const CONVERSION_ID = /^cnv_[A-Za-z0-9]{1,64}$/

export const tracking = new Hono<AppEnv>()
  .post(
    '/v1/clicks',
    database,
    requireApiKey(PERMISSIONS.writeReferrals),
    unknownKeyClientLimit,
    apiKeyRateLimit,
    jsonBody(clickRequest, body),
    async (c) => {
      const ring = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
      const click = await createClick(c.var.db, ring, c.var.apiKey, c.var.body)
      c.set('principal', click.principal)
      rememberRealKey(c.var.apiKey.digest)
      return c.json({ success: true as const, data: click.response }, 201, NO_STORE)
    }
  )
  .all('/v1/clicks', methodNotAllowed(['POST']))
  .post(
    '/v1/signups',
    database,
    requireApiKey(PERMISSIONS.writeReferrals),
    unknownKeyClientLimit,
    apiKeyRateLimit,
    jsonBody(signupRequest, body),
    async (c) => {
      const ring = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
      // A forged or altered click id is refused without the database, after the key is checked.
      const click = await verifyClickId(ring, c.var.body.click_id)
      if (click === undefined) return refuse(c.var, new ApiError('CLICK_NOT_FOUND'))
      const signup = await createSignup(
        c.var.db,
        c.var.apiKey,
        click,
        c.var.body.click_id,
        c.var.body
      )
      c.set('principal', signup.principal)
      rememberRealKey(c.var.apiKey.digest)
      return c.json(
        { success: true as const, data: signup.response },
        signup.created ? 201 : 200,
        NO_STORE
      )
    }
  )
  .all('/v1/signups', methodNotAllowed(['POST']))
  .post(
    '/v1/conversions',
    database,
    requireApiKey(PERMISSIONS.writeCommissions),
    unknownKeyClientLimit,
    apiKeyRateLimit,
    jsonBody(conversionRequest, body),
    async (c) => {
      const ring = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
      const given = c.var.body.click_id
      const click = given == null ? null : ((await verifyClickId(ring, given)) ?? 'forged')
      if (click === 'forged') return refuse(c.var, new ApiError('CLICK_NOT_FOUND'))
      const sale = await createConversion(c.var.db, c.var.apiKey, click, c.var.body)
      c.set('principal', sale.principal)
      rememberRealKey(c.var.apiKey.digest)
      return c.json(
        { success: true as const, data: sale.response },
        sale.created ? 201 : 200,
        NO_STORE
      )
    }
  )
  .all('/v1/conversions', methodNotAllowed(['POST']))
  .post(
    '/v1/conversions/:id/refund',
    database,
    requireApiKey(PERMISSIONS.writeCommissions),
    unknownKeyClientLimit,
    apiKeyRateLimit,
    jsonBody(refundRequest, body),
    async (c) => {
      const id = c.req.param('id')
      if (!CONVERSION_ID.test(id)) return refuse(c.var, new ApiError('CONVERSION_NOT_FOUND'))
      const refund = await createRefund(c.var.db, c.var.apiKey, id, c.var.body)
      c.set('principal', refund.principal)
      rememberRealKey(c.var.apiKey.digest)
      return c.json({ success: true as const, data: refund.response }, 200, NO_STORE)
    }
  )
  .all('/v1/conversions/:id/refund', methodNotAllowed(['POST']))
