import { Hono } from 'hono/tiny'
import type { AppEnv } from './http/context'
import { notFound, onError } from './http/errors'
import { accessLog } from './http/middleware/access-log'
import { requestId } from './http/middleware/request-id'
import { embedData } from './http/routes/embed-data'
import { embedPage } from './http/routes/embed-page'
import { hostScripts } from './http/routes/host-scripts'
import { embedToken } from './http/routes/embed-token'
import { health } from './http/routes/health'
import { openapi } from './http/routes/openapi'
import { trackClick } from './http/routes/track-click'
import { tracking } from './http/routes/tracking'

export function createApp() {
  return new Hono<AppEnv>()
    .use(requestId)
    .use(accessLog)
    .route('/', health)
    .route('/', embedToken)
    .route('/', embedData)
    .route('/', embedPage)
    .route('/', tracking)
    .route('/', trackClick)
    .route('/', hostScripts)
    .route('/', openapi)
    .notFound(notFound)
    .onError(onError)
}
