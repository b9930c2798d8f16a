import { percentiles, type Percentiles } from './percentiles'

// GET /healthz one request at a time: no SQL, no body, next to no work in the worker. What it
// costs is the local harness itself (client, wrangler dev's proxy, workerd's loopback hops), the
// part of every latency figure that production does not have.
export async function measureFloor(url: string, requests: number): Promise<Percentiles> {
  const times: number[] = []
  for (let i = 0; i < requests; i++) {
    const started = performance.now()
    const response = await fetch(`${url}/healthz`)
    await response.arrayBuffer()
    if (!response.ok) throw new Error(`GET ${url}/healthz answered ${response.status}`)
    times.push(performance.now() - started)
  }
  return percentiles(times)
}
