import { createMiddleware } from 'hono/factory'
import { createDb } from '../../data/db'
import type { AppEnv } from '../context'

// Creating the client opens nothing: a query is one HTTP request, made only when it runs.
export const database = createMiddleware<AppEnv>(async (c, next) => {
  c.set('db', createDb(c.env, c.get('requestId')))
  await next()
})
