// The embedded page's security headers. Its one inline style and one inline script carry a
// fresh nonce per response, so nothing injected into the markup can run or restyle the page.

export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
}

// Origins are validated when an operator stores them; checked again here because they go into
// a header, where a stray `;` or space would add a directive of its own.
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i

// Who may frame the page: the program's allowed origins, or nobody. Error screens hold nothing
// but a sentence, and must render inside any host so the host hears that its token expired.
export function frameAncestors(origins: readonly string[] | 'any'): string {
  if (origins === 'any') return '*'
  const allowed = origins.filter((origin) => ORIGIN.test(origin))
  return allowed.length === 0 ? "'none'" : allowed.join(' ')
}

export function pageHeaders(nonce: string, ancestors: string): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      // Logos and avatars are operator- and partner-supplied http(s) URLs on any host.
      'img-src https: http: data:',
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      "base-uri 'none'",
      "form-action 'none'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    // The page shows personal data and arrived with a token in its URL.
    'Cache-Control': 'no-store',
  }
}
