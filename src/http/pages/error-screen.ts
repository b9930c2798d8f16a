import { html } from 'hono/html'
import type { ErrorCode } from '../../errors'

// What a person sees instead of the dashboard. The API's messages speak to developers; these
// speak to the affiliate, and the code and request id under them are for support.
export const isTokenError = (code: ErrorCode) =>
  ['INVALID_TOKEN', 'TOKEN_EXPIRED', 'TOKEN_REVOKED'].includes(code)

export function errorScreen(code: ErrorCode, requestId: string) {
  const [title, text] = isTokenError(code)
    ? [
        'Your session has ended',
        'This dashboard link has expired or was replaced by a newer one. Reload the page to open it again.',
      ]
    : code === 'PARTNERSHIP_INACTIVE' || code === 'PROGRAM_NOT_ACTIVE'
      ? [
          'Dashboard unavailable',
          'This referral dashboard is not available for your account at the moment.',
        ]
      : ['Something went wrong', 'The dashboard could not be loaded. Please try again in a minute.']
  return {
    title,
    body: html`<main>
  <section>
    <h1>${title}</h1>
    <p>${text}</p>
    <p class="m">Error ${code}, request ${requestId}</p>
  </section>
</main>`,
  }
}
