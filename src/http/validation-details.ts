// How a schema's findings are reported in a VALIDATION_ERROR: one detail per bad field. Shared
// by the JSON body middleware and the click route, which reads its text/plain body itself.

// `field` repeats `path`, under the name Affonso's SDK and CLI print.
export interface ValidationDetail {
  path: string
  field: string
  message: string
}

export const detail = (path: string, message: string): ValidationDetail => ({
  path,
  field: path,
  message,
})

interface Issue {
  code: string
  path: PropertyKey[]
  message: string
  keys?: string[]
}

const dotted = (path: PropertyKey[]) => path.map(String).join('.')

// One detail per bad field, named by its dotted path; an unknown field is named itself.
export function validationDetails(issues: readonly Issue[]): ValidationDetail[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' && issue.keys !== undefined
      ? issue.keys.map((key) => detail(dotted([...issue.path, key]), 'is not a known field'))
      : [detail(dotted(issue.path) || '(body)', issue.message)]
  )
}
