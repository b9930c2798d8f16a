import type { Catalogue, Language } from './strings'
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

// Every catalogue, for tools/generate-assets.ts (which writes them to public/i18n/) and the
// tests. The worker does not import this file: it bundles English alone and reads the others
// from the assets binding (load-strings.ts).
export const catalogues: Record<Language, Catalogue> = {
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
}
