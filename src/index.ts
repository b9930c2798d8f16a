import { createApp } from './app'
import { createDb } from './data/db'
import { deleteExpiredTokens } from './data/statements/expired-tokens'
import { deleteOldClicks } from './data/statements/old-clicks'
import { recordScriptClicks, type ScriptClick } from './data/statements/tracking'
import { describeError, log } from './log'

const app = createApp()

// One job of the Cron Trigger: its log line, with what it reports, or its failure's.
async function housekeeping(
  what: string,
  cron: string,
  job: () => Promise<object>
): Promise<boolean> {
  try {
    log('info', `${what} deleted`, { ...(await job()), cron })
    return true
  } catch (error) {
    log('error', `deleting ${what} failed`, { cron, error: describeError(error) })
    return false
  }
}

export default {
  fetch: app.fetch,

  // Housekeeping on the Cron Trigger of wrangler.toml: two deletions, one statement each, run
  // side by side. Neither needs the other, so one failing (a timeout on a large backlog of
  // clicks, say) does not keep the other from running; each failure is logged, and the
  // invocation then fails so that the Cron Trigger's history shows it. The next hour retries.
  async scheduled(controller, env) {
    const db = createDb(env, `cron-${controller.scheduledTime}`)
    const done = await Promise.all([
      housekeeping('expired embed tokens', controller.cron, async () => ({
        deleted: await deleteExpiredTokens(db),
      })),
      housekeeping('old clicks', controller.cron, () => deleteOldClicks(db)),
    ])
    if (done.includes(false)) throw new Error('housekeeping failed; see the log lines before')
  },

  // The tracking script's clicks (routes/track-click.ts), a batch in one statement. When the
  // database fails the whole batch is retried (the statement is idempotent by click id), and
  // after max_retries it goes to the dead-letter queue: a click is never dropped silently.
  async queue(batch, env) {
    const db = createDb(env, `queue-${crypto.randomUUID()}`)
    try {
      const recorded = await recordScriptClicks(
        db,
        batch.messages.map((message) => message.body)
      )
      log('info', 'clicks recorded', {
        queue: batch.queue,
        received: batch.messages.length,
        recorded,
      })
      batch.ackAll()
    } catch (error) {
      log('error', 'click batch failed; it will be delivered again', {
        queue: batch.queue,
        received: batch.messages.length,
        error: describeError(error),
      })
      batch.retryAll()
    }
  },
} satisfies ExportedHandler<Env, ScriptClick>
