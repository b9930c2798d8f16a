import { env } from 'cloudflare:workers'
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { createDb } from '../../../src/data/db'
import worker from '../../../src/index'

export interface DirectCall {
  path: string
  method?: string
  headers?: Record<string, string>
  // A stream reaches the handler as it is, errors included (a client gone mid-body).
  body?: string | ReadableStream<Uint8Array>
}

// Runs one request through the worker's own fetch handler with some bindings replaced (a dead
// database endpoint, a short timeout, a fake rate limiter, other signing keys). The driver's
// endpoint and timeout are isolate-wide settings that every request sets from its env, so they
// are set back from the real env afterwards, before anything else in this file talks to the
// database.
export async function callWithEnv(overrides: Partial<Env>, call: DirectCall): Promise<Response> {
  const ctx = createExecutionContext()
  try {
    const response = await worker.fetch(
      new Request(`https://api.test${call.path}`, {
        method: call.method ?? 'GET',
        headers: call.headers ?? {},
        ...(call.body === undefined ? {} : { body: call.body }),
      }),
      { ...env, ...overrides },
      ctx
    )
    // Read whole before the settings are restored, so nothing of this request runs after.
    const body = await response.arrayBuffer()
    await waitOnExecutionContext(ctx)
    return new Response(body, response)
  } finally {
    createDb(env, 'restore-driver-settings')
  }
}
