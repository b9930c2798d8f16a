import { createServer } from 'node:http'
import { once } from 'node:events'

// A page of the test's own that frames `?src=` and records every message it receives, served
// from loopback on an origin no program allows. (A page Playwright answers itself would count as
// a public site, and Chromium's local network access checks would refuse it a loopback frame.)
const PAGE = (src: string) =>
  `<!doctype html><html lang="en"><title>parent</title><script>window.messages=[];addEventListener('message',(e)=>messages.push({origin:e.origin,data:e.data}))</script><iframe id="embed" title="embed" src="${src.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}"></iframe>`

export async function startParentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://parent').searchParams.get('src') ?? 'about:blank'
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(PAGE(src))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
