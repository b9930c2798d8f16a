import { authenticateApiKey } from '../../data/statements/api-key-auth'
import { ApiError } from '../../errors'
import type { ApiKeyVariables } from './api-key'
import { rememberRealKey } from './client-limit'
import type { DatabaseVariables } from './database'

// Authentication first. The contract judges a request in this order: the API key (present,
// well-formed: requireApiKey; known, enabled, unexpired, allowed), then the rate limit, then the
// body (415, 413, INVALID_JSON, VALIDATION_ERROR), then the route's own checks. Whether the key
// is good is only known once the database has seen it, and on the happy path that happens inside
// the route's one statement. A request refused before that statement is refused through here:
// its key is checked on its own first (one key-only round trip), and an authentication failure
// wins over the refusal.
// Called with the request's variables: `refuse(c.var, error)`.
export async function refuse(
  { db, apiKey }: DatabaseVariables & ApiKeyVariables,
  refusal: ApiError
): Promise<never> {
  const auth = await authenticateApiKey(db, apiKey)
  if (auth.refused !== null) throw new ApiError(auth.refused)
  rememberRealKey(apiKey.digest)
  throw refusal
}
