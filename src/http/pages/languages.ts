import type { Strings } from './strings'
import { ar } from './strings/ar'
import { de } from './strings/de'
import { en } from './strings/en'
import { es } from './strings/es'
import { fr } from './strings/fr'
import { it } from './strings/it'
import { ja } from './strings/ja'
import { ko } from './strings/ko'
import { nl } from './strings/nl'
import { pl } from './strings/pl'
import { pt } from './strings/pt'
import { ru } from './strings/ru'
import { tr } from './strings/tr'
import { zh } from './strings/zh'

// Affonso's fourteen languages, by their primary subtag.
export const catalogues = {
  en,
  de,
  fr,
  es,
  it,
  pt,
  nl,
  pl,
  tr,
  ja,
  zh,
  ko,
  ru,
  ar,
} satisfies Record<string, Strings>

export type Language = keyof typeof catalogues

const known = (tag: string): Language | undefined => {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? ''
  return Object.hasOwn(catalogues, primary) ? (primary as Language) : undefined
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
