import { createMiddleware } from 'hono/factory'
import { bearerToken } from '../../domain/api-keys'
import { type EmbedTokenClaims, verifyEmbedToken } from '../../domain/embed-tokens'
import { signingKeysFromEnv } from '../../domain/signing-keys'
import { ApiError } from '../../errors'
import type { Provides } from '../context'

export type EmbedTokenVariables = { claims: EmbedTokenClaims }

// Where a route takes the embed token from: the page only from its address (an iframe cannot
// send headers); the data route from `Authorization: Bearer` or, failing that, the address.
export type TokenSource = 'query' | 'bearer-or-query'

// Signature, algorithm, key id, audience, issuer and expiry, all without the database, so a
// forged or stale token never costs a query. Whether it is still the affiliate's live token is
// part of the route's one statement.
export const requireEmbedToken = (source: TokenSource) =>
  createMiddleware<Provides<EmbedTokenVariables>>(async (c, next) => {
    const fromQuery = c.req.query('token')
    const token =
      source === 'query' ? fromQuery : bearerToken(c.req.header('Authorization')) || fromQuery
    if (token === undefined || token === '') throw new ApiError('INVALID_TOKEN')
    const keys = signingKeysFromEnv(c.env.TOKEN_SIGNING_KEYS)
    c.set('claims', await verifyEmbedToken(keys, c.env.TOKEN_ISSUER, token))
    await next()
  })
