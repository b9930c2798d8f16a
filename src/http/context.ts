import type { Db } from '../data/db'

export interface ApiKeyCredential {
  digest: string
  permission: string
}

export interface AppVariables {
  requestId: string
  db: Db
  // Set once the Authorization header has the shape of an API key; checked against the
  // database inside the request's single statement.
  apiKey: ApiKeyCredential | undefined
  // For the access log: who was served, and the error code when the answer was an error.
  principal: { teamId: string; keyId: string } | undefined
  errorCode: string | undefined
}

export type AppEnv = { Bindings: Env; Variables: AppVariables }
