import { isTransientFailure } from './database-errors'

// Runs a statement and, after a transient failure (see isTransientFailure), runs it again, up to
// `retries` more times. Only for statements that may run twice: the first try may have committed
// before its answer was lost. Each caller says why its statement is safe to repeat.
export async function retryTransient<T>(statement: () => Promise<T>, retries = 1): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await statement()
    } catch (error) {
      if (attempt >= retries || !isTransientFailure(error)) throw error
    }
  }
}
