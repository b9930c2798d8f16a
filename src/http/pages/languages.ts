import type { Language } from './strings'

// Affonso's fourteen languages, by their primary subtag.
export const LANGUAGES: readonly Language[] = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pt',
  'nl',
  'pl',
  'tr',
  'ja',
  'zh',
  'ko',
  'ru',
  'ar',
]

const known = (tag: string): Language | undefined => {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? ''
  return LANGUAGES.find((language) => language === primary)
}

// The page's language: `?lang=` (`de`, `de-DE`, any case) when it names one of ours, else the
// best of Accept-Language's (highest q first, in the order given among equals; `q=0` refused;
// `de-CH` matches `de`), else English.
export function chooseLanguage(
  query: string | undefined,
  acceptLanguage: string | undefined
): Language {
  const asked = query === undefined ? undefined : known(query)
  if (asked) return asked
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';')
      // A weight that is not a number from 0 to 1 refuses its range.
      const weight = params.find((p) => /^\s*q\s*=/i.test(p))
      const q =
        weight === undefined
          ? 1
          : Number(/^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.exec(weight)?.[1] ?? 0)
      return { tag: tag.trim(), q, index }
    })
    .filter((r) => r.tag !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const r of ranges) {
    const language = known(r.tag)
    if (language) return language
  }
  return 'en'
}
