import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import { pathToFileURL } from 'node:url'
import { configFromEnv, type HostConfig } from './config'
import { landingPage } from './landing'
import { isOperatorAction, operate, type OperatorOutcome } from './operator'
import { hostPage } from './page'
import {
  type CallOutcome,
  newSession,
  newVisitor,
  reportRefund,
  reportSale,
  reportSignup,
  SESSION_COOKIE,
  type Visitor,
  visitorOf,
} from './tracking'

// A stand-in for a SaaS app that embeds the referral dashboard and reports its referrals. The
// API key stays here, on the server: the browser only ever holds a short-lived embed token and
// the click id the tracking script gave it.

export interface RunningHost {
  url: string
  close(): Promise<void>
}

// The referral parameter of the demo program (and the tracking script's default).
const REFERRAL_PARAM = 'via'

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
    data?: { publicToken: string; expiresAt: string; link: string }
    error?: unknown
  }
  if (!response.ok || body.data === undefined)
    return { status: 502, body: { error: body.error ?? 'token request failed' } }
  // The user's tracking id, from their referral link: the landing page's `?via=`.
  const trackingId = new URL(body.data.link).searchParams.get(REFERRAL_PARAM)
  return {
    status: 200,
    body: { token: body.data.publicToken, expiresAt: body.data.expiresAt, trackingId },
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {}
) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers })
  res.end(body)
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=')
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='))
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

const MAX_BODY_BYTES = 4096

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new Error('body too large')
    chunks.push(chunk)
  }
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('not a JSON object')
  return parsed as Record<string, unknown>
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const CLICK_ID = /^clk_[A-Za-z0-9_.-]{1,512}$/

// An answer of this app itself (nothing asked of the service).
const local = (call: string, text: string): CallOutcome => ({
  call,
  status: 0,
  answer: null,
  text,
  commission: null,
})

// POST /api/signup {email, clickId}: the visitor's account, and the sign-up reported with the
// click id the browser passed on, or else the one the tracking script's cookie carries.
async function signup(
  config: HostConfig,
  req: IncomingMessage,
  body: Record<string, unknown>
): Promise<{ outcome: CallOutcome & { signedUpAs?: string }; session?: string }> {
  const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : ''
  if (email.length > 254 || !EMAIL.test(email))
    return { outcome: local('sign-up', 'Please enter an email address.') }
  const given = typeof body.clickId === 'string' ? body.clickId : cookie(req, 'embed_click')
  const clickId = given !== undefined && CLICK_ID.test(given) ? given : null
  const visitor = newVisitor(email, clickId)
  const outcome = await reportSignup(config, visitor)
  return { outcome: { ...outcome, signedUpAs: email }, session: newSession(visitor) }
}

// /api/signup, /api/buy, /api/refund: this app's answer, carrying the service's.
async function reportCall(
  config: HostConfig,
  path: string,
  req: IncomingMessage
): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
  let body: Record<string, unknown>
  try {
    body = await readJson(req)
  } catch (error) {
    return { status: 400, body: local(path, `Not a JSON object: ${error}`) }
  }
  if (path === '/api/signup') {
    const { outcome, session } = await signup(config, req, body)
    if (session === undefined) return { status: 200, body: outcome }
    const setCookie = `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`
    return { status: 200, body: outcome, headers: { 'Set-Cookie': setCookie } }
  }
  if (path === '/api/buy')
    return { status: 200, body: await forVisitor(req, 'buy', (v) => reportSale(config, v)) }
  return { status: 200, body: await forVisitor(req, 'refund', (v) => reportRefund(config, v)) }
}

async function forVisitor(
  req: IncomingMessage,
  what: string,
  report: (visitor: Visitor) => Promise<CallOutcome>
): Promise<CallOutcome> {
  const visitor = visitorOf(cookie(req, SESSION_COOKIE))
  if (visitor === undefined)
    return local(what, 'Sign up first (this demo keeps accounts in memory).')
  return report(visitor)
}

const OPERATOR_PATH = /^\/operator\/([a-z-]+)$/
const PAYOUT_ID = /^pay_[0-9a-f]{32}$/

