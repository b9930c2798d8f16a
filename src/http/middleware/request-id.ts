import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../context'

// A caller's id is echoed when it is a sane token (so logs on both sides line up); anything
// else is replaced, since it ends up in logs and in the database's activity view.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

// The caller's id is theirs to reuse, so it cannot key anything the service counts: concurrent
// requests sent with one id would mix their SQL round trips and log lines. `internalId` is made
// here for every request (the caller's id, for correlation in the database's activity views,
// plus a random part) and keys the per-request accounting and the connection's application_name.
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const given = c.req.header('X-Request-Id')
  const id = given !== undefined && SANE_REQUEST_ID.test(given) ? given : crypto.randomUUID()
  c.set('requestId', id)
  c.set('internalId', `${id}~${crypto.randomUUID().slice(0, 13)}`)
  await next()
  c.res.headers.set('X-Request-Id', id)
})
