import { describe, expect, it } from 'vitest'
import { referralLink } from '../../src/domain/referral-link'

describe('referralLink', () => {
  it.each([
    ['https://acme.com', 'via', 'https://acme.com/?via=jo'],
    ['https://acme.com/pricing?plan=pro', 'via', 'https://acme.com/pricing?plan=pro&via=jo'],
    ['https://acme.com/?a=b%20c#top', 'ref', 'https://acme.com/?a=b%20c&ref=jo#top'],
    ['https://acme.com/?via=old&x=1', 'via', 'https://acme.com/?via=jo&x=1'],
    ['https://acme.com/?', 'via', 'https://acme.com/?via=jo'],
  ])('%s with %s', (website, param, expected) => {
    expect(referralLink(website, param, 'jo')).toBe(expected)
  })
})
