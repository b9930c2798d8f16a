import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../src/http/pages/catalogues'
import { chooseLanguage, LANGUAGES } from '../../src/http/pages/languages'
import { sameShape } from '../../src/http/pages/load-strings'
import {
  type Catalogue,
  isForms,
  type Language,
  type Strings,
  words,
} from '../../src/http/pages/strings'

// Every language's catalogue has every key English has (TypeScript already refuses a missing
// one; this also catches a catalogue cast past the type), the same holes in every template, and
// its sentences are translated.

const { en, ...others } = catalogues
const languages = Object.keys(others) as Exclude<Language, 'en'>[]

// The key paths of a catalogue, with the kind of value at each ("columns.date: string"); plural
// forms are one value, whatever categories the language has.
function shape(value: unknown, path = ''): string[] {
  if (value !== null && typeof value === 'object')
    return isForms(value)
      ? [`${path}: forms`]
      : Object.entries(value).flatMap(([key, v]) => shape(v, path ? `${path}.${key}` : key))
  return [`${path}: ${typeof value}`]
}

// Each template's holes, by path: "title: {program}".
function holes(c: Catalogue): string[] {
  return strings(c)
    .filter(([path]) => !/\.(zero|one|two|few|many)$/.test(path))
    .map(([path, value]) => `${path}: ${(value.match(/\{\w+\}|#/g) ?? []).sort().join(' ')}`)
}

// Every template of the catalogue, filled with representative values.
function sentences(t: Strings): Record<string, string> {
  const terms = { percentage: '20 %', fixed: null, duration: 3, holdDays: 30, leadReward: '$5' }
  return {
    title: t.title('Acme'),
    logoAlt: t.logoAlt('Acme'),
    avatarAlt: t.avatarAlt('Dana'),
    pendingNotice: t.pendingNotice('Acme'),
    percent: t.percent('20'),
    reward: t.reward(terms),
    rewardOnce: t.reward({ ...terms, percentage: null, fixed: '$5', duration: 'once' }),
    rewardForever: t.reward({ ...terms, duration: 'forever', holdDays: 0, leadReward: null }),
    asOf: t.asOf('1 Jan 2026'),
    chartSummary: t.chartSummary({ clicks: 'a', leads: 'b', sales: 'c' }),
    clickCount: t.clickCount(5, '5'),
    leadCount: t.leadCount(5, '5'),
    saleCount: t.saleCount(5, '5'),
    errorLine: t.errorLine('INVALID_TOKEN', 'req_1'),
  }
}

// Plain strings a translation may share with English: short tokens and the same word in both.
const SAME_ALLOWED = new Set(['—', 'Status', 'Date', 'Commission', 'Group'])

function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]]
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => strings(v, path ? `${path}.${key}` : key))
  return []
}

