import { eq, like } from 'drizzle-orm'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import * as admin from '../../src/admin/operations'
import { affiliates, embedTokens, users } from '../../src/data/schema'
import { errorStatus } from '../../src/errors'
import {
  call,
  db,
  defined,
  expectNothingWritten,
  first,
  issueToken,
  newRequestId,
  newTenant,
  roundTrips,
  uniqueEmail,
  type Tenant,
} from './support/harness'

// Hostile input, generated: thousands of requests with wrong types, huge and empty strings,
// deep nesting, control characters and odd Unicode, `__proto__`/`constructor` keys, duplicate
// keys, truncated JSON, wrong content types and odd header values. Whatever comes in: never a
// 5xx, always the envelope, nothing stored from a refused request, every accepted one stored
// whole, and no prototype polluted. Requests go through the real worker and database in batches
// of 25 at a time (bounded concurrency). A failure names the request that broke the rule, and
// the seed and path in the report replay the run (fc.assert's `seed` and `path` options).

const BATCHES = 200
const BATCH_SIZE = 25 // 5,000 token requests
const DATA_BATCHES = 40 // 1,000 data requests
// Requests with a good key stay far below its 600-a-minute limit: they are spread over keys.
const KEY_COUNT = 12

const runTag = `fz${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`
let mine: Tenant
let foreign: Tenant
let keys: string[] = []
let disabledKey: string
let counter = 0

beforeAll(async () => {
  mine = await newTenant()
  foreign = await newTenant()
  keys = [mine.apiKey]
  while (keys.length < KEY_COUNT)
    keys.push((await admin.createApiKey(db, { team: mine.teamId })).key)
  const disabled = await admin.createApiKey(db, { team: mine.teamId })
  await admin.disableApiKey(db, disabled.id)
  disabledKey = disabled.key
})

// ---- generators -------------------------------------------------------------------------------

const anyUtf16 = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
const oddStrings = fc.constantFrom(
  '',
  ' ',
  '   \t\n',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d\ude00',
  '\u202egnp.exe',
  '\ufeff',
  '\u200b\u200d',
  'İstanbul',
  'Straße',
  'ﬃ',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e400',
  'NaN',
  '__proto__',
  'constructor',
  'prototype',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as text.
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '%00%0d%0a',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>'
)
const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: anyUtf16, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 20 }) },
  { weight: 3, arbitrary: oddStrings },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 40_000 }).map((n) => 'x'.repeat(n)) }
)

// Deep nesting is generated as a marker and written straight into the JSON text when the request
// is built: fast-check never walks (or prints) thousands of levels, and the test's own
// JSON.stringify (recursive) never has to.
const deepTexts: string[] = []
class Deep {
  constructor(
    readonly depth: number,
    readonly kind: 'array' | 'object'
  ) {}
  // A placeholder string now, replaced by the nested JSON text once the body is serialised.
  placeholder(): string {
    const text =
      this.kind === 'array'
        ? `${'['.repeat(this.depth)}"leaf"${']'.repeat(this.depth)}`
        : `${'{"d":'.repeat(this.depth)}"leaf"${'}'.repeat(this.depth)}`
    deepTexts.push(text)
    return `@@deep${deepTexts.length - 1}@@`
  }
  [fc.toStringMethod]() {
    return `Deep(${this.depth}, ${this.kind})`
  }
}
function withDeepTexts(json: string): string {
  return json.replace(/"@@deep(\d+)@@"/g, (_, i: string) =>
    defined(deepTexts[Number(i)], `deep text ${i}`)
  )
}
const deep = fc
  .tuple(fc.integer({ min: 10, max: 6_000 }), fc.constantFrom('array' as const, 'object' as const))
  .map(([depth, kind]) => new Deep(depth, kind))

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: deep }
)

const specialKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf'
)
const metadataKey = fc.oneof(
  { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 45 }) },
  { weight: 2, arbitrary: specialKey },
  { weight: 1, arbitrary: hostileString }
)
const metadataValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.dictionary(specialKey, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }) }
)
const metadata = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(metadataKey, metadataValue, { maxKeys: 8 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 49, max: 60 })
      .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
  },
  { weight: 1, arbitrary: wrongValue }
)

// Emails are mostly unique and tagged with this run, so the database can be checked afterwards;
// the placeholder is filled in when the request is built.
const EMAIL = Symbol('unique email')
const email = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(EMAIL) },
  { weight: 1, arbitrary: fc.constantFrom('  UPPER.CASE', 'spaces', 'MiXeD') },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 2, arbitrary: wrongValue }
)

const PROGRAM = Symbol('my program')
const FOREIGN_PROGRAM = Symbol('foreign program')
const GROUP = Symbol('my group')
const FOREIGN_GROUP = Symbol('foreign group')

const optional = <T>(arb: fc.Arbitrary<T>, weight = 1) =>
  fc.option(arb, { nil: undefined, freq: weight })

const partner = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        email,
        name: optional(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), wrongValue), 2),
        image: optional(
          fc.oneof(
            fc.webUrl(),
            fc.constantFrom(
              'ftp://x.example/a.png',
              'javascript:alert(1)',
              '/relative.png',
              'https://',
              `https://x.example/${'a'.repeat(2100)}`
            ),
            wrongValue
          ),
          2
        ),
        extra: optional(fc.tuple(specialKey, wrongValue)),
      },
      { requiredKeys: [] }
    ),
  },
  { weight: 1, arbitrary: wrongValue }
)

const body = fc.record(
  {
    programId: fc.oneof(
      { weight: 10, arbitrary: fc.constant(PROGRAM) },
      { weight: 1, arbitrary: fc.constant(FOREIGN_PROGRAM) },
      { weight: 2, arbitrary: wrongValue }
    ),
    partner,
    groupId: optional(fc.oneof(fc.constant(GROUP), fc.constant(FOREIGN_GROUP), wrongValue), 3),
    externalUserId: optional(fc.oneof(fc.string({ minLength: 1, maxLength: 300 }), wrongValue), 3),
    metadata: optional(metadata, 2),
    extra: optional(fc.tuple(fc.oneof(specialKey, fc.string({ maxLength: 10 })), wrongValue), 6),
  },
  { requiredKeys: ['programId', 'partner'] }
)

type Mutation =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-first'; key: string; value: unknown }
  | { kind: 'duplicate-last'; key: string; value: unknown }
  | { kind: 'proto-metadata'; value: unknown }
  | { kind: 'junk'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'bom' }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.nat().map((at) => ({ kind: 'truncate' as const, at })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('programId', 'partner', 'metadata', '__proto__'), wrongValue)
      .map(([key, value]) => ({ kind: 'duplicate-first' as const, key, value })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('programId', 'partner', 'metadata', '__proto__'), wrongValue)
      .map(([key, value]) => ({ kind: 'duplicate-last' as const, key, value })),
  },
  {
    weight: 2,
    arbitrary: fc
      .jsonValue({ maxDepth: 2 })
      .map((value) => ({ kind: 'proto-metadata' as const, value })),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(hostileString, fc.json()).map((text) => ({ kind: 'junk' as const, text })),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) }
)

// Header values a real client can send: visible ASCII, space and tab (never CR, LF or NUL;
// bytes above 0x7F are left out because workerd re-encodes them as UTF-8, with a warning).
const headerText = fc.string({
  unit: fc.oneof(
    fc.constant('\t'),
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c))
  ),
  maxLength: 40,
})
const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'application/json;charset=latin1',
      'application/json; x',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      ''
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: headerText }
)
const KEY = Symbol('a good key')
const authorization = fc.oneof(
  { weight: 12, arbitrary: fc.constant(KEY) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      `Bearer sk_live_${'0'.repeat(40)}`,
      `Bearer sk_test_${'a'.repeat(40)}`,
      `Bearer sk_live_${'a'.repeat(200)}`,
      'disabled',
      'foreign',
      'lowercase',
      'padded'
    ),
  },
  { weight: 1, arbitrary: headerText.map((t) => `Bearer ${t}`) },
  { weight: 1, arbitrary: headerText }
)
const requestId: fc.Arbitrary<string | undefined> = optional(
  fc.oneof(headerText, fc.constantFrom('ok-id.1:2', 'a'.repeat(129), 'x y', '<script>')),
  3
)

