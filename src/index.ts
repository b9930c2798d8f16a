import { createApp } from './app'
import { createDb } from './data/db'
import { deleteExpiredTokens } from './data/statements/expired-tokens'
import { recordScriptClicks, type ScriptClick } from './data/statements/tracking'
import { describeError, log } from './log'

const app = createApp()

export default {
  fetch: app.fetch,

  // Housekeeping on the Cron Trigger of wrangler.toml.
  async scheduled(controller, env) {
    const deleted = await deleteExpiredTokens(createDb(env, `cron-${controller.scheduledTime}`))
    log('info', 'expired embed tokens deleted', { deleted, cron: controller.cron })
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
