import type { Tenant } from './seed'

// The bodies and headers of the benchmark's requests. NEW: every request a fresh email (and
// name, so a fresh tracking id), i.e. user, affiliate and token are all created. RETURNING: a
// fixed pool of affiliates created beforehand, cycled in order, i.e. only the token is replaced.

export type Path = 'new' | 'returning'

export interface OutgoingRequest {
  // X-Request-Id: the worker puts it in application_name, so the SQL endpoint can tell how
  // many round trips this very request cost.
  id: string
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body?: string
}

export const TOKEN_ROUTE = '/v1/embed/token'

export type RequestSource = () => OutgoingRequest

// Requests numbered from 1, each with an X-Request-Id of its own under the phase's label.
export function numbered(
  label: string,
  request: (n: number) => Omit<OutgoingRequest, 'id'>
): RequestSource {
  let n = 0
  return () => {
    n++
    return { id: `bench-${label}-${n}`, ...request(n) }
  }
}

export class Traffic {
  readonly #tenant: Tenant
  readonly #pool: string[]
  #requests = 0
  #fresh = 0
  #returning = 0

  constructor(tenant: Tenant, poolSize: number) {
    this.#tenant = tenant
    this.#pool = Array.from({ length: poolSize }, (_, i) => `returning-${i}@bench.example`)
  }

  // Each pool member once, as a NEW request: how the RETURNING pool comes to exist.
  poolCreation(label: string): { source: RequestSource; amount: number } {
    let next = 0
    const source = () =>
      this.#request(label, this.#pool[next++ % this.#pool.length] ?? '', undefined)
    return { source, amount: this.#pool.length }
  }

  source(path: Path, label: string): RequestSource {
    if (path === 'new') {
      return () => {
        const n = ++this.#fresh
        return this.#request(label, `new-${n}@bench.example`, `Bench Affiliate ${n}`)
      }
    }
    return () =>
      this.#request(label, this.#pool[this.#returning++ % this.#pool.length] ?? '', undefined)
  }

  #request(label: string, email: string, name: string | undefined): OutgoingRequest {
    const n = ++this.#requests
    const keys = this.#tenant.apiKeys
    const partner = name === undefined ? { email } : { email, name }
    return {
      id: `bench-${label}-${n}`,
      method: 'POST',
      path: TOKEN_ROUTE,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${keys[n % keys.length]}`,
      },
      body: JSON.stringify({ programId: this.#tenant.programId, partner }),
    }
  }
}
