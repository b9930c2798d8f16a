// A refusal an operator can act on; the CLI prints the message as it is.
export class OperatorError extends Error {
  override name = 'OperatorError'
}

// Maps a database constraint failure to a sentence; anything else is rethrown untouched.
export function explainConstraint(error: unknown, sentences: Record<string, string>): never {
  const cause = (error as { cause?: unknown }).cause ?? error
  const { code, constraint } = (cause ?? {}) as { code?: string; constraint?: string }
  const sentence = constraint === undefined ? undefined : sentences[constraint]
  if ((code === '23505' || code === '23503') && sentence !== undefined) {
    throw new OperatorError(sentence)
  }
  throw error
}
