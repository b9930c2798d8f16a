import { describe, expect, it } from 'vitest'
import { email as cliEmail, origins as cliOrigins, publicImageUrl } from '../../src/admin/inputs'
import { normalizeEmail } from '../../src/domain/email'
import { embedOrigin, isEmbedOrigin } from '../../src/domain/embed-origin'
import { publicHttpsUrlProblem } from '../../src/domain/public-url'

// One definition of an email, an origin and a loadable image URL, shared by the API and the CLI.

describe('email addresses', () => {
  it.each([
    [' Jane@Example.COM ', 'jane@example.com'],
    ['jane@bücher.de', 'jane@xn--bcher-kva.de'],
    ['jane@BÜCHER.DE', 'jane@xn--bcher-kva.de'],
  ])('%j is stored as %j, by the API and the CLI alike', (input, stored) => {
    expect(normalizeEmail(input)).toBe(stored)
    expect(cliEmail(input)).toBe(stored)
  })

  it.each([
    'Jane@Example.com.',
    'İnci@example.com',
    'ｊａｎｅ@example.com',
    'jane@ｅｘａｍｐｌｅ.com',
    'jane',
    'jane@localhost',
  ])('%j is refused by both', (input) => {
    expect(normalizeEmail(input)).toBeUndefined()
    expect(() => cliEmail(input)).toThrow(/must be an email address/)
  })
})

describe('embed origins', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com'],
    ['https://app.example.com/', 'https://app.example.com'],
    ['https://App.Example.com:8443', 'https://app.example.com:8443'],
    ['https://bücher.de', 'https://xn--bcher-kva.de'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
  ])('%j is stored as %j, and the page keeps it', (input, stored) => {
    expect(embedOrigin(input)).toBe(stored)
    expect(cliOrigins(input, 'embed-origins')).toEqual([stored])
    expect(isEmbedOrigin(stored)).toBe(true)
  })

  it.each([
    'https://*.example.com',
    'https://app.example.com/path',
    'https://a.com?x',
    'ftp://a.com',
    'app.example.com',
    'https://user@a.com',
  ])('%j is refused by the CLI, so the page never drops it silently', (input) => {
    expect(embedOrigin(input)).toBeUndefined()
    expect(() => cliOrigins(input, 'embed-origins')).toThrow(/no path, no wildcard/)
  })
})

describe('image URLs the page loads', () => {
  it('accepts https on a public host', () => {
    expect(publicHttpsUrlProblem('https://cdn.example.com/a.png')).toBeUndefined()
    expect(publicImageUrl('https://cdn.example.com/a.png', 'logo-url')).toBe(
      'https://cdn.example.com/a.png'
    )
  })

  it.each([
    ['http://cdn.example.com/a.png', 'must be an absolute https: URL'],
    ['https://u:p@cdn.example.com/a.png', 'must not contain a user name or password'],
    ['https://10.0.0.1/a.png', 'must name a host, not an IP address'],
    ['https://0x7f.1/a.png', 'must name a host, not an IP address'],
    ['https://[fd00::1]/a.png', 'must name a host, not an IP address'],
    ['https://printer.local/a.png', 'must name a public host'],
    ['https://a.localhost/a.png', 'must name a public host'],
  ])('refuses %j: %s', (url, problem) => {
    expect(publicHttpsUrlProblem(url)).toBe(problem)
    expect(() => publicImageUrl(url, 'logo-url')).toThrow(`--logo-url ${problem}.`)
  })
})