// Requests that should pass, with legal but awkward content: odd Unicode, keys named like
// Object.prototype members, deep arrays within the 8 KiB, duplicate keys where the good value
// comes last, a byte-order mark. They make sure the generator reaches the database.
const awkwardText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constantFrom(
    'José Müller',
    'Ωmega 𝔘nicode',
    '\u202eevil',
    'a\u200bb',
    'ﬃ ligature',
    '山田 太郎',
    '  padded  ',
    '\t tab'
  )
)
const awkwardMetadata = fc.dictionary(
  fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }),
    specialKey.filter((k) => k !== '__proto__')
  ),
  fc.oneof(
    { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    // Up to the 32 levels allowed (the metadata object itself is the first).
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 31 }).map((depth) => new Deep(depth, 'array')),
    },
    { weight: 1, arbitrary: awkwardText }
  ),
  { maxKeys: 10 }
)
const plausibleBody = fc.record(
  {
    programId: fc.constant(PROGRAM),
    partner: fc.record(
      {
        email: fc.constantFrom(EMAIL, EMAIL, EMAIL, '  UPPER.CASE', 'spaces', 'MiXeD'),
        name: optional(awkwardText, 3),
        image: optional(fc.webUrl({ withQueryParameters: true, withFragments: true }), 2),
      },
      { requiredKeys: ['email'] }
    ),
    groupId: optional(fc.constant(GROUP), 2),
    externalUserId: optional(awkwardText, 2),
    metadata: optional(awkwardMetadata, 3),
  },
  { requiredKeys: ['programId', 'partner'] }
)
const plausible: fc.Arbitrary<GeneratedRequest> = fc.record({
  body: plausibleBody,
  mutation: fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'bom' as const }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('programId', 'partner', 'metadata', 'groupId'), wrongValue)
        .map(([key, value]): Mutation => ({ kind: 'duplicate-first', key, value })),
    }
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/vnd.api+json'
  ),
  authorization: fc.constantFrom<GeneratedRequest['authorization']>(
    KEY,
    KEY,
    KEY,
    'lowercase',
    'padded'
  ),
  requestId,
})
const hostile = fc.record({ body, mutation, contentType, authorization, requestId })
const request = fc.oneof({ weight: 1, arbitrary: plausible }, { weight: 2, arbitrary: hostile })
type GeneratedRequest = typeof hostile extends fc.Arbitrary<infer T> ? T : never

// ---- building and judging requests -------------------------------------------------------------

function resolve(value: unknown): unknown {
  if (value instanceof Deep) return value.placeholder()
  if (Array.isArray(value)) return value.map(resolve)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: resolve(v),
        enumerable: true,
        configurable: true,
        writable: true,
      })
    }
    return out
  }
  if (value === PROGRAM) return mine.programId
  if (value === FOREIGN_PROGRAM) return foreign.programId
  if (value === GROUP) return mine.groupId
  if (value === FOREIGN_GROUP) return foreign.groupId
  if (value === EMAIL) return `f${++counter}.${runTag}@fuzz.example`
  if (value === '  UPPER.CASE')
    return `  F${++counter}.UPPER.${runTag.toUpperCase()}@Fuzz.Example  `
  if (value === 'spaces') return ` f${++counter}.${runTag}@fuzz.example\t`
  if (value === 'MiXeD') return `F${++counter}.MiXeD.${runTag}@FUZZ.example`
  return value
}

