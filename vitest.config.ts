import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// Three projects: pure Node code (the local SQL endpoint, the CLI, pure domain logic) runs in Node;
// the worker runs in workerd and reaches the database through the endpoint that global setup
// starts, exactly as in production it reaches Neon; the browser project drives Chromium against
// the whole stack.
export default defineConfig({
  test: {
    // The worker logs one JSON line per request (asserted in observability.test.ts); in the
    // test output they would bury everything else.
    onConsoleLog: (log) => !log.includes('"msg":"request"'),
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
          // No global setup: the endpoint and CLI tests start the endpoints they need.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            remoteBindings: false,
            miniflare: {
              bindings: {
                LOCAL_SQL_ENDPOINT: inject('sqlEndpointUrl'),
                DATABASE_URL: inject('databaseUrl'),
                TOKEN_SIGNING_KEYS: inject('signingKeys'),
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['./test/setup/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // The embedded page in a real browser (Debian's Chromium through playwright-core) against the
      // real stack: wrangler dev, the local SQL endpoint and the example host app.
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/browser/global-setup.ts'],
          // One Chromium at a time: the stack under test shares the machine with it.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
