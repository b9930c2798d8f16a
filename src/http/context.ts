import type { ErrorCode } from '../errors'

// What every request has, from the app's first middleware on. What a route's own middleware
// provide (the database, the API key, the body) is declared by each of them (`Provides`), so a
// handler's `c.var` is typed by the chain it sits in.
export interface AppVariables {
  // The id echoed in X-Request-Id and logged: the caller's when it sent a sane one.
  requestId: string
  // The service's own id for this request (see middleware/request-id.ts).
  internalId: string
  // For the access log: who was served, and the error code when the answer was an error.
  principal?: { teamId: string; keyId: string }
  errorCode?: ErrorCode
}

export type AppEnv = { Bindings: Env; Variables: AppVariables }

// The env of a middleware that provides `V` to everything after it in the chain.
export type Provides<V extends object> = { Bindings: Env; Variables: AppVariables & V }
