import { describe, expect, it } from 'vitest'
import { call, expectError } from './support/harness'

// GET /embed.js: the script hosts load to embed the dashboard (src/http/pages/embed-host.client.ts).

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
  return (await new Response(stream).arrayBuffer()).byteLength
}

describe('GET /embed.js', () => {
  it('serves the embedding script, small, as JavaScript, cached briefly', async () => {
    const response = await call('/embed.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300')
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    const text = await response.text()
    expect(text).toContain('EmbedDashboard')
    expect(text).toContain('embed:token-expired')
    expect(await gzipSize(text)).toBeLessThanOrEqual(2048)
  })

  it('answers HEAD without a body', async () => {
    const response = await call('/embed.js', { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8')
    expect(await response.text()).toBe('')
  })

  it.each(['POST', 'PUT', 'DELETE'])(
    '405 METHOD_NOT_ALLOWED for %s, with Allow',
    async (method) => {
      const response = await call('/embed.js', { method })
      expect(response.headers.get('Allow')).toBe('GET, HEAD')
      await expectError(response, 405, 'METHOD_NOT_ALLOWED')
    }
  )
})
