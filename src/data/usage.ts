// SQL round trips and time spent in them, per API request, for the access log and the
// Server-Timing header. The driver's fetch is a global shared by all requests of an isolate, so
// a round trip is attributed through the `application_name` each request's client puts in its
// connection string (see createDb), which the driver sends as a header on every query.

export interface DbUsage {
  roundTrips: number
  ms: number
}

const open = new Map<string, DbUsage>()

export function beginUsage(internalId: string): void {
  open.set(internalId, { roundTrips: 0, ms: 0 })
}

export function endUsage(internalId: string): DbUsage {
  const usage = open.get(internalId) ?? { roundTrips: 0, ms: 0 }
  open.delete(internalId)
  return usage
}

export const APPLICATION_PREFIX = 'embed:'

export function recordRoundTrip(
  headers: ConstructorParameters<typeof Headers>[0],
  ms: number
): void {
  const connection = new Headers(headers).get('Neon-Connection-String')
  if (connection === null) return
  let name: string | null
  try {
    name = new URL(connection).searchParams.get('application_name')
  } catch {
    return
  }
  if (name === null || !name.startsWith(APPLICATION_PREFIX)) return
  const usage = open.get(name.slice(APPLICATION_PREFIX.length))
  if (usage === undefined) return
  usage.roundTrips += 1
  usage.ms += ms
}