function buildBody(g: GeneratedRequest['body']): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(g)) {
    if (value === undefined) continue
    if (key === 'extra') {
      const [k, v] = value as [string, unknown]
      Object.defineProperty(out, k, {
        value: v,
        enumerable: true,
        configurable: true,
        writable: true,
      })
    } else if (
      key === 'partner' &&
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value)
    ) {
      const p: Record<string, unknown> = {}
      for (const [pk, pv] of Object.entries(value)) {
        if (pv === undefined) continue
        if (pk === 'extra') {
          const [k, v] = pv as [string, unknown]
          Object.defineProperty(p, k, {
            value: resolve(v),
            enumerable: true,
            configurable: true,
            writable: true,
          })
        } else p[pk] = resolve(pv)
      }
      out.partner = p
    } else out[key] = resolve(value)
  }
  return out
}

function applyMutation(text: string, m: Mutation): string | Uint8Array {
  switch (m.kind) {
    case 'none':
      return text
    case 'truncate':
      return text.slice(0, m.at % Math.max(1, text.length))
    case 'duplicate-first':
      return text.startsWith('{')
        ? `{${JSON.stringify(m.key)}:${withDeepTexts(JSON.stringify(resolve(m.value)) ?? 'null')},${text.slice(1)}`
        : text
    case 'duplicate-last':
      return text.endsWith('}') && text.length > 2
        ? `${text.slice(0, -1)},${JSON.stringify(m.key)}:${withDeepTexts(JSON.stringify(resolve(m.value)) ?? 'null')}}`
        : text
    case 'proto-metadata':
      // Written by hand: an own `__proto__` key, which no object literal can produce.
      return text.endsWith('}') && text.length > 2
        ? `${text.slice(0, -1)},"metadata":{"__proto__":${JSON.stringify(m.value) ?? 'null'},"polluted":{"__proto__":{"polluted":true}}}}`
        : text
    case 'junk':
      return m.text
    case 'bytes':
      return m.bytes
    case 'bom':
      return `\ufeff${text}`
  }
}

function authorizationHeader(a: GeneratedRequest['authorization']): string | undefined {
  if (a === KEY) return `Bearer ${keys[counter++ % keys.length]}`
  if (a === 'disabled') return `Bearer ${disabledKey}`
  if (a === 'foreign') return `Bearer ${foreign.apiKey}`
  if (a === 'lowercase') return `bearer ${keys[counter++ % keys.length]}`
  if (a === 'padded') return `   Bearer    ${keys[counter++ % keys.length]}   `
  return a as string | undefined
}

interface Sent {
  text: string | Uint8Array
  headers: Record<string, string>
}

function build(g: GeneratedRequest): Sent {
  const text = applyMutation(withDeepTexts(JSON.stringify(buildBody(g.body))), g.mutation)
  const headers: Record<string, string> = {}
  if (g.contentType !== undefined) headers['Content-Type'] = g.contentType
  const auth = authorizationHeader(g.authorization)
  if (auth !== undefined) headers.Authorization = auth
  if (g.requestId !== undefined) headers['X-Request-Id'] = g.requestId
  return { text, headers }
}

