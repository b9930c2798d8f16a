import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  currencyDecimals,
  divideRounded,
  formatMinor,
  fromMinor,
  MAX_AMOUNT,
  parsePercent,
  percentOf,
  proportionalShare,
  refundedCommissionPart,
  remainingCommission,
  toMinor,
} from '../../src/domain/money'

function minorOf(amount: number, currency: string): bigint {
  const result = toMinor(amount, currency)
  if (!result.ok) throw new Error(`${amount} ${currency}: ${result.problem}`)
  return result.minor
}

describe('currencyDecimals', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KWD', 3],
  ])('%s has %i', (code, decimals) => {
    expect(currencyDecimals(code)).toBe(decimals)
  })

  it('knows only upper-case codes that Intl lists', () => {
    // Intl formats any well-formed code, `XYZ` with 2 digits, but does not list it.
    expect(currencyDecimals('XYZ')).toBeUndefined()
    expect(currencyDecimals('usd')).toBeUndefined()
    expect(currencyDecimals('US')).toBeUndefined()
    expect(currencyDecimals('USDX')).toBeUndefined()
    expect(currencyDecimals('')).toBeUndefined()
  })
})

describe('toMinor', () => {
  it('is exact where multiplying floats is not', () => {
    expect(0.29 * 100).not.toBe(29)
    expect(minorOf(0.29, 'USD')).toBe(29n)
    expect(minorOf(99, 'USD')).toBe(9900n)
    expect(minorOf(19.8, 'USD')).toBe(1980n)
    expect(toMinor(1.005, 'USD')).toEqual({
      ok: false,
      problem: 'must have at most 2 decimals for USD',
    })
  })

  it('refuses more decimals than the currency has', () => {
    expect(toMinor(99.001, 'USD')).toEqual({
      ok: false,
      problem: 'must have at most 2 decimals for USD',
    })
    expect(toMinor(5.5, 'JPY')).toEqual({ ok: false, problem: 'must be a whole number for JPY' })
    expect(toMinor(1e-7, 'USD')).toEqual({
      ok: false,
      problem: 'must have at most 2 decimals for USD',
    })
    expect(toMinor(0.0001, 'KWD')).toEqual({
      ok: false,
      problem: 'must have at most 3 decimals for KWD',
    })
  })

  it('follows each currency’s digits', () => {
    expect(minorOf(1000, 'JPY')).toBe(1000n)
    expect(minorOf(1.234, 'KWD')).toBe(1234n)
    expect(minorOf(0.001, 'KWD')).toBe(1n)
    expect(minorOf(0.01, 'EUR')).toBe(1n)
  })

  it('allows the maximum and nothing above it', () => {
    expect(minorOf(1_000_000_000, 'USD')).toBe(100_000_000_000n)
    expect(minorOf(999_999_999.99, 'USD')).toBe(99_999_999_999n)
    expect(toMinor(1_000_000_000.01, 'USD')).toEqual({
      ok: false,
      problem: 'must be at most 1000000000',
    })
    expect(toMinor(1e21, 'USD')).toEqual({ ok: false, problem: 'must be at most 1000000000' })
    expect(toMinor(1e300, 'JPY')).toEqual({ ok: false, problem: 'must be at most 1000000000' })
    expect(toMinor(50, 'USD', { max: 10 })).toEqual({ ok: false, problem: 'must be at most 10' })
    expect(minorOf(MAX_AMOUNT, 'KWD')).toBe(1_000_000_000_000n)
  })

  it('refuses zero unless allowed, and negative and non-finite amounts always', () => {
    expect(toMinor(0, 'USD')).toEqual({ ok: false, problem: 'must be greater than 0' })
    expect(toMinor(-0, 'USD')).toEqual({ ok: false, problem: 'must be greater than 0' })
    expect(toMinor(-1, 'USD')).toEqual({ ok: false, problem: 'must be greater than 0' })
    expect(toMinor(0, 'USD', { allowZero: true })).toEqual({ ok: true, minor: 0n })
    expect(toMinor(-0, 'USD', { allowZero: true })).toEqual({ ok: true, minor: 0n })
    expect(toMinor(-0.01, 'USD', { allowZero: true })).toEqual({
      ok: false,
      problem: 'must not be negative',
    })
    for (const amount of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(toMinor(amount, 'USD')).toEqual({ ok: false, problem: 'must be a finite number' })
    }
  })

  it('throws for an unknown currency (the program’s currency is checked when set)', () => {
    expect(() => toMinor(1, 'XYZ')).toThrow(RangeError)
    expect(() => fromMinor(1n, 'usd')).toThrow(RangeError)
    expect(() => formatMinor(1n, 'XYZ', 'en')).toThrow(RangeError)
  })
})

