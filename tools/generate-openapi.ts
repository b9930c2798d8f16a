import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { buildOpenApiDocument } from '../src/http/openapi/document'

// `npm run openapi` writes public/openapi.json from the zod schemas;
// `npm run openapi -- --check` fails when the committed file is stale (CI runs it).
const file = fileURLToPath(new URL('../public/openapi.json', import.meta.url))
const text = `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`

if (process.argv.includes('--check')) {
  const committed = await readFile(file, 'utf8').catch(() => '')
  if (committed !== text) {
    process.stderr.write('public/openapi.json is stale: run `npm run openapi` and commit it.\n')
    process.exit(1)
  }
  process.stdout.write('openapi.json is up to date.\n')
} else {
  await writeFile(file, text)
  process.stdout.write(`wrote ${file}\n`)
}
