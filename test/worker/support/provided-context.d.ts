// What test/setup/global-setup.ts provides, as the worker tests see it (that file is outside
// this tsconfig; interface merging accepts the identical declaration twice).
import 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    engineKind: 'pglite' | 'postgres'
  }
}
