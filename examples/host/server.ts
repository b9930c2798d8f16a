import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import { pathToFileURL } from 'node:url'
import { configFromEnv, type HostConfig } from './config'
import { hostPage } from './page'

// A stand-in for a SaaS app that embeds the referral dashboard. The API key stays here, on the
// server: the browser only ever holds a short-lived embed token.

export interface RunningHost {
  url: string
  close(): Promise<void>
}

// The server-side half of the integration: one call to POST /v1/embed/token per page load.
async function mintToken(config: HostConfig): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL('/v1/embed/token', config.serviceUrl), {
    method: 'POST',
    headers: { Authorization: `Bearer ${config.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      programId: config.programId,
      // An avatar would be `image`: an https URL on a public host (the page loads nothing else).
      partner: { email: config.user.email, name: config.user.name },
    }),
    signal: AbortSignal.timeout(10_000),
  })
  const body = (await response.json()) as {
    data?: { publicToken: string; expiresAt: string }
    error?: unknown
  }
  if (!response.ok || body.data === undefined)
    return { status: 502, body: { error: body.error ?? 'token request failed' } }
  return { status: 200, body: { token: body.data.publicToken, expiresAt: body.data.expiresAt } }
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' })
  res.end(body)
}

export async function startHostServer(
  config: HostConfig,
  host = '127.0.0.1'
): Promise<RunningHost> {
  let origin = ''
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin)
    if (req.method === 'GET' && url.pathname === '/') {
      const theme = url.searchParams.get('theme') ?? 'light'
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        hostPage({ serviceUrl: config.serviceUrl, userName: config.user.name, theme })
      )
    }
    // A JSON content type: a cross-site form cannot send it without a CORS preflight, which
    // this server never allows, so other sites cannot mint tokens for the signed-in user.
    if (req.method === 'POST' && url.pathname === '/api/embed-token') {
      if (req.headers['content-type'] !== 'application/json')
        return send(res, 415, 'text/plain', 'JSON only\n')
      req.resume()
      mintToken(config).then(
        ({ status, body }) => send(res, status, 'application/json', JSON.stringify(body)),
        (error: unknown) =>
          send(res, 502, 'application/json', JSON.stringify({ error: String(error) }))
      )
      return undefined
    }
    return send(res, 404, 'text/plain', 'Not found\n')
  })
  server.listen(config.port, host)
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string')
    throw new Error('the host server has no port')
  origin = `http://${host}:${address.port}`
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

// `npx tsx examples/host/server.ts`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = configFromEnv()
  const running = await startHostServer(config)
  process.stdout.write(
    `Host app on ${running.url}, signed in as ${config.user.name} <${config.user.email}>, embedding ${config.serviceUrl}/embed\n` +
      `The program must allow this origin to frame the dashboard:\n` +
      `  npm run admin -- program update --id ${config.programId} --embed-origins ${running.url}\n`
  )
}
