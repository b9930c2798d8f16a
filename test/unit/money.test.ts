import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { currencyDecimals, minorToMajor, parsePercent } from '../../src/domain/money'

describe('minorToMajor', () => {
  it('gives back major units exactly, with the digits the program stored', () => {
    expect(minorToMajor(1980n, 2)).toBe(19.8)
    expect(minorToMajor(-990n, 2)).toBe(-9.9)
    expect(minorToMajor(12345n, 0)).toBe(12345)
    expect(minorToMajor(1n, 3)).toBe(0.001)
  })

  it('round-trips every minor amount up to the maximum sale through its decimal text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 100_000_000_000n }), (minor) => {
        const major = minorToMajor(minor, 2)
        expect(BigInt(Math.round(major * 100))).toBe(minor)
      }),
      { numRuns: 20_000 }
    )
  })
})

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