const LEAKS =
  /select|insert|update .* set|postgres|neon|drizzle|sqlstate|stack|at \S+ \(|\.ts:\d+|syntaxerror|typeerror/i

interface Outcome {
  status: number
  sent: Sent
}

// Judges one answer: everything except what needs the database afterwards.
async function judge(sent: Sent, response: Response): Promise<Outcome> {
  const where = () => {
    const text = typeof sent.text === 'string' ? sent.text : `bytes ${[...sent.text].join(',')}`
    const shown =
      text.length > 900
        ? `${text.slice(0, 400)} …(${text.length} chars)… ${text.slice(-400)}`
        : text
    return `request ${JSON.stringify({ headers: sent.headers, body: shown })}`
  }
  expect(response.status, where()).toBeLessThan(500)
  expect(response.headers.get('Content-Type'), where()).toMatch(/^application\/json/)
  expect(response.headers.get('X-Request-Id'), where()).toMatch(/^[A-Za-z0-9._:-]{1,128}$/)
  const payload = (await response.json()) as Record<string, unknown>
  if (response.status === 201) {
    expect(payload.success).toBe(true)
    expect(Object.keys(payload.data as object).sort()).toEqual([
      'expiresAt',
      'link',
      'partnershipStatus',
      'publicToken',
    ])
  } else {
    expect(payload.success, where()).toBe(false)
    expect(Object.keys(payload).sort()).toEqual(['error', 'success'])
    const error = payload.error as { code: string; message: string; details?: unknown }
    expect(Object.hasOwn(errorStatus, error.code), where()).toBe(true)
    expect(errorStatus[error.code as keyof typeof errorStatus], where()).toBe(response.status)
    expect(typeof error.message).toBe('string')
    expect(error.message, where()).not.toMatch(LEAKS)
    for (const key of Object.keys(error))
      expect(['code', 'message', 'details', 'retryAfter']).toContain(key)
    if (error.details !== undefined) {
      expect(Array.isArray(error.details)).toBe(true)
      for (const d of error.details as { path: unknown; message: unknown }[]) {
        expect(typeof d.path).toBe('string')
        expect(typeof d.message).toBe('string')
      }
    }
  }
  return { status: response.status, sent }
}

async function send(sent: Sent): Promise<Response> {
  return call('/v1/embed/token', { method: 'POST', headers: sent.headers, body: sent.text })
}

function prototypesSnapshot() {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) =>
    Object.getOwnPropertyNames(p).sort().join(',')
  )
}

// ---- the properties ----------------------------------------------------------------------------

