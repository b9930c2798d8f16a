import { isEmbedOrigin } from '../../domain/embed-origin'
// The embedded page's security headers. Its one inline style and one inline script carry a
// fresh nonce per response, so nothing injected into the markup can run or restyle the page.

export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
}

// Origins are validated when an operator stores them (domain/embed-origin.ts); checked again
// here because they go into a header, where a stray `;` or space would add a directive of its own.

// Who may frame the page: the program's allowed origins, or nobody. Error screens hold nothing
// but a sentence, and must render inside any host so the host hears that its token expired.
export function frameAncestors(origins: readonly string[] | 'any'): string {
  if (origins === 'any') return '*'
  const allowed = origins.filter(isEmbedOrigin)
  return allowed.length === 0 ? "'none'" : allowed.join(' ')
}

export function pageHeaders(nonce: string, ancestors: string): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      // Logos and avatars: operator- and partner-supplied URLs, https on a public host
      // (domain/public-url.ts); never cleartext, which would leak the page's visits.
      'img-src https:',
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
