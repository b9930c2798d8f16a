// Every piece of English a catalogue holds, for the tests that check a translated page shows
// none: its plain strings, and the words of its templates between their holes
// ("{percentage} of every sale" gives "of every sale"), trimmed of punctuation.
export function englishPieces(value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(/\{\w+\}|#/)
      .map((part) => part.replace(/^[\s,.:;]+|[\s,.:;]+$/g, ''))
      .filter((part) => part !== '')
  if (value !== null && typeof value === 'object')
    return Object.values(value).flatMap(englishPieces)
  return []
}
