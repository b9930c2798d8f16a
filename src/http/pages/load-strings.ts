import { log } from '../../log'
import { type Catalogue, english, isForms, type Language, type Strings, words } from './strings'
import { en } from './strings/en'

// The catalogues other than English are static assets (public/i18n/<code>.json, written by
// `npm run assets` from strings/<code>.ts), read through the assets binding the first time an
// isolate needs one and kept for the isolate's life: a few kilobytes each, and a page in German
// costs one local read per isolate, not one per request.
const loaded = new Map<Language, Promise<Strings>>()

// The same keys as English, each holding the same kind of value; plural forms may hold other
// categories than English's (Arabic's six), and must hold `other`. What the assets hold was
// built from typed catalogues; this guards against a deploy that uploaded other files.
export function sameShape(value: unknown, reference: unknown): boolean {
  if (typeof reference !== 'object' || reference === null) return typeof value === typeof reference
  if (typeof value !== 'object' || value === null) return false
  const keys = Object.keys(value)
  if (isForms(reference))
    return (
      isForms(value) &&
      keys.includes('other') &&
      Object.values(value).every((v) => typeof v === 'string')
    )
  return (
    keys.length === Object.keys(reference).length &&
    Object.entries(reference).every(
      ([key, inner]) => keys.includes(key) && sameShape(Reflect.get(value, key), inner)
    )
  )
}

// The assets binding, or anything that fetches like it (the tests' own).
type Assets = { fetch(url: string): Promise<Response> }

async function read(assets: Assets, language: Language): Promise<Strings> {
  const answer = await assets.fetch(`https://assets.invalid/i18n/${language}.json`)
  if (!answer.ok) throw new Error(`i18n/${language}.json answered ${answer.status}`)
  const catalogue: unknown = await answer.json()
  if (!sameShape(catalogue, en)) throw new Error(`i18n/${language}.json is not a catalogue`)
  return words(catalogue as Catalogue)
}

// The page's strings in `language`. When its catalogue cannot be read the page is still shown,
// in English, and the failure logged; the next request tries again.
export function stringsIn(language: Language, assets: Assets): Promise<Strings> {
  if (language === 'en') return Promise.resolve(english)
  let strings = loaded.get(language)
  if (strings === undefined) {
    strings = read(assets, language).catch((error: unknown) => {
      loaded.delete(language)
      log('error', 'catalogue not readable; page shown in English', {
        language,
        error: error instanceof Error ? error.message : String(error),
      })
      return english
    })
    loaded.set(language, strings)
  }
  return strings
}
