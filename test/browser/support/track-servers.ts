import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'

// The minified tracking script, as the worker serves it (tools/generate-assets.ts).
const TRACK_SCRIPT = readFileSync(new URL('../../../public/track.js', import.meta.url), 'utf8')

// The tracking script on its own, without the worker: a "service" that serves the generated
// TRACK_SCRIPT as /track.js and fakes POST /v1/track/click, and a "host" whose pages load it.
// Both on loopback, on different ports, so different origins, as a host site and the service
// are (a page Playwright answered itself would count as public, and Chromium's local network
// access checks would refuse it a loopback request).

// One request the fake endpoint received, preflights included (there should be none).
export interface RecordedRequest {
  method: string
  contentType: string | undefined
  origin: string | undefined
  cookie: string | undefined
  body: string
}

// How the fake endpoint answers: like the service (202 with a fresh click id), with a 500, by
// dropping the connection, or with a 202 that carries no CORS header (an origin the program
// does not list).
export type EndpointMode = 'ok' | 'error' | 'drop' | 'no-cors'

export interface TrackServers {
  hostUrl: string
  serviceUrl: string
  requests: RecordedRequest[]
  mode: EndpointMode
  // The id the next successful answer carries.
  nextClickId: string
  // A host page path whose <script> carries `attributes` (data-* names to values).
  hostPage(attributes: Record<string, string>): string
  close(): Promise<void>
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => void
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handle)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

export async function startTrackServers(): Promise<TrackServers> {
  const pages: Record<string, string>[] = []
  // Filled in once both servers listen; the handlers run only after that.
  let hostUrl = ''

  const service = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://service').pathname
    if (req.method === 'GET' && path === '/track.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' })
      res.end(TRACK_SCRIPT)
      return
    }
    if (path !== '/v1/track/click') {
      res.writeHead(404).end()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      servers.requests.push({
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        origin: req.headers.origin,
        cookie: req.headers.cookie,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const cors = { 'Access-Control-Allow-Origin': hostUrl, Vary: 'Origin' }
      const json = { 'Content-Type': 'application/json' }
      switch (servers.mode) {
        case 'ok':
          res.writeHead(202, { ...json, ...cors })
          res.end(JSON.stringify({ success: true, data: { clickId: servers.nextClickId } }))
          return
        case 'error':
          res.writeHead(500, { ...json, ...cors })
          res.end(JSON.stringify({ success: false, error: { code: 'INTERNAL_ERROR' } }))
          return
        case 'drop':
          req.socket.destroy()
          return
        case 'no-cors':
          res.writeHead(202, json)
          res.end(JSON.stringify({ success: true, data: { clickId: servers.nextClickId } }))
          return
      }
    })
  })

  const host = await listen((req, res) => {
    const match = /^\/page\/(\d+)/.exec(req.url ?? '')
    const attributes = match ? pages[Number(match[1])] : undefined
    if (attributes === undefined) {
      res.writeHead(404).end()
      return
    }
    const data = Object.entries(attributes)
      .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
      .join('')
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(
      `<!doctype html><html lang="en"><title>host</title><script src="${service.url}/track.js"${data} defer></script><a id="next" href="/page/${match?.[1]}">next</a>`
    )
  })
  hostUrl = host.url

  const servers: TrackServers = {
    hostUrl: host.url,
    serviceUrl: service.url,
    requests: [],
    mode: 'ok',
    nextClickId: 'clk_test1',
    hostPage(attributes) {
      pages.push(attributes)
      return `${host.url}/page/${pages.length - 1}`
    },
    close: async () => {
      await Promise.all([host.close(), service.close()])
    },
  }
  return servers
}
