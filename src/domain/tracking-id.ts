// Tracking ids appear in every referral link, so they are short, readable, lower-case ASCII:
// `José Müller` → `jose-muller`. Uniqueness within a program is the database's job (a unique
// constraint); this module only proposes candidates in the order they should be tried.

export const TRACKING_ID_MAX = 32
export const TRACKING_ID_MIN = 3

// Letters that Unicode decomposition leaves whole but that have a customary ASCII spelling.
const transliterations: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
}

export function slugify(input: string, max = TRACKING_ID_MAX): string {
  const ascii = input
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßẞæÆœŒøØđĐðÐłŁþÞı]/g, (ch) => transliterations[ch] ?? '')
    .toLowerCase()
  const words = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
  return trimTo(words, max)
}

// Cut to `max` characters without leaving a dangling `-`.
function trimTo(slug: string, max: number): string {
  return slug.slice(0, max).replace(/-+$/, '')
}

// The id a new affiliate should get before uniqueness is considered: from the name, else from
// the email's local part; undefined when neither gives at least three characters.
export function baseTrackingId(name: string | undefined, email: string): string | undefined {
  const fromName = name === undefined ? '' : slugify(name)
  if (fromName.length >= TRACKING_ID_MIN) return fromName
  const localPart = email.slice(0, Math.max(0, email.lastIndexOf('@')))
  const fromEmail = slugify(localPart)
  if (fromEmail.length >= TRACKING_ID_MIN) return fromEmail
  return undefined
}

// `jose-muller`, `jose-muller-2`, … `jose-muller-N`, each within the length limit.
export function sequentialCandidates(base: string, count: number): string[] {
  const candidates = [base]
  for (let n = 2; n <= count; n++) candidates.push(withSuffix(base, String(n)))
  return candidates
}

export function withSuffix(base: string, suffix: string): string {
  const stem = trimTo(base, TRACKING_ID_MAX - suffix.length - 1)
  return stem.length > 0 ? `${stem}-${suffix}` : suffix
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'

export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  // 256 is not a multiple of 36; the slight bias is harmless for an id that only has to be
  // unlikely to clash, and the unique constraint catches the rest.
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')
}

// When the sequential ids are taken or racing requests keep colliding on them, a random suffix
// makes a further clash vanishingly unlikely.
export function randomCandidate(base: string | undefined): string {
  return base === undefined ? `aff-${randomToken(10)}` : withSuffix(base, randomToken(6))
}

// The candidates one attempt offers the database, which takes the first one not in use. The
// first attempt prefers the readable sequence; a retry after a clash (a concurrent request took
// the same id) goes straight to random suffixes so that racing requests stop colliding.
export function trackingIdCandidates(base: string | undefined, attempt: number): string[] {
  if (base === undefined) return [randomCandidate(undefined), randomCandidate(undefined)]
  if (attempt === 0) return [...sequentialCandidates(base, 20), randomCandidate(base)]
  return [randomCandidate(base), randomCandidate(base)]
}
