import { describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import {
  call,
  db,
  defined,
  expectError,
  issueToken,
  newRequestId,
  roundTrips,
} from './support/harness'
import { freshToken, signToken } from './support/tokens'

function page(token: string | undefined, query = '', requestId = newRequestId()) {
  const params = new URLSearchParams(query)
  if (token !== undefined) params.set('token', token)
  return call(`/embed?${params}`, { requestId })
}

// The first group of the pattern's match in the text; throws when it does not match.
function group1(pattern: RegExp, text: string): string {
  return defined(pattern.exec(text)?.[1], `a match of ${pattern}`)
}

function csp(response: Response): Record<string, string> {
  const header = response.headers.get('Content-Security-Policy') ?? ''
  return Object.fromEntries(
    header.split(';').map((directive) => {
      const [name = '', ...values] = directive.trim().split(/\s+/)
      return [name, values.join(' ')]
    })
  )
}

describe('GET /embed', () => {
  it('renders the dashboard as HTML, with one nonce shared by the inline style and script', async () => {
    const { token } = await freshToken({ name: 'Dana Scully', image: 'https://cdn.example/d.png' })
    const requestId = newRequestId()
    const response = await page(token, '', requestId)
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8')
    expect(response.headers.get('X-Request-Id')).toBe(requestId)
    const body = await response.text()
    expect(body).toMatch(/^<!doctype html><html lang="en">/)
    expect(body).toContain('<h1>Test program</h1>')
    expect(body).toContain('value="https://acme.example/?via=dana-scully"')
    expect(body).toContain('<button id="copy" type="button">Copy link</button>')
    expect(body).toMatch(
      /<svg role="img" aria-label="QR code of your referral link" viewBox="0 0 (\d+) \1"[^>]*><rect[^>]*\/><path d="(M\d+ \d+h\d+v1h-\d+z)+"\/><\/svg>/
    )
    expect(body).toContain(
      '<img class="v" src="https://cdn.example/d.png" alt="Avatar of Dana Scully" width="48" height="48">'
    )
    expect(body).toContain('<dd>dana-scully</dd>')
    expect(body).not.toContain(token)
    expect(body).not.toContain('awaiting approval by')

    const nonce = /<script nonce="([^"]+)">/.exec(body)?.[1]
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(body.match(/<script/g)).toHaveLength(1)
    expect(body.match(/<style/g)).toHaveLength(1)
    expect(body).toContain(`<style nonce="${nonce}">`)
    expect(body).not.toMatch(/ style="| on[a-z]+="/)
    expect(csp(response)).toEqual({
      'default-src': "'none'",
      'img-src': 'https:',
      'style-src': `'nonce-${nonce}'`,
      'script-src': `'nonce-${nonce}'`,
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
    })
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer')
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('uses a new nonce for every response', async () => {
    const { token } = await freshToken()
    const nonces = new Set<string>()
    for (let i = 0; i < 3; i++)
      nonces.add(defined(csp(await page(token))['script-src'], 'script-src'))
    expect(nonces.size).toBe(3)
  })

  it('costs one round trip', async () => {
    const { token } = await freshToken()
    const requestId = newRequestId()
    expect((await page(token, '', requestId)).status).toBe(200)
    expect(await roundTrips(requestId)).toBe(1)
  })

  it("lets only the program's allowed origins frame it", async () => {
    const { token } = await freshToken(
      {},
      { embedOrigins: 'https://app.example.com, http://localhost:3000' }
    )
    expect(csp(await page(token))['frame-ancestors']).toBe(
      'https://app.example.com http://localhost:3000'
    )
  })

  it('shows a hostile name, email part or image URL as text, never as markup', async () => {
    const name = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    const image = 'https://cdn.example/a.png?"><script>window.__pwned=3</script>'
    const { token } = await freshToken({ name, image }, { name: `Acme "<b>bold</b>" & co` })
    const body = await (await page(token)).text()
    expect(body).not.toContain('<img src=x')
    expect(body).not.toContain('<script>window.__pwned')
    expect(body).not.toContain('<b>bold</b>')
    expect(body).toContain(
      '<strong>&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;</strong>'
    )
    expect(body).toContain(
      'src="https://cdn.example/a.png?&quot;&gt;&lt;script&gt;window.__pwned=3&lt;/script&gt;"'
    )
    expect(body).toContain('<h1>Acme &quot;&lt;b&gt;bold&lt;/b&gt;&quot; &amp; co</h1>')
    expect(body.match(/<script/g)).toHaveLength(1)
  })

  it('shows the program logo and a notice while the partnership is pending', async () => {
    const { token } = await freshToken(
      {},
      { access: 'private', logoUrl: 'https://cdn.example/logo.svg' }
    )
    const body = await (await page(token)).text()
    expect(body).toContain(
      '<img src="https://cdn.example/logo.svg" alt="Test program logo" width="40" height="40">'
    )
    expect(body).toContain(
      '<p class="n" role="status">Your partnership is awaiting approval by Test program.'
    )
    expect(body).toContain('<dd>Awaiting approval</dd>')
  })

  it('follows ?theme= and the program colours, light by default', async () => {
    const { token } = await freshToken({}, { primaryColor: '#0f766e', backgroundColor: '#f8fafc' })
    const style = async (query: string) =>
      group1(/<style nonce="[^"]+">([^<]*)</, await (await page(token, query)).text())
    const light = await style('')
    expect(light).toMatch(
      /^:root\{color-scheme:light;--b:#f8fafc;--f:#111827;[^}]*--a:#0f766e;--o:#ffffff\}/
    )
    expect(await style('theme=light')).toBe(light)
    expect(await style('theme=bogus')).toBe(light)
    const dark = await style('theme=dark')
    expect(dark).toMatch(/^:root\{color-scheme:dark;--b:#[0-9a-f]{6};--f:#ffffff;/)
    expect(dark).not.toContain('@media')
    const system = await style('theme=system')
    expect(
      system.startsWith(
        `${light.slice(0, light.indexOf('}') + 1)}@media(prefers-color-scheme:dark){${dark.slice(0, dark.indexOf('}') + 1)}}`
      )
    ).toBe(true)
  })

  it("takes Affonso's ?bg= as the page's background, with text that reads on it, and ?padding=false", async () => {
    const { token } = await freshToken({}, { primaryColor: '#0f766e', backgroundColor: '#f8fafc' })
    const body = async (query: string) => (await page(token, query)).text()
    const style = async (query: string) =>
      group1(/<style nonce="[^"]+">([^<]*)</, await body(query))
    // A dark host page: the frame takes its colour, whatever the theme, with light text.
    const dark = await style('bg=1a1a2e&theme=light')
    expect(dark).toMatch(/^:root\{color-scheme:dark;--b:#1a1a2e;--f:#ffffff;/)
    expect(await style('bg=1A1A2E&theme=system')).toBe(dark)
    expect(await style('bg=fffbeb')).toMatch(/^:root\{color-scheme:light;--b:#fffbeb;--f:#111827;/)
    // Not a colour: ignored, as Affonso ignores what it does not know.
    const light = await style('')
    for (const bg of ['#1a1a2e', 'red', '1a1a2', '1a1a2e00', '1a1a2e;x'])
      expect(await style(`bg=${encodeURIComponent(bg)}`), bg).toBe(light)
    expect(await body('')).toContain('<body>')
    expect(await body('padding=false')).toContain('<body class="flush">')
    expect(await body('padding=true')).toContain('<body>')
    // The error screens follow them too.
    const screen = await (await page('garbage', 'bg=1a1a2e&padding=0')).text()
    expect(screen).toContain('--b:#1a1a2e')
    expect(screen).toContain('<body class="flush">')
  })

  it('keeps contrast when the brand colour is too close to the background', async () => {
    const { token } = await freshToken({}, { primaryColor: '#fafafa', backgroundColor: '#ffffff' })
    const style = group1(/<style nonce="[^"]+">([^<]*)</, await (await page(token)).text())
    const accent = group1(/--a:(#[0-9a-f]{6})/, style)
    expect(accent).not.toBe('#fafafa')
    expect(/--o:#111827/.test(style) || /--o:#ffffff/.test(style)).toBe(true)
  })
})

describe('GET /embed, when the dashboard cannot be shown', () => {
  async function expectScreen(response: Response, status: number, code: string, expired: boolean) {
    expect(response.status).toBe(status)
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8')
    expect(response.headers.get('X-Request-Id')).toBeTruthy()
    const body = await response.text()
    expect(body).toMatch(/^<!doctype html><html lang="en"/)
    expect(body).toContain(`Error ${code}, request ${response.headers.get('X-Request-Id')}`)
    expect(body.includes(`data-expired="${code}"`)).toBe(expired)
    const nonce = /<script nonce="([^"]+)">/.exec(body)?.[1]
    expect(csp(response)['script-src']).toBe(`'nonce-${nonce}'`)
    // Any host may frame a screen that holds no data, so that it hears the token has expired.
    expect(csp(response)['frame-ancestors']).toBe('*')
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer')
    return body
  }

  it('401 for a replaced token, telling the host page through the script', async () => {
    const { t, email, token } = await freshToken()
    await issueToken(t.apiKey, { programId: t.programId, partner: { email } })
    const body = await expectScreen(await page(token), 401, 'TOKEN_REVOKED', true)
    expect(body).toContain('<h1>Your session has ended</h1>')
    expect(body).toContain('embed:token-expired')
  })

  it('401 for an expired, missing or forged token', async () => {
    const { claims } = await freshToken()
    const past = Math.floor(Date.now() / 1000) - 3600
    const expired = await signToken({ ...claims, iat: past - 1800, exp: past })
    await expectScreen(await page(expired), 401, 'TOKEN_EXPIRED', true)
    await expectScreen(await page(undefined), 401, 'INVALID_TOKEN', true)
    await expectScreen(await page('garbage'), 401, 'INVALID_TOKEN', true)
  })

  it('401 TOKEN_REVOKED once the partnership is suspended; the fresh token the host asks for is refused', async () => {
    const { t, email, token } = await freshToken()
    await admin.setAffiliateStatus(db, { program: t.programId, email, status: 'SUSPENDED' })
    await expectScreen(await page(token), 401, 'TOKEN_REVOKED', true)
    await expectError(
      await issueToken(t.apiKey, { programId: t.programId, partner: { email } }),
      403,
      'PARTNERSHIP_INACTIVE'
    )
  })

  it('follows ?theme= on the error screen too', async () => {
    const body = await (await page('garbage', 'theme=dark')).text()
    expect(body).toContain('color-scheme:dark')
  })

  it('405 as HTML, with Allow, for another method', async () => {
    const response = await call('/embed', { method: 'POST' })
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('GET, HEAD')
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=UTF-8')
    expect(await response.text()).toContain('Error METHOD_NOT_ALLOWED')
  })
})