// POST /operator/<action>: the demo's Operator panel (operator.ts). The page chooses the command,
// and for mark-paid the payout and the reference; the program and group are this server's own.
async function operatorCall(
  config: HostConfig,
  action: string,
  req: IncomingMessage
): Promise<{ status: number; body: OperatorOutcome }> {
  const refused = (status: number, text: string) => ({
    status,
    body: { command: '', ok: false, printed: null, text, payouts: null },
  })
  if (config.operatorDb === undefined)
    return refused(404, 'This server was started without the operator panel.')
  if (!isOperatorAction(action)) return refused(404, `No operator command "${action}" here.`)
  let body: Record<string, unknown>
  try {
    body = await readJson(req)
  } catch (error) {
    return refused(400, `Not a JSON object: ${error}`)
  }
  const payoutId = typeof body.payoutId === 'string' ? body.payoutId : ''
  if (action === 'payout-mark-paid' && !PAYOUT_ID.test(payoutId))
    return refused(400, 'Which payout? Its id is pay_ and 32 hex digits.')
  const reference = typeof body.reference === 'string' ? body.reference.slice(0, 200) : ''
  const outcome = await operate(config.operatorDb, action, {
    programId: config.programId,
    groupId: config.groupId ?? null,
    payoutId,
    reference,
  })
  return { status: 200, body: outcome }
}

export async function startHostServer(
  config: HostConfig,
  host = '127.0.0.1'
): Promise<RunningHost> {
  let origin = ''
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin)
    const theme = url.searchParams.get('theme') ?? 'light'
    // An affiliate's link (the program's website with `?via=`) leads to the landing page.
    const landing =
      url.pathname === '/landing' || (url.pathname === '/' && url.searchParams.has(REFERRAL_PARAM))
    if (req.method === 'GET' && landing) {
      const visitor = visitorOf(cookie(req, SESSION_COOKIE))
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        landingPage({
          serviceUrl: config.serviceUrl,
          programId: config.programId,
          affiliateName: config.user.name,
          theme,
          via: url.searchParams.get(REFERRAL_PARAM),
          signedUpAs: visitor?.email ?? null,
          hasSale: (visitor?.sales.length ?? 0) > 0,
          operator:
            config.operatorDb === undefined
              ? null
              : { programId: config.programId, groupId: config.groupId ?? null },
        })
      )
    }
    if (req.method === 'GET' && url.pathname === '/') {
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        hostPage({ serviceUrl: config.serviceUrl, userName: config.user.name, theme })
      )
    }
    // A JSON content type: a cross-site form cannot send it without a CORS preflight, which
    // this server never allows, so other sites cannot mint tokens for the signed-in user, nor
    // report sign-ups, sales or refunds, nor run the operator's commands.
    const api = ['/api/embed-token', '/api/signup', '/api/buy', '/api/refund']
    const operator = OPERATOR_PATH.exec(url.pathname)?.[1]
    if (req.method === 'POST' && (api.includes(url.pathname) || operator !== undefined)) {
      if (req.headers['content-type'] !== 'application/json')
        return send(res, 415, 'text/plain', 'JSON only\n')
      if (url.pathname === '/api/embed-token') {
        req.resume()
        mintToken(config).then(
          ({ status, body }) => send(res, status, 'application/json', JSON.stringify(body)),
          (error: unknown) =>
            send(res, 502, 'application/json', JSON.stringify({ error: String(error) }))
        )
        return undefined
      }
      if (operator !== undefined) {
        operatorCall(config, operator, req).then(
          ({ status, body }) => send(res, status, 'application/json', JSON.stringify(body)),
          (error: unknown) =>
            send(res, 500, 'application/json', JSON.stringify({ text: String(error) }))
        )
        return undefined
      }
      reportCall(config, url.pathname, req).then(
        ({ status, body, headers }) =>
          send(res, status, 'application/json', JSON.stringify(body), headers),
        (error: unknown) =>
          send(
            res,
            502,
            'application/json',
            JSON.stringify(local(url.pathname, `The service could not be reached: ${error}`))
          )
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
      `The program must allow this origin to frame the dashboard and to record clicks:\n` +
      `  npm run admin -- program update --id ${config.programId} --embed-origins ${running.url} --tracking-origins ${running.url}\n` +
      `Try the whole loop on ${running.url}/ : it links to the landing page with your referral link.\n` +
      `Its Operator panel runs the CLI's payout commands (npm run admin) on the database they reach: a demo's shortcut, on 127.0.0.1 only.\n`
  )
}