describe('hostile input, generated', () => {
  it(`${BATCHES * BATCH_SIZE} generated token requests: never a 5xx, always the envelope, nothing stored from a refusal`, {
    timeout: 180_000,
  }, async () => {
    const prototypesBefore = prototypesSnapshot()
    const accepted: Sent[] = []
    const statuses = new Map<number, number>()
    const started = Date.now()
    let sentCount = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: BATCH_SIZE, maxLength: BATCH_SIZE }),
        async (batch) => {
          const built = batch.map(build)
          const outcomes = await Promise.all(
            built.map(async (sent) => judge(sent, await send(sent)))
          )
          sentCount += outcomes.length
          for (const o of outcomes) {
            statuses.set(o.status, (statuses.get(o.status) ?? 0) + 1)
            if (o.status === 201) accepted.push(o.sent)
          }
        }
      ),
      { numRuns: BATCHES, endOnFailure: true, reporter }
    )
    const elapsed = Date.now() - started
    console.log(
      `fuzz: ${sentCount} token requests in ${elapsed} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`
    )
    expect(sentCount).toBeGreaterThanOrEqual(5_000)
    // The generators reach deep: a fair share is accepted, and every refusal kind shows up.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(1_000)
    for (const status of [400, 401, 404, 413, 415])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0)
    expect(statuses.get(429) ?? 0).toBe(0)

    // No prototype gained a property, and plain objects inherit nothing new.
    expect(prototypesSnapshot()).toEqual(prototypesBefore)
    const probe: Record<string, unknown> = {}
    expect(probe.polluted).toBeUndefined()
    for (const key in probe) throw new Error(`inherited enumerable property ${key}`)

    // What the accepted requests sent, as the API reads it (trimmed, lower-case email; the last
    // of duplicate keys; the JSON round trip of metadata), by program.
    type Stored = { metadata: string; externalUserId: unknown }
    const expected = new Map<string, Map<string, Stored[]>>()
    for (const sent of accepted) {
      const parsed = JSON.parse(
        typeof sent.text === 'string' ? sent.text.replace(/^\ufeff/, '') : ''
      ) as {
        programId: string
        partner: { email: string }
        metadata?: unknown
        externalUserId?: unknown
      }
      const program = expected.get(parsed.programId) ?? new Map<string, Stored[]>()
      expected.set(parsed.programId, program)
      const key = parsed.partner.email.trim().toLowerCase()
      const list = program.get(key) ?? []
      list.push({
        metadata: canonical(parsed.metadata ?? null),
        externalUserId: parsed.externalUserId ?? null,
      })
      program.set(key, list)
    }
    expect(
      [...expected.keys()].every((id) => id === mine.programId || id === foreign.programId)
    ).toBe(true)
    const mineExpected = expected.get(mine.programId) ?? new Map<string, Stored[]>()

    const stored = await db
      .select({
        email: users.email,
        metadata: affiliates.metadata,
        externalUserId: affiliates.externalUserId,
      })
      .from(affiliates)
      .innerJoin(users, eq(users.id, affiliates.userId))
      .where(eq(affiliates.programId, mine.programId))
    // Exactly the accepted emails have an affiliate: no refused request created one.
    expect(new Set(stored.map((s) => s.email))).toEqual(new Set(mineExpected.keys()))
    for (const row of stored) {
      // Stored whole: what one of the accepted requests for that email sent (a request without
      // metadata or externalUserId keeps what an earlier one stored).
      const candidates = defined(mineExpected.get(row.email), `what was sent for ${row.email}`)
      expect(
        candidates.map((c) => c.metadata),
        `metadata of ${row.email}`
      ).toContain(canonical(row.metadata))
      expect([null, ...candidates.map((c) => c.externalUserId)]).toContain(row.externalUserId)
    }
    const tokens = await db
      .select()
      .from(embedTokens)
      .where(eq(embedTokens.programId, mine.programId))
    expect(tokens).toHaveLength(stored.length)
    // No user of this run exists without an accepted request behind it.
    const tagged = await db
      .select({ email: users.email })
      .from(users)
      .where(like(users.email, `%${runTag.toLowerCase()}%`))
    const allAccepted = new Set([...expected.values()].flatMap((m) => [...m.keys()]))
    for (const { email: e } of tagged)
      expect(allAccepted.has(e), `user ${e} stored from a refused request`).toBe(true)
    // Another team's program holds only what its own key was accepted for.
    const foreignRows = await db
      .select({ email: users.email })
      .from(affiliates)
      .innerJoin(users, eq(users.id, affiliates.userId))
      .where(eq(affiliates.programId, foreign.programId))
    expect(new Set(foreignRows.map((r) => r.email))).toEqual(
      new Set((expected.get(foreign.programId) ?? new Map()).keys())
    )
  })

  it(`${DATA_BATCHES * BATCH_SIZE} generated tokens for GET /v1/embed/data: 401 in the envelope, never a query`, async () => {
    const part = fc.oneof(
      fc.base64String({ maxLength: 60 }),
      hostileString.filter((s) => s.length < 200),
      fc.constant('')
    )
    const token = fc.oneof(
      fc.tuple(part, part, part).map((p) => p.join('.')),
      fc.tuple(fc.jsonValue(), fc.jsonValue(), part).map(([h, p, s]) =>
        [h, p]
          .map((x) => base64url(JSON.stringify(x)))
          .concat(s)
          .join('.')
      ),
      hostileString
    )
    const how = fc.constantFrom('query' as const, 'header' as const, 'both' as const)
    let count = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(token, how, headerText), {
          minLength: BATCH_SIZE,
          maxLength: BATCH_SIZE,
        }),
        async (batch) => {
          await Promise.all(
            batch.map(async ([t, h, junk]) => {
              const path =
                h === 'header' ? '/v1/embed/data' : `/v1/embed/data?token=${percentEncode(t)}`
              const headers: Record<string, string> =
                h === 'query'
                  ? {}
                  : { Authorization: /^[\t\x20-\x7e]*$/.test(t) ? `Bearer ${t}` : `Bearer ${junk}` }
              const requestId = newRequestId()
              const response = await call(path, { headers, requestId })
              count++
              expect(response.status, `token ${JSON.stringify(t)} via ${h}`).toBe(401)
              const payload = (await response.json()) as {
                success: boolean
                error: { code: string }
              }
              expect(payload.success).toBe(false)
              expect(payload.error.code).toBe('INVALID_TOKEN')
              expect(
                await roundTrips(requestId),
                `token ${JSON.stringify(t)} reached the database`
              ).toBe(0)
            })
          )
        }
      ),
      { numRuns: DATA_BATCHES, endOnFailure: true, reporter }
    )
    expect(count).toBe(DATA_BATCHES * BATCH_SIZE)
  })
})

