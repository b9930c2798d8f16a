import { OperatorError } from './operator-error'

// Checks shared by the operator's commands; each failure is one sentence naming the flag.

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

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function email(value: string | undefined, flag = 'email'): string {
  const address = requireText(value, flag, 254).toLowerCase()
  if (!EMAIL.test(address)) throw new OperatorError(`--${flag} must be an email address.`)
  return address
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

// Origins for `frame-ancestors`: scheme and host (and port) only.
export function origins(value: string, flag: string): string[] {
  return value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0)
    .map((o) => {
      const url = new URL(httpUrl(o, flag))
      if (url.origin !== o.replace(/\/$/, '')) {
        throw new OperatorError(`--${flag} takes origins like https://app.example.com, not paths.`)
      }
      return url.origin
    })
}

export function list(value: string): string[] {
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
}
