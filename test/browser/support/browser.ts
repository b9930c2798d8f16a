import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, inject } from 'vitest'

// What global-setup.ts started.
export const stack = {
  serviceUrl: inject('serviceUrl'),
  hostUrl: inject('hostUrl'),
  apiKey: inject('apiKey'),
  programId: inject('programId'),
}
const skipReason = inject('browserSkipReason')

// Debian's Chromium, headless, with nothing reaching out to the network on its own. Each launch
// gets a fresh temporary profile (user-data dir) from Playwright, removed on close.
function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromiumPath'),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-gpu',
    ],
  })
}

// One browser per test file; every test of the file is skipped, with the reason, when the
// global setup found no Chromium.
export function useBrowser(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    if (skipReason === '') browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })
  beforeEach((context) => {
    if (skipReason !== '') context.skip(`browser tests skipped: ${skipReason}`)
  })
  return () => {
    if (browser === undefined) throw new Error('the browser did not start')
    return browser
  }
}

export function uniqueEmail(label = 'partner'): string {
  return `${label}.${crypto.randomUUID().slice(0, 8)}@example.com`
}

export interface Partner {
  email: string
  name?: string
  image?: string
}

// What the host app's server does: a token from POST /v1/embed/token with the API key.
export async function mintToken(
  partner: Partner,
  extra: Record<string, unknown> = {}
): Promise<string> {
  const response = await fetch(`${stack.serviceUrl}/v1/embed/token`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${stack.apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ programId: stack.programId, partner, ...extra }),
  })
  const body = (await response.json()) as { data?: { publicToken: string } }
  if (response.status !== 201 || body.data === undefined) {
    throw new Error(`token request answered ${response.status}: ${JSON.stringify(body)}`)
  }
  return body.data.publicToken
}

export const embedUrl = (token: string, theme?: string) =>
  `${stack.serviceUrl}/embed?token=${encodeURIComponent(token)}${theme ? `&theme=${theme}` : ''}`

// Content-Security-Policy refusals reported on the console of a page or its frames.
export function cspErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message: ConsoleMessage) => {
    if (/Content Security Policy/i.test(message.text())) errors.push(message.text())
  })
  return errors
}

// Opens the parent page of parent-server.ts, framing `src`.
export async function parentPage(page: Page, parentServerUrl: string, src: string): Promise<void> {
  await page.goto(`${parentServerUrl}/?src=${encodeURIComponent(src)}`)
}

export interface Received {
  origin: string
  data: { type?: string; height?: number; reason?: string }
}

export async function messages(page: Page): Promise<Received[]> {
  return (await page.evaluate('window.messages')) as Received[]
}

export async function waitForMessage(page: Page, type: string): Promise<void> {
  await page.waitForFunction(
    `window.messages.some((m) => m.data && m.data.type === ${JSON.stringify(type)})`,
    undefined,
    { timeout: 15_000 }
  )
}
