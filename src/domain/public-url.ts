// The one rule for a URL the embedded page loads (an affiliate's avatar, a program's logo): it
// is fetched by the affiliate's browser, so it must be https (no cleartext beacon), carry no
// credentials, and name a public host: not an IP literal, not a loopback, link-local or private
// name. The page's CSP (`img-src https:`) enforces the scheme again.
export const MAX_URL_LENGTH = 2048

const NON_PUBLIC_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'intranet',
  'lan',
  'home.arpa',
  'localdomain',
]

export function publicHttpsUrlProblem(text: string): string | undefined {
  if (text.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return 'must be an absolute https: URL'
  }
  if (url.protocol !== 'https:') return 'must be an absolute https: URL'
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password'
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host.startsWith('[') || /^\d+(\.\d+){0,3}$/.test(host) || /^0x[0-9a-f]+$/.test(host)) {
    return 'must name a host, not an IP address'
  }
  if (
    !host.includes('.') ||
    NON_PUBLIC_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))
  ) {
    return 'must name a public host'
  }
  return undefined
}

export const isPublicHttpsUrl = (text: string) => publicHttpsUrlProblem(text) === undefined
