// Amounts arrive as decimal numbers in major units (`99.00` dollars) and are kept as integer minor
// units (9900 cents) in bigints, so that sums, percentages and refunds are exact. Conversions
// never multiply floats (0.29 * 100 is 28.999999999999996): a number is read from its shortest
// round-trip decimal spelling, the one `String(n)` gives, which is what the sender wrote in JSON
// whenever that has at most 15 significant digits.
//
// How many minor digits a currency has comes from Intl (CLDR), the same source that formats it.
// Intl accepts any well-formed code (`XYZ` formats with 2 digits), so only the codes that
// `Intl.supportedValuesOf('currency')` lists count as known. CLDR and ISO 4217 differ for a few
// currencies (IDR, COP, HUF have 0 digits in CLDR) and ICU versions differ too (workerd and Node
// 22 disagree on RSD), so code that stores minor units should pin the digits it used.

export const MAX_AMOUNT = 1_000_000_000

const CURRENCY_CODE = /^[A-Z]{3}$/

let supportedCurrencies: Set<string> | undefined
const decimalsCache = new Map<string, number>()

function isSupportedCurrency(code: string): boolean {
  supportedCurrencies ??= new Set(Intl.supportedValuesOf('currency'))
  return supportedCurrencies.has(code)
}

// Upper case only, although Intl also takes `usd`: the code is stored and compared as given.
export function currencyDecimals(code: string): number | undefined {
  if (!CURRENCY_CODE.test(code) || !isSupportedCurrency(code)) return undefined
  const cached = decimalsCache.get(code)
  if (cached !== undefined) return cached
  // Always set for style currency; the Workers types leave it optional.
  const { maximumFractionDigits } = new Intl.NumberFormat('en', {
    style: 'currency',
    currency: code,
  }).resolvedOptions()
  if (maximumFractionDigits !== undefined) decimalsCache.set(code, maximumFractionDigits)
  return maximumFractionDigits
}

// The program's currency is checked when it is set, so an unknown one here is a programmer error.
function knownDecimals(currency: string): number {
  const decimals = currencyDecimals(currency)
  if (decimals === undefined) throw new RangeError(`unknown currency: ${currency}`)
  return decimals
}

// A decimal as `digits × 10^-scale`; scale is negative for numbers like 1e21.
interface Decimal {
  negative: boolean
  digits: bigint
  scale: number
}

// Exponents are kept to three digits: `String(n)` never needs more, and a CLI argument like
// `1e999999999` must not make scaleTo compute a power of ten that size.
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,3}))?$/i

// Reads the spellings `String(n)` produces (`0.29`, `1e-7`, `1e+21`) and plain decimal text.
function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text)
  if (match === null) return undefined
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match
  if (whole === '' && fraction === '') return undefined
  return {
    negative: sign === '-',
    digits: BigInt(`${whole}${fraction}` || '0'),
    scale: fraction.length - Number(exponent),
  }
}

// The decimal as an integer count of 10^-places, or undefined when it has more decimals than
// that (trailing zeros do not count: `12.50` has one).
function scaleTo(decimal: Decimal, places: number): bigint | undefined {
  const shift = places - decimal.scale
  let magnitude: bigint
  if (shift >= 0) {
    magnitude = decimal.digits * 10n ** BigInt(shift)
  } else {
    const divisor = 10n ** BigInt(-shift)
    if (decimal.digits % divisor !== 0n) return undefined
    magnitude = decimal.digits / divisor
  }
  return decimal.negative ? -magnitude : magnitude
}

// `minor` as a decimal string in major units: 1980n, 2 → `19.80`.
function majorText(minor: bigint, decimals: number): `${number}` {
  const sign = minor < 0n ? '-' : ''
  const digits = (minor < 0n ? -minor : minor).toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const text = decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`
  // A sign, digits and at most one dot: always a numeric literal.
  return `${sign}${text}` as `${number}`
}

export type MinorResult = { ok: true; minor: bigint } | { ok: false; problem: string }

export interface ToMinorOptions {
  // Zero is refused unless allowed (a sale of 0 makes no sense; a minimum payout of 0 does).
  allowZero?: boolean
  // In major units.
  max?: number
}

// An amount from JSON, in major units, to minor units. Problems are phrased to follow the field's
// name in a validation detail. Negative amounts are always refused: the API never takes them.
export function toMinor(
  amount: number,
  currency: string,
  options: ToMinorOptions = {}
): MinorResult {
  const { allowZero = false, max = MAX_AMOUNT } = options
  const decimals = knownDecimals(currency)
  if (!Number.isFinite(amount)) return { ok: false, problem: 'must be a finite number' }
  if (amount < 0 || (amount === 0 && !allowZero)) {
    return { ok: false, problem: allowZero ? 'must not be negative' : 'must be greater than 0' }
  }
  const decimal = parseDecimal(String(amount))
  const minor = decimal === undefined ? undefined : scaleTo(decimal, decimals)
  if (minor === undefined) {
    const problem =
      decimals === 0
        ? `must be a whole number for ${currency}`
        : `must have at most ${decimals} decimals for ${currency}`
    return { ok: false, problem }
  }
  if (minor > maxMinor(max, decimals)) return { ok: false, problem: `must be at most ${max}` }
  return { ok: true, minor }
}

function maxMinor(max: number, decimals: number): bigint {
  const decimal = Number.isFinite(max) ? parseDecimal(String(max)) : undefined
  const scaled = decimal === undefined ? undefined : scaleTo(decimal, decimals)
  if (scaled === undefined) throw new RangeError(`max must fit the currency's decimals: ${max}`)
  return scaled
}