describe('hostile input the generated requests found', () => {
  async function refused(body: string | Record<string, unknown>, t = mine) {
    const response = await issueToken(t.apiKey, body)
    const payload = (await response.json()) as {
      error?: { code: string; details?: { path: string; message: string }[] }
    }
    return {
      status: response.status,
      code: payload.error?.code,
      paths: (payload.error?.details ?? []).map((d) => d.path),
    }
  }
  const base = (email: string) => `{"programId":"${mine.programId}","partner":{"email":"${email}"}`

  it('400 naming the field for U+0000 anywhere (it was a 500: PostgreSQL refuses it)', async () => {
    const email = uniqueEmail('nul')
    const result = await refused({
      programId: 'p\u0000',
      partner: { email, name: 'a\u0000b' },
      groupId: '\u0000',
      externalUserId: 'x\u0000',
      metadata: { ok: 'fine', bad: 'y\u0000', 'k\u0000': 1 },
    })
    expect(result.status).toBe(400)
    expect(result.code).toBe('VALIDATION_ERROR')
    expect(result.paths.sort()).toEqual(
      [
        'programId',
        'partner.name',
        'groupId',
        'externalUserId',
        'metadata.bad',
        'metadata.k\u0000',
      ].sort()
    )
    await expectNothingWritten(email)
  })

  it('400 for an unpaired surrogate (stored as U+FFFD in a name, a 500 in metadata)', async () => {
    const email = uniqueEmail('surrogate')
    const result = await refused({
      programId: mine.programId,
      partner: { email, name: 'ab\ud800c' },
      metadata: { x: ['\udfff'] },
    })
    expect(result).toEqual({
      status: 400,
      code: 'VALIDATION_ERROR',
      paths: expect.arrayContaining(['partner.name', 'metadata.x.0']),
    })
    await expectNothingWritten(email)
    // A proper pair is fine.
    expect(
      (
        await issueToken(mine.apiKey, {
          programId: mine.programId,
          partner: { email, name: 'ok \ud83d\ude00' },
        })
      ).status
    ).toBe(201)
  })

  it('400 for a __proto__ key in metadata, at any depth (it was dropped silently), nothing polluted', async () => {
    const email = uniqueEmail('proto')
    const top = await refused(
      `${base(email)},"metadata":{"__proto__":{"polluted":true},"plan":"pro"}}`
    )
    expect(top).toEqual({ status: 400, code: 'VALIDATION_ERROR', paths: ['metadata.__proto__'] })
    const nested = await refused(
      `${base(email)},"metadata":{"a":[{"__proto__":{"polluted":true}}]}}`
    )
    expect(nested).toEqual({
      status: 400,
      code: 'VALIDATION_ERROR',
      paths: ['metadata.a.0.__proto__'],
    })
    const partner = await refused(
      `{"programId":"${mine.programId}","partner":{"email":"${email}","__proto__":{"polluted":true}}}`
    )
    expect(partner.status).toBe(400)
    expect(partner.paths).toContain('partner.__proto__')
    await expectNothingWritten(email)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('stores keys named like Object.prototype members whole', async () => {
    const email = uniqueEmail('members')
    const metadata = {
      constructor: { prototype: 1 },
      toString: 'x',
      hasOwnProperty: null,
      valueOf: [1],
    }
    const response = await issueToken(mine.apiKey, {
      programId: mine.programId,
      partner: { email },
      metadata,
    })
    expect(response.status).toBe(201)
    const row = first(
      await db
        .select({ metadata: affiliates.metadata })
        .from(affiliates)
        .innerJoin(users, eq(users.id, affiliates.userId))
        .where(eq(users.email, email))
    )
    expect(canonical(row.metadata)).toBe(canonical(metadata))
  })

  it(`400 for metadata nested deeper than 32 levels (thousands of levels were a 500: the stack ran out)`, async () => {
    const at = (depth: number) => `${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}`
    const fine = uniqueEmail('depth-ok')
    expect(
      (await issueToken(mine.apiKey, `${base(fine)},"metadata":{"a":${at(31)}}}`)).status
    ).toBe(201)
    for (const depth of [33, 5_000]) {
      const email = uniqueEmail('too-deep')
      for (const value of [at(depth), `${'{"d":'.repeat(depth - 1)}1${'}'.repeat(depth - 1)}`]) {
        const body = `${base(email)},"metadata":{"a":${value}},"unknown":1}`
        // Every finding is still named: the depth, and the unknown field beside it.
        const outcome = await refused(body)
        expect({ ...outcome, paths: [...outcome.paths].sort() }).toEqual({
          status: 400,
          code: 'VALIDATION_ERROR',
          paths: ['metadata', 'unknown'],
        })
      }
      await expectNothingWritten(email)
    }
  })

  it('400 for a number JSON.parse turns into Infinity (it was stored as null)', async () => {
    const email = uniqueEmail('overflow')
    expect(await refused(`${base(email)},"metadata":{"big":1e400}}`)).toEqual({
      status: 400,
      code: 'VALIDATION_ERROR',
      paths: ['metadata.big'],
    })
    await expectNothingWritten(email)
  })
})

// The counterexample alone (a batch can hold 40 KB strings); the failing request itself is in
// the assertion's message, and seed and path reproduce the run.
function reporter<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return
  const error = details.errorInstance
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
  throw new Error(
    `property failed (seed ${details.seed}, path "${details.counterexamplePath}"):\n${message.slice(0, 4000)}`
  )
}

function percentEncode(text: string): string {
  return Array.from(
    new TextEncoder().encode(text),
    (b) => `%${b.toString(16).padStart(2, '0')}`
  ).join('')
}

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  return btoa(String.fromCharCode(...bytes))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
}