describe('the catalogues', () => {
  it('are the fourteen languages', () => {
    expect(Object.keys(catalogues).sort()).toEqual([...LANGUAGES].sort())
    expect(LANGUAGES).toHaveLength(14)
  })

  it.each(languages)('%s has every key English has, and no other', (language) => {
    const english = shape(en)
    const theirs = shape(catalogues[language])
    const missing = english.filter((key) => !theirs.includes(key))
    const extra = theirs.filter((key) => !english.includes(key))
    expect(missing, `${language} lacks ${missing.join(', ')}`).toEqual([])
    expect(extra, `${language} has keys English has not: ${extra.join(', ')}`).toEqual([])
  })

  it.each(languages)('%s fills the same holes as English in every template', (language) => {
    expect(holes(catalogues[language])).toEqual(holes(en))
  })

  it.each(languages)('%s is translated: no sentence equals English', (language) => {
    const t = catalogues[language]
    expect(t.locale).toBe(language)
    const english = new Map(strings(en))
    const same = strings(t).filter(
      ([path, value]) =>
        !['locale', 'dir'].includes(path) &&
        english.get(path) === value &&
        !SAME_ALLOWED.has(value) &&
        // A template of holes and punctuation alone ("{sale}, {duration}{lead}{hold}.").
        /\p{L}/u.test(value.replace(/\{\w+\}/g, '')) &&
        value.length > 3
    )
    expect(same, `${language} repeats English at ${same.map(([p]) => p).join(', ')}`).toEqual([])
    const mine = sentences(words(t))
    const theirs = sentences(words(en))
    const untranslated = Object.keys(mine).filter(
      (key) => key !== 'percent' && key !== 'errorLine' && mine[key] === theirs[key]
    )
    expect(untranslated, `${language} repeats English in ${untranslated.join(', ')}`).toEqual([])
  })

  it('counts by each language’s plural rules', () => {
    const count = (c: Catalogue, n: number) => words(c).clickCount(n, String(n))
    expect([1, 2, 5, 21].map((n) => count(catalogues.en, n))).toEqual([
      '1 click',
      '2 clicks',
      '5 clicks',
      '21 clicks',
    ])
    expect([1, 2, 5, 21].map((n) => count(catalogues.ru, n))).toEqual([
      '1 переход',
      '2 перехода',
      '5 переходов',
      '21 переход',
    ])
    expect([1, 3, 5, 22].map((n) => count(catalogues.pl, n))).toEqual([
      '1 kliknięcie',
      '3 kliknięcia',
      '5 kliknięć',
      '22 kliknięcia',
    ])
    expect([1, 2, 3, 11].map((n) => count(catalogues.ar, n))).toEqual([
      'نقرة واحدة',
      'نقرتان',
      '3 نقرات',
      '11 نقرة',
    ])
    expect(catalogues.ar.dir).toBe('rtl')
    expect(languages.filter((l) => catalogues[l].dir === 'rtl')).toEqual(['ar'])
  })

  it('words the reward sentence from its parts', () => {
    const reward = words(en).reward
    expect(
      reward({ percentage: '20 %', fixed: null, duration: 12, holdDays: 30, leadReward: null })
    ).toBe('20 % of every sale, for 12 months, paid out after a 30-day hold.')
    expect(
      reward({ percentage: null, fixed: '$5.00', duration: 1, holdDays: 1, leadReward: '$2.00' })
    ).toBe(
      '$5.00 per sale, for 1 month, and $2.00 for every new sign-up, paid out after a 1-day hold.'
    )
  })
})

describe('chooseLanguage', () => {
  it('takes ?lang= first, in any case and with a region', () => {
    expect(chooseLanguage('de', 'fr')).toBe('de')
    expect(chooseLanguage('DE-de', undefined)).toBe('de')
    expect(chooseLanguage('pt_BR', undefined)).toBe('pt')
  })

  it('falls back to Accept-Language, by q, on an unknown ?lang=', () => {
    expect(chooseLanguage('xx', 'fr-CH, fr;q=0.9, en;q=0.8')).toBe('fr')
    expect(chooseLanguage(undefined, 'xx, en;q=0.1, ja;q=0.5')).toBe('ja')
    expect(chooseLanguage(undefined, 'de;q=0.2, nl')).toBe('nl')
    expect(chooseLanguage(undefined, 'de;q=0, *')).toBe('en')
    expect(chooseLanguage(undefined, 'de;q=oops, it;q=0.3')).toBe('it')
    expect(chooseLanguage(undefined, 'zh-Hant-TW;q=0.9, en-US;q=0.8')).toBe('zh')
  })

  it('is English otherwise', () => {
    expect(chooseLanguage('xx', undefined)).toBe('en')
    expect(chooseLanguage(undefined, '')).toBe('en')
    expect(chooseLanguage('', 'sv, fi')).toBe('en')
    expect(chooseLanguage('__proto__', 'constructor')).toBe('en')
  })
})

describe('the catalogues served as assets (public/i18n)', () => {
  it.each(languages)(
    '%s.json is what npm run assets writes, and passes the check the worker makes',
    async (language) => {
      const served: unknown = JSON.parse(
        await readFile(new URL(`../../public/i18n/${language}.json`, import.meta.url), 'utf8')
      )
      expect(served).toEqual(catalogues[language])
      expect(sameShape(served, en)).toBe(true)
    }
  )

  it('refuses what is not a catalogue, and takes any plural categories', () => {
    const { columns, ...withoutColumns } = catalogues.de
    expect(sameShape(withoutColumns, en)).toBe(false)
    expect(sameShape({ ...catalogues.de, columns: { ...columns, date: 1 } }, en)).toBe(false)
    expect(sameShape({ ...catalogues.de, extra: 'x' }, en)).toBe(false)
    expect(sameShape({ ...catalogues.de, clickCount: { one: '# Klick' } }, en)).toBe(false)
    expect(sameShape({ ...catalogues.de, clickCount: { other: '#', many: '#' } }, en)).toBe(true)
    expect(sameShape(null, en)).toBe(false)
  })
})
