import { MAX_EMAIL_LENGTH, normalizeEmail } from '../domain/email'
import { embedOrigin } from '../domain/embed-origin'
import { currencyDecimals, MAX_AMOUNT } from '../domain/money'
import { ALL_PERMISSIONS, type Permission } from '../domain/permissions'
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

export function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const text = value.trim()
  const n = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN
  if (!(n >= min && n <= max)) {
    throw new OperatorError(`--${flag} must be a whole number from ${min} to ${max}.`)
  }
  return n
}

// An amount in major units as the operator types it (`50`, `12.50`), checked for shape and size
// only: how many decimals it may have depends on the program's currency, which the statement that
// stores it reads (admin/rewards.ts). Returned as plain decimal text, trailing zeros removed.
export function majorAmount(
  value: string,
  flag: string,
  options: { allowZero?: boolean; max?: number } = {}
): string {
  const { allowZero = false, max = MAX_AMOUNT } = options
  const match = /^(\d{1,12})(?:\.(\d{1,20}))?$/.exec(value.trim())
  if (match === null) {
    throw new OperatorError(
      `--${flag} must be an amount in major units, like 50 or 12.50 (no sign, no currency).`
    )
  }
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '')
  const fraction = (match[2] ?? '').replace(/0+$/, '')
  const zero = /^0+$/.test(whole) && fraction === ''
  if (zero && !allowZero) throw new OperatorError(`--${flag} must be greater than 0.`)
  if (Number(whole) > max || (Number(whole) === max && fraction !== '')) {
    throw new OperatorError(`--${flag} must be at most ${max}.`)
  }
  return fraction === '' ? whole : `${whole}.${fraction}`
}

// A currency the service can hold amounts in: one that Intl knows (domain/money.ts), with the
// number of minor digits it has there, which is stored with the program.
export function currency(value: string, flag: string): { code: string; digits: number } {
  const code = value.trim().toUpperCase()
  const digits = currencyDecimals(code)
  if (digits === undefined || digits > 4) {
    throw new OperatorError(`--${flag} must be an ISO 4217 currency code, like USD, EUR or JPY.`)
  }
  return { code, digits }
}

export function permissions(value: string, flag: string): Permission[] {
  const given = list(value)
  if (given.length === 0) throw new OperatorError(`--${flag} needs at least one permission.`)
  for (const p of given) {
    if (!(ALL_PERMISSIONS as readonly string[]).includes(p)) {
      throw new OperatorError(
        `--${flag} takes only ${ALL_PERMISSIONS.join(', ')}; "${p}" is not a permission.`
      )
    }
  }
  return [...new Set(given)] as Permission[]
}
