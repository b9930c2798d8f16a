import { defineConfig } from 'drizzle-kit'

// drizzle-kit only generates SQL here; `npm run db:migrate` applies it (drizzle/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/data/schema.ts', './src/data/tracking-schema.ts'],
  out: './migrations',
  breakpoints: true,
})
