import { MAX_EMAIL_LENGTH, normalizeEmail } from '../domain/email'
import { embedOrigin } from '../domain/embed-origin'
import { publicHttpsUrlProblem } from '../domain/public-url'
import { OperatorError } from './operator-error'

// Checks shared by the operator's commands; each failure is one sentence naming the flag.

// A field as the CLI spells its flag: referralParam → --referral-param.
export function flagName(field: string): string {
  return `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

export function requireText(value: string | undefined, flag: string, max = 200): string {
  const text = value?.trim()
  if (!text) throw new OperatorError(`--${flag} is required.`)
  if (text.length > max) throw new OperatorError(`--${flag} must be at most ${max} characters.`)
  return text
}

export function httpUrl(value: string, flag: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new OperatorError(`--${flag} must be an absolute http:// or https:// URL.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OperatorError(`--${flag} must be an absolute http:// or https:// URL.`)
  }
  return url.toString()
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new OperatorError(`--${flag} must be one of: ${allowed.join(', ')}.`)
}

// The API's own definition (domain/email.ts), so an invitation is stored exactly as a token
// request for that person will look it up.
export function email(value: string | undefined, flag = 'email'): string {
  const address = normalizeEmail(requireText(value, flag, MAX_EMAIL_LENGTH))
  if (address === undefined) {
    throw new OperatorError(
      `--${flag} must be an email address the API accepts (like jane@example.com).`
    )
  }
  return address
}

// A URL the embedded page loads (a logo): the rule of domain/public-url.ts.
export function publicImageUrl(value: string, flag: string): string {
  const problem = publicHttpsUrlProblem(value)
  if (problem !== undefined) throw new OperatorError(`--${flag} ${problem}.`)
  return new URL(value).toString()
}

export function isoDate(value: string, flag: string): Date {
  const date = new Date(value)
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new OperatorError(`--${flag} must be an ISO-8601 date, e.g. 2027-01-31T00:00:00Z.`)
  }
  return date
}

export function hexColor(value: string, flag: string): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(value)) throw new OperatorError(`--${flag} must look like #1a2b3c.`)
  return value.toLowerCase()
}

// Origins for `frame-ancestors` (domain/embed-origin.ts): the page uses every one stored.
export function origins(value: string, flag: string): string[] {
  return list(value).map((o) => {
    const origin = embedOrigin(o)
    if (origin === undefined) {
      throw new OperatorError(
        `--${flag} takes origins like https://app.example.com: no path, no wildcard ("${o}").`
      )
    }
    return origin
  })
}

export function list(value: string): string[] {
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
}