describe('fromMinor and formatMinor', () => {
  it('give back major units', () => {
    expect(fromMinor(1980n, 'USD')).toBe(19.8)
    expect(fromMinor(29n, 'USD')).toBe(0.29)
    expect(fromMinor(12345n, 'JPY')).toBe(12345)
    expect(fromMinor(1n, 'KWD')).toBe(0.001)
    expect(fromMinor(0n, 'USD')).toBe(0)
    expect(fromMinor(-990n, 'USD')).toBe(-9.9)
    expect(fromMinor(100_000_000_000n, 'USD')).toBe(1_000_000_000)
  })

  it('formats with the locale’s conventions', () => {
    expect(formatMinor(1980n, 'USD', 'en-US')).toBe('$19.80')
    expect(formatMinor(1980n, 'EUR', 'de-DE')).toBe('19,80\u00a0€')
    expect(formatMinor(12345n, 'JPY', 'en-US')).toBe('¥12,345')
    expect(formatMinor(-990n, 'USD', 'en-US')).toBe('-$9.90')
    expect(formatMinor(1234n, 'KWD', 'en-US')).toBe('KWD\u00a01.234')
    // Beyond 2^53 minor units a double would lose cents; the decimal text does not.
    expect(formatMinor(123_456_789_012_345_678n, 'USD', 'en-US')).toBe('$1,234,567,890,123,456.78')
  })

  const currencies = ['USD', 'JPY', 'KWD'] as const

  it.each(currencies)('round-trips every minor amount up to the maximum in %s', (currency) => {
    const decimals = currencyDecimals(currency) ?? 0
    const maxMinor = BigInt(MAX_AMOUNT) * 10n ** BigInt(decimals)
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: maxMinor }), (minor) => {
        const back = toMinor(fromMinor(minor, currency), currency, { allowZero: true })
        expect(back).toEqual({ ok: true, minor })
      }),
      { numRuns: 20_000, examples: [[0n], [1n], [maxMinor], [maxMinor - 1n]] }
    )
  })

  it.each(currencies)('never misreads a double in %s', (currency) => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 * MAX_AMOUNT, noNaN: true }), (amount) => {
        const result = toMinor(amount, currency, { allowZero: true })
        if (result.ok) expect(fromMinor(result.minor, currency)).toBe(amount)
      }),
      { numRuns: 20_000 }
    )
  })
})

describe('rounding half away from zero', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [3n, 2n, 2n],
    [-3n, 2n, -2n],
    [24n, 10n, 2n],
    [-24n, 10n, -2n],
    [26n, 10n, 3n],
    [-26n, 10n, -3n],
    [0n, 7n, 0n],
  ])('%i / %i → %i', (numerator, denominator, expected) => {
    expect(divideRounded(numerator, denominator)).toBe(expected)
  })

  it('refuses a denominator that is not positive', () => {
    expect(() => divideRounded(1n, 0n)).toThrow(RangeError)
    expect(() => divideRounded(1n, -2n)).toThrow(RangeError)
  })
})

describe('percentOf', () => {
  it('takes 20 % of 99.00 USD as 19.80', () => {
    expect(fromMinor(percentOf(minorOf(99, 'USD'), 2000), 'USD')).toBe(19.8)
  })

  it('rounds once, half away from zero, to the minor unit', () => {
    // 12.5 % of 20 minor units is 2.5.
    expect(percentOf(20n, 1250)).toBe(3n)
    expect(percentOf(-20n, 1250)).toBe(-3n)
    expect(percentOf(12n, 1250)).toBe(2n) // 1.5
    expect(percentOf(-12n, 1250)).toBe(-2n)
    expect(percentOf(19n, 1250)).toBe(2n) // 2.375
    expect(percentOf(1n, 4999)).toBe(0n) // 0.4999
    expect(percentOf(1n, 5000)).toBe(1n) // 0.5
    expect(percentOf(9900n, 0)).toBe(0n)
    expect(percentOf(9900n, 10_000)).toBe(9900n)
  })

  it('is symmetric and within half a minor unit of the exact value', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 10_000 }),
        (minor, basisPoints) => {
          const share = percentOf(minor, basisPoints)
          expect(percentOf(-minor, basisPoints)).toBe(-share)
          const error = share * 10_000n - minor * BigInt(basisPoints)
          expect(2n * (error < 0n ? -error : error)).toBeLessThanOrEqual(10_000n)
          expect(share).toBeLessThanOrEqual(minor)
        }
      )
    )
  })

  it('refuses basis points that are not an integer from 0 to 10000', () => {
    for (const bad of [-1, 10_001, 12.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => percentOf(100n, bad)).toThrow(RangeError)
    }
  })
})

describe('proportionalShare', () => {
  it('rounds half away from zero', () => {
    expect(proportionalShare(5n, 1n, 2n)).toBe(3n)
    expect(proportionalShare(-5n, 1n, 2n)).toBe(-3n)
    expect(proportionalShare(10n, 1n, 3n)).toBe(3n)
    expect(proportionalShare(10n, 3n, 3n)).toBe(10n)
    expect(proportionalShare(10n, 0n, 3n)).toBe(0n)
  })

  it('refuses a part outside 0..whole or a whole that is not positive', () => {
    expect(() => proportionalShare(10n, 4n, 3n)).toThrow(RangeError)
    expect(() => proportionalShare(10n, -1n, 3n)).toThrow(RangeError)
    expect(() => proportionalShare(10n, 0n, 0n)).toThrow(RangeError)
  })
})

