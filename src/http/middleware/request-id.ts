import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'

// A caller's id is echoed when it is a sane token (so logs on both sides line up); anything
// else is replaced, since it ends up in logs and in the database's activity view.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header('X-Request-Id')
  const id = given !== undefined && SANE_REQUEST_ID.test(given) ? given : crypto.randomUUID()
  c.set('requestId', id)
  await next()
  c.res.headers.set('X-Request-Id', id)
})
