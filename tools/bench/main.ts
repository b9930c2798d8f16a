import { randomBytes } from 'node:crypto'
import { checkBudgets, failed } from './budgets'
import { buildBundle, bundleSize } from './bundle'
import { cleanUp, deferCleanup, installExitHandlers } from './cleanup'
import { describeMachine } from './machine'
import { Measurements } from './measurements'
import { measureDelay } from './phases'
import { formatReport, jsonLine } from './report'
import { settingsFrom } from './settings'
import { BASELINE, PRODUCT, startStack } from './stack'
import { measureStartup, type StartupCost } from './startup'
import { summarize } from './summary'

// `npm run bench` (BENCH_SHORT=1 or --short for CI): the product and the step-by-step
// baseline, both as a dry-run deploy builds them (minified) and run under workerd, against the
// local Neon HTTP endpoint with and without injected delay. Progress goes to stderr; the report
// to stdout, its last line one JSON object. Exit code 1 when a budget is missed or anything
// failed. See PERFORMANCE.md.

async function main(): Promise<number> {
  installExitHandlers()
  const settings = settingsFrom(process.argv.slice(2), process.env)
  const machine = describeMachine()
  const log = (line: string) => process.stderr.write(`${line}\n`)
  log(
    `bench: ${settings.mode} run on ${settings.postgresUrl === undefined ? 'PGlite' : 'PostgreSQL'}, ` +
      `${machine.cores} cores, Node ${machine.node}`
  )

  log('bench: building both workers (wrangler deploy --dry-run --minify)…')
  // Side by side: each build is mostly one process waiting on another.
  const [built, builtBaseline] = await Promise.allSettled([
    buildBundle(PRODUCT),
    buildBundle(BASELINE),
  ])
  for (const b of [built, builtBaseline]) {
    if (b.status === 'fulfilled') deferCleanup(() => b.value.dispose())
  }
  if (built.status === 'rejected') throw built.reason
  if (builtBaseline.status === 'rejected') throw builtBaseline.reason
  const ours = built.value
  const baseline = builtBaseline.value
  const bundle = await bundleSize(ours)
  // Reported, not a budget: a full run's figure (a short run keeps CI near two minutes).
  let startup: StartupCost | undefined
  if (settings.mode === 'full') {
    log("bench: profiling the worker's start-up (wrangler check startup)…")
    startup = await measureStartup().catch((error: unknown) => {
      log(`bench: wrangler check startup failed: ${error instanceof Error ? error.message : error}`)
      return undefined
    })
  }

  // The same keys for the product and the baseline, so both sign the same way.
  const signingKeys = `bench:${randomBytes(32).toString('base64url')}`
  const measurements = new Measurements()
  log('bench: starting the database and both workers (workerd)…')
  const stack = await startStack(settings.rttsMs[0] ?? 0, {
    postgresUrl: settings.postgresUrl,
    signingKeys,
    apiKeys: settings.apiKeys,
    bundles: { ours, baseline },
  })
  try {
    for (const rttMs of settings.rttsMs) {
      log(`bench: ${rttMs} ms per SQL round trip (fresh database)`)
      await measureDelay(stack, rttMs, settings, measurements)
    }
  } finally {
    await stack.close()
  }

  const summary = summarize(measurements, settings, bundle, machine, startup)
  const checks = checkBudgets(summary)
  process.stdout.write(formatReport(summary, checks))
  process.stdout.write(`${jsonLine(summary, checks)}\n`)
  const missed = failed(checks)
  if (missed.length > 0) {
    log(`bench: ${missed.length} budget${missed.length === 1 ? '' : 's'} missed:`)
    for (const m of missed) log(`  ${m.name}: ${m.detail}`)
    return 1
  }
  return 0
}

main()
  .then(async (code) => {
    await cleanUp()
    process.exit(code)
  })
  .catch(async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`bench failed: ${message}\n`)
    await cleanUp()
    // Still one JSON object last, so whatever parses the output learns why.
    process.stdout.write(`${JSON.stringify({ error: message })}\n`)
    process.exit(1)
  })