// Back to a number in major units for JSON. Parsing the decimal text rounds once, to the double
// nearest the exact value, which is the number `19.8` in a JSON body also parses to.
// Minor units back to major with a digit count stored beside the amount (a program stores its
// currency's digits when the currency is set: Node's and workerd's Intl differ on a few).
export function minorToMajor(minor: bigint, digits: number): number {
  return Number(majorText(minor, digits))
}

export function fromMinor(minor: bigint, currency: string): number {
  return Number(majorText(minor, knownDecimals(currency)))
}

// `$19.80`, `19,80 €`, `¥12,345`: formatted from the exact decimal text, not from a double.
export function formatMinor(minor: bigint, currency: string, locale: string): string {
  const text = majorText(minor, knownDecimals(currency))
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(text)
}

// `numerator / denominator` rounded half away from zero (bigint division truncates toward zero),
// so that a negative amount rounds as the mirror image of the positive one.
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive')
  const quotient = numerator / denominator
  const remainder = numerator % denominator
  const twice = remainder < 0n ? -2n * remainder : 2n * remainder
  if (twice < denominator) return quotient
  return numerator < 0n ? quotient - 1n : quotient + 1n
}

// Percentages have up to 2 decimals and are kept as basis points of a percent: 20 % is 2000,
// 12.5 % is 1250, 100 % is 10000.
export const FULL_PERCENT = 10_000

export function percentOf(minor: bigint, basisPoints: number): bigint {
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > FULL_PERCENT) {
    throw new RangeError(`basis points must be an integer from 0 to ${FULL_PERCENT}`)
  }
  return divideRounded(minor * BigInt(basisPoints), BigInt(FULL_PERCENT))
}

// `total × part / whole`, rounded half away from zero; never further from 0 than `total`.
export function proportionalShare(total: bigint, part: bigint, whole: bigint): bigint {
  if (whole <= 0n || part < 0n || part > whole) {
    throw new RangeError('part must be between 0 and a positive whole')
  }
  return divideRounded(total * part, whole)
}

// What is left of a commission once `refunded` of its sale has been refunded. It is computed from
// the totals every time, never by subtracting rounded pieces one refund after another, so repeated
// partial refunds cannot drift: what is left only shrinks as refunds grow, is the whole commission
// with no refund and exactly 0 at a full refund.
export function remainingCommission(commission: bigint, sale: bigint, refunded: bigint): bigint {
  return proportionalShare(commission, sale - refunded, sale)
}

// The part of a commission that one refund takes away (what shrinks an unpaid commission, or the
// size of a paid commission's clawback): the difference between what was left before and after.
// The parts telescope, so however a sale is refunded, what is left plus every part taken is exactly
// the original commission, and the parts never add up to more than it.
export function refundedCommissionPart(
  commission: bigint,
  sale: bigint,
  refundedBefore: bigint,
  refundedAfter: bigint
): bigint {
  if (refundedAfter < refundedBefore) throw new RangeError('refunds only grow')
  return (
    remainingCommission(commission, sale, refundedBefore) -
    remainingCommission(commission, sale, refundedAfter)
  )
}

export type PercentResult = { ok: true; basisPoints: number } | { ok: false; problem: string }

// A percentage for the CLI (`20`, `12.5`, `12.5%`) or JSON (a number) in basis points.
export function parsePercent(input: string | number): PercentResult {
  const text = typeof input === 'number' ? String(input) : input.trim().replace(/\s*%$/, '')
  const decimal = parseDecimal(text)
  if (decimal === undefined || (typeof input === 'number' && !Number.isFinite(input))) {
    return { ok: false, problem: 'must be a number from 0 to 100' }
  }
  const basisPoints = scaleTo(decimal, 2)
  if (basisPoints === undefined) return { ok: false, problem: 'must have at most 2 decimals' }
  if (basisPoints < 0n || basisPoints > BigInt(FULL_PERCENT)) {
    return { ok: false, problem: 'must be a number from 0 to 100' }
  }
  return { ok: true, basisPoints: Number(basisPoints) }
}