describe('remainingCommission', () => {
  it('leaves 9.90 of a 19.80 commission after refunding 49.50 of a 99.00 sale', () => {
    const sale = minorOf(99, 'USD')
    const commission = percentOf(sale, 2000)
    const left = remainingCommission(commission, sale, minorOf(49.5, 'USD'))
    expect(fromMinor(left, 'USD')).toBe(9.9)
  })

  it('does not drift over many small refunds', () => {
    // 1/3 of a cent per refund: subtracting rounded pieces would take 0 each time.
    const sale = 300n
    const commission = 1n
    let refunded = 0n
    const parts: bigint[] = []
    for (let i = 0; i < 300; i++) {
      parts.push(refundedCommissionPart(commission, sale, refunded, refunded + 1n))
      refunded += 1n
    }
    expect(remainingCommission(commission, sale, refunded)).toBe(0n)
    expect(parts.reduce((a, b) => a + b, 0n)).toBe(commission)
  })

  const sales = fc.bigInt({ min: 1n, max: 100_000_000_000n })
  const commissions = (sale: bigint) => fc.bigInt({ min: 0n, max: sale })

  it('is the whole commission with no refund and 0 after a full one', () => {
    fc.assert(
      fc.property(
        sales.chain((sale) => fc.tuple(fc.constant(sale), commissions(sale))),
        ([sale, commission]) => {
          expect(remainingCommission(commission, sale, 0n)).toBe(commission)
          expect(remainingCommission(commission, sale, sale)).toBe(0n)
        }
      )
    )
  })

  it('only shrinks as refunds grow, and stays between 0 and the original', () => {
    fc.assert(
      fc.property(
        sales.chain((sale) =>
          fc.tuple(
            fc.constant(sale),
            commissions(sale),
            fc.bigInt({ min: 0n, max: sale }),
            fc.bigInt({ min: 0n, max: sale })
          )
        ),
        ([sale, commission, a, b]) => {
          const [less, more] = a <= b ? [a, b] : [b, a]
          const before = remainingCommission(commission, sale, less)
          const after = remainingCommission(commission, sale, more)
          expect(after).toBeLessThanOrEqual(before)
          expect(after).toBeGreaterThanOrEqual(0n)
          expect(before).toBeLessThanOrEqual(commission)
        }
      )
    )
  })

  it('splits a commission into parts that add up to exactly the original', () => {
    fc.assert(
      fc.property(
        sales.chain((sale) =>
          fc.tuple(
            fc.constant(sale),
            commissions(sale),
            fc.array(fc.bigInt({ min: 0n, max: sale }), { maxLength: 20 }),
            fc.boolean()
          )
        ),
        ([sale, commission, points, full]) => {
          // Cumulative refunded amounts after each refund, ending in a full refund or not.
          const steps = [...points.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))]
          if (full) steps.push(sale)
          let before = 0n
          let taken = 0n
          for (const after of steps) {
            const part = refundedCommissionPart(commission, sale, before, after)
            expect(part).toBeGreaterThanOrEqual(0n)
            taken += part
            before = after
          }
          const left = remainingCommission(commission, sale, before)
          expect(taken + left).toBe(commission)
          expect(taken).toBeLessThanOrEqual(commission)
          if (full) expect(left).toBe(0n)
        }
      )
    )
  })

  it('refuses refunds beyond the sale or going backwards', () => {
    expect(() => remainingCommission(10n, 100n, 101n)).toThrow(RangeError)
    expect(() => remainingCommission(10n, 100n, -1n)).toThrow(RangeError)
    expect(() => refundedCommissionPart(10n, 100n, 50n, 40n)).toThrow(RangeError)
  })
})

describe('parsePercent', () => {
  it.each([
    ['20', 2000],
    ['12.5', 1250],
    ['12.50', 1250],
    ['0', 0],
    ['100', 10_000],
    ['0.01', 1],
    [' 20 % ', 2000],
    ['20%', 2000],
    [20, 2000],
    [12.5, 1250],
    [99.99, 9999],
    [0.07, 7],
  ] as const)('%j → %i basis points', (input, basisPoints) => {
    expect(parsePercent(input)).toEqual({ ok: true, basisPoints })
  })

  it.each([
    ['12.345', 'must have at most 2 decimals'],
    [12.345, 'must have at most 2 decimals'],
    ['-1', 'must be a number from 0 to 100'],
    [-1, 'must be a number from 0 to 100'],
    ['101', 'must be a number from 0 to 100'],
    ['100.01', 'must be a number from 0 to 100'],
    ['', 'must be a number from 0 to 100'],
    ['.', 'must be a number from 0 to 100'],
    ['abc', 'must be a number from 0 to 100'],
    ['1e999999999', 'must be a number from 0 to 100'],
    [Number.NaN, 'must be a number from 0 to 100'],
    [Number.POSITIVE_INFINITY, 'must be a number from 0 to 100'],
  ] as const)('%j is refused: %s', (input, problem) => {
    expect(parsePercent(input)).toEqual({ ok: false, problem })
  })
})
