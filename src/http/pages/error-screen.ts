import { html } from 'hono/html'
import type { ErrorCode } from '../../errors'
import { english, type Strings } from './strings'

// What a person sees instead of the dashboard. The API's messages speak to developers; these
// speak to the affiliate, in the page's language (strings.ts), and the code and request id under them are for support.
export const isTokenError = (code: ErrorCode) =>
  ['INVALID_TOKEN', 'TOKEN_EXPIRED', 'TOKEN_REVOKED'].includes(code)

export function errorScreen(code: ErrorCode, requestId: string, t: Strings = english) {
  const { title, text } = isTokenError(code)
    ? t.errors.ended
    : code === 'PARTNERSHIP_INACTIVE' || code === 'PROGRAM_NOT_ACTIVE'
      ? t.errors.unavailable
      : t.errors.failed
  return {
    title,
    body: html`<main>
  <section>
    <h1>${title}</h1>
    <p>${text}</p>
    <p class="m">${t.errorLine(code, requestId)}</p>
  </section>
</main>`,
  }
}
