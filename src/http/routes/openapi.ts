import { Hono } from 'hono/tiny'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../error-handler'
import document from '../openapi/openapi.json'

export const openapi = new Hono<AppEnv>()
  .get('/openapi.json', (c) => c.json(document))
  .all('/openapi.json', methodNotAllowed(['GET', 'HEAD']))
