import { createApp } from './app'
import { createDb } from './data/db'
import { deleteExpiredTokens } from './data/statements/expired-tokens'
import { log } from './log'

const app = createApp()

export default {
  fetch: app.fetch,

  // Housekeeping on the Cron Trigger of wrangler.toml.
  async scheduled(controller, env) {
    const deleted = await deleteExpiredTokens(createDb(env, `cron-${controller.scheduledTime}`))
    log('info', 'expired embed tokens deleted', { deleted, cron: controller.cron })
  },
} satisfies ExportedHandler<Env>
