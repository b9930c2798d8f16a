// One definition of an origin allowed to frame the dashboard, for the operator's CLI (which
// stores it) and the page (which writes it into `frame-ancestors`): scheme, host and port only,
// no wildcard, the host in its ASCII form (`https://Bücher.de` is stored as
// `https://xn--bcher-kva.de`). What the CLI accepts, the page uses; nothing is dropped silently.
const ORIGIN =
  /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/

export const isEmbedOrigin = (origin: string): boolean => ORIGIN.test(origin)

// The origin as stored, or undefined when the text is not exactly one origin.
export function embedOrigin(text: string): string | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  const onlyOrigin =
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === ''
  return onlyOrigin && isEmbedOrigin(url.origin) ? url.origin : undefined
}