class Key {
  constructor(readonly name: string) {}
}

// A JSON text with object keys sorted, so that equal values compare equal whatever order the
// database gives keys in. Iterative: metadata may nest thousands of levels deep.
function canonical(value: unknown): string {
  const out: string[] = []
  const stack: unknown[] = [value]
  const CLOSE_ARRAY = Symbol(']')
  const CLOSE_OBJECT = Symbol('}')
  const COMMA = Symbol(',')
  while (stack.length > 0) {
    const v = stack.pop()
    if (v === CLOSE_ARRAY) out.push(']')
    else if (v === CLOSE_OBJECT) out.push('}')
    else if (v === COMMA) out.push(',')
    else if (v instanceof Key) out.push(`${JSON.stringify(v.name)}:`)
    else if (Array.isArray(v)) {
      out.push('[')
      stack.push(CLOSE_ARRAY)
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i])
        if (i > 0) stack.push(COMMA)
      }
    } else if (typeof v === 'object' && v !== null) {
      out.push('{')
      stack.push(CLOSE_OBJECT)
      // Pushed last key first, so that they pop in order: key, value, comma, key, value...
      const keys = Object.keys(v).sort().reverse()
      keys.forEach((key, i) => {
        stack.push((v as Record<string, unknown>)[key])
        stack.push(new Key(key))
        if (i < keys.length - 1) stack.push(COMMA)
      })
    } else out.push(JSON.stringify(v) ?? 'null')
  }
  return out.join('')
}
