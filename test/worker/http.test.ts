import { describe, expect, it } from 'vitest'
import { call, expectError, json } from './support/harness'

describe('HTTP conventions', () => {
  it('GET /healthz answers 200 {"status":"ok"}', async () => {
    const response = await call('/healthz')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('404 NOT_FOUND in the envelope for an unknown route', async () => {
    const response = await call('/v2/nothing')
    expect(response.status).toBe(404)
    expect(await json(response)).toEqual({
      success: false,
      error: { code: 'NOT_FOUND', message: expect.any(String) },
    })
  })

  it.each([
    ['GET', '/v1/embed/token', 'POST'],
    ['PUT', '/v1/embed/token', 'POST'],
    ['DELETE', '/v1/embed/data', 'GET, HEAD, OPTIONS'],
    ['POST', '/healthz', 'GET, HEAD'],
  ])('405 METHOD_NOT_ALLOWED for %s %s, with Allow', async (method, path, allow) => {
    const response = await call(path, { method })
    expect(response.headers.get('Allow')).toBe(allow)
    await expectError(response, 405, 'METHOD_NOT_ALLOWED')
  })

  it('echoes a sane X-Request-Id and replaces anything else', async () => {
    const echoed = await call('/healthz', { requestId: 'abc-123_x.y:z' })
    expect(echoed.headers.get('X-Request-Id')).toBe('abc-123_x.y:z')
    const replaced = await call('/healthz', { headers: { 'X-Request-Id': 'bad id<script>' } })
    expect(replaced.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    const generated = await call('/nowhere')
    expect(generated.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})
