import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { toApiError } from '../../data/database-errors'
import { authenticateApiKey } from '../../data/statements/api-key-auth'
import { bearerToken, digestApiKey, isApiKeyShape } from '../../domain/api-keys'
import { ApiError } from '../../errors'
import type { AppEnv } from '../context'

// What can be judged without the database is judged here; whether the key exists, is enabled,
// unexpired and allowed is part of the route's own statement, so it costs no extra round trip.
export const requireApiKey = (permission: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = bearerToken(c.req.header('Authorization'))
    if (key === undefined) throw new ApiError('MISSING_API_KEY')
    if (!isApiKeyShape(key)) throw new ApiError('INVALID_API_KEY_FORMAT')
    c.set('apiKey', { digest: await digestApiKey(key), permission })
    await next()
  })

// Authentication is judged before the request's shape. A request refused for its shape never
// reaches the route's statement, so the key is checked on its own first (one round trip), and
// an authentication failure wins over the shape error.
export async function refuseAfterAuthentication(c: Context<AppEnv>, error: ApiError): Promise<never> {
  const credential = c.get('apiKey')
  if (credential !== undefined) {
    let auth
    try {
      auth = await authenticateApiKey(c.get('db'), credential.digest, credential.permission)
    } catch (cause) {
      throw toApiError(cause)
    }
    if (auth.error !== null) throw new ApiError(auth.error)
  }
  throw error
}
