import { createMiddleware } from 'hono/factory'
import { bearerToken, digestApiKey, isApiKeyShape } from '../../domain/api-keys'
import type { Permission } from '../../domain/permissions'
import { ApiError } from '../../errors'
import type { Provides } from '../context'

export interface ApiKeyCredential {
  digest: string
  // The permission the route needs: checked against the key inside the route's statement.
  permission: Permission
}

export type ApiKeyVariables = { apiKey: ApiKeyCredential }

// What can be judged without the database is judged here; whether the key exists, is enabled,
// unexpired and allowed is part of the route's own statement, so it costs no extra round trip
// (or of refuse() when the request is refused before that statement).
export const requireApiKey = (permission: Permission) =>
  createMiddleware<Provides<ApiKeyVariables>>(async (c, next) => {
    const key = bearerToken(c.req.header('Authorization'))
    if (key === undefined) throw new ApiError('MISSING_API_KEY')
    if (!isApiKeyShape(key)) throw new ApiError('INVALID_API_KEY_FORMAT')
    c.set('apiKey', { digest: await digestApiKey(key), permission })
    await next()
  })
