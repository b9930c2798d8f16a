import type { Context } from 'hono'
import { Hono } from 'hono/tiny'
import type { AppEnv } from '../context'
import { methodNotAllowed } from '../errors'

// The scripts hosts put on their pages: /track.js (records a click, src/http/pages/
// track.client.ts) and /embed.js (frames the dashboard, embed-host.client.ts). Minified by
// tools/generate-assets.ts into public/, served from the assets binding so they are not part of
// the worker's bundle. Cached briefly, so a new version reaches every page within minutes.
async function hostScript(c: Context<AppEnv>, name: string) {
  const asset = await c.env.ASSETS.fetch(new URL(`/${name}`, c.req.url))
  if (!asset.ok) throw new Error(`${name} asset answered ${asset.status}`)
  return c.body(await asset.text(), 200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': 'public, max-age=300',
    'X-Content-Type-Options': 'nosniff',
  })
}

export const hostScripts = new Hono<AppEnv>()
  .get('/track.js', (c) => hostScript(c, 'track.js'))
  .all('/track.js', methodNotAllowed(['GET', 'HEAD']))
  .get('/embed.js', (c) => hostScript(c, 'embed.js'))
  .all('/embed.js', methodNotAllowed(['GET', 'HEAD']))
