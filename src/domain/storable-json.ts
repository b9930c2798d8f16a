// What JSON and JavaScript accept but the service cannot keep as sent, judged on the body as
// parsed, before anything is copied, so nothing is lost or altered on the way:
// - U+0000 and unpaired surrogates: PostgreSQL's text refuses U+0000, its jsonb refuses `\u0000`
//   and unpaired surrogates, and text silently turns an unpaired surrogate into U+FFFD.
// - A `__proto__` key: copying it onto a plain object (as schema validation does) sets the
//   copy's prototype instead of a property, so the key would be dropped without a word, and a
//   consumer merging the stored JSON naively could be polluted.
// - A number beyond ±1.8e308: JSON.parse makes it Infinity, which would be stored as null.
// - Metadata nested deeper than MAX_METADATA_DEPTH: serialising it recurses once per level and
//   can exhaust the stack (a 500) long before the 8 KiB limit is reached.

export const MAX_METADATA_DEPTH = 32

const UNSTORABLE_TEXT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is refused.
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const FORBIDDEN_KEY = '__proto__'
const TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates'

export interface UnstorableDetail {
  path: string
  message: string
}

export function isStorableText(text: string): boolean {
  return !UNSTORABLE_TEXT.test(text)
}

// Paths are kept as parent links and the walk is iterative, so neither the stack nor memory
// grows with the square of the nesting depth.
interface PathNode {
  key: string
  parent: PathNode | undefined
}

function dotted(node: PathNode | undefined): string {
  const keys: string[] = []
  for (let n = node; n !== undefined; n = n.parent) keys.push(n.key)
  return keys.reverse().join('.') || '(body)'
}

// Every offending string, key or number, by dotted path (as validation details name fields).
export function unstorableDetails(value: unknown): UnstorableDetail[] {
  const details: UnstorableDetail[] = []
  const pending: { value: unknown; path: PathNode | undefined }[] = [{ value, path: undefined }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path } = next
    if (typeof current === 'string') {
      if (!isStorableText(current)) details.push({ path: dotted(path), message: TEXT_MESSAGE })
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current))
        details.push({ path: dotted(path), message: 'must be a finite number' })
    } else if (Array.isArray(current)) {
      for (const [i, item] of current.entries()) {
        pending.push({ value: item, path: { key: String(i), parent: path } })
      }
    } else if (typeof current === 'object' && current !== null) {
      for (const key of Object.keys(current)) {
        const keyPath = { key, parent: path }
        if (key === FORBIDDEN_KEY) {
          details.push({ path: dotted(keyPath), message: 'is not allowed as a key' })
          continue
        }
        if (!isStorableText(key))
          details.push({ path: dotted(keyPath), message: `key ${TEXT_MESSAGE}` })
        pending.push({ value: (current as Record<string, unknown>)[key], path: keyPath })
      }
    }
  }
  return details
}

// How many arrays and objects are nested in `value`, itself included (0 for a scalar).
export function nestingDepth(value: unknown): number {
  let deepest = 0
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, depth } = next
    if (typeof current !== 'object' || current === null) continue
    deepest = Math.max(deepest, depth + 1)
    for (const item of Object.values(current)) pending.push({ value: item, depth: depth + 1 })
  }
  return deepest
}
