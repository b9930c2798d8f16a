import { createMiddleware } from 'hono/factory'
import { createDb, type Db } from '../../data/db'
import type { Provides } from '../context'

export type DatabaseVariables = { db: Db }

// Creating the client opens nothing: a query is one HTTP request, made only when it runs.
export const database = createMiddleware<Provides<DatabaseVariables>>(async (c, next) => {
  c.set('db', createDb(c.env, c.var.internalId))
  await next()
})
