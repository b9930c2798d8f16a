// Amounts arrive as decimal numbers in major units (`99.00` dollars) and are kept as integer minor
// units (9900 cents). The conversion in, the commission's percentage and the refunds' shares are
// computed by the statements (migrations/0005), in exact numeric arithmetic, from the program's
// stored digits; this module has what the worker and the CLI need around them: the digits a
// currency has, minor units back to major for answers, and percentages typed by an operator,
// which are read from their decimal spelling, never by multiplying floats.
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

// Minor units back to major with a digit count stored beside the amount (a program stores its
// currency's digits when the currency is set: Node's and workerd's Intl differ on a few).
export function minorToMajor(minor: bigint, digits: number): number {
  return Number(majorText(minor, digits))
}

// Percentages have up to 2 decimals and are kept as basis points of a percent: 20 % is 2000,
// 12.5 % is 1250, 100 % is 10000.
const FULL_PERCENT = 10_000

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
