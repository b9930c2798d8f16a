import * as z from 'zod/mini'
import { errorStatus, type ErrorCode } from '../../errors'
import { embedTokenRequest } from '../../domain/embed-token-request'
import {
  clickRequest,
  conversionRequest,
  refundRequest,
  signupRequest,
} from '../../domain/tracking-requests'
import {
  clickResponse,
  conversionResponse,
  embedDataResponse,
  embedTokenResponse,
  errorResponse,
  healthResponse,
  referralResponse,
} from '../schemas/responses'
import { type TokenExample, tokenExamples, trackingExamples } from './examples'

// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the
// document cannot drift from what the routes accept. It is generated ahead of time into
// public/openapi.json (`npm run openapi`), a static asset the worker serves: zod's JSON Schema
// generator would add about 10 KiB gzip to every cold start for a document that changes only
// with the code.

const schema = (s: z.ZodMiniType) => {
  const { $schema: _, ...json } = z.toJSONSchema(s, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>
  return json
}

function errorResponses(
  codes: ErrorCode[],
  examples: Record<string, Record<string, unknown>> = {}
) {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of codes)
    byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code])
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => {
      const named = Object.entries(examples).filter(([, e]) => e.status === status)
      return [
        String(status),
        {
          description: statusCodes.join(', '),
          content: {
            'application/json': {
              schema: schema(errorResponse(statusCodes)),
              ...(named.length > 0
                ? { examples: Object.fromEntries(named.map(([n, e]) => [n, { value: e.body }])) }
                : {}),
            },
          },
        },
      ]
    })
  )
}

// What every answer of a rate-limited route carries once the limiter has counted it.
const rateLimitHeaders = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
  'X-RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
}

function withHeaders<R extends Record<string, object>>(
  responses: R,
  headers: Record<string, unknown>
): R {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      {
        ...response,
        headers: {
          ...headers,
          ...(status === '429'
            ? { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } }
            : {}),
        },
      },
    ])
  ) as R
}

const noStore = { 'Cache-Control': { $ref: '#/components/headers/NoStore' } }

// The page refuses what the data route refuses, each as an HTML screen with the API's status.
function pageResponses() {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of dataErrors)
    byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code])
  const html = { 'text/html': { schema: { type: 'string' } } }
  return {
    '200': { description: 'The dashboard', content: html },
    ...Object.fromEntries(
      [...byStatus].map(([status, codes]) => [
        String(status),
        { description: `${codes.join(', ')}: a screen saying so`, content: html },
      ])
    ),
  }
}

function embedPage(operationId: string, summary: string, extraParameters: object[] = []) {
  return {
    get: {
      operationId,
      summary,
      description:
        'Renders the dashboard for the token. Framing is allowed only from the program’s embed origins (CSP frame-ancestors). A refused token answers an HTML screen with the API’s status and posts `{ type: "embed:token-expired" }` to the parent; a rendered page posts `{ type: "embed:ready", height }`. Unknown query parameters are ignored.',
      parameters: [
        { name: 'token', in: 'query', required: true, schema: { type: 'string' } },
        {
          name: 'theme',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['light', 'dark', 'system'] },
        },
        ...extraParameters,
      ],
      responses: withHeaders(pageResponses(), rateLimitHeaders),
    },
  }
}

// Affonso's iframe parameters: the `show*` and `enableQRCode` switches act (false or 0 hides the
// part); the others are accepted and change nothing yet.
const acting = ['showHeader', 'showRewards', 'showReports', 'enableQRCode']
const affonsoParameters = [...acting, 'bg', 'lang', 'showResources', 'padding'].map((name) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description: acting.includes(name)
    ? '`false` or `0` hides this part of the page (Affonso’s iframe option).'
    : 'Accepted for Affonso’s iframe snippet; it changes nothing on this page yet.',
}))

// What every API-key route refuses before its own checks.
const keyedRouteErrors: ErrorCode[] = [
  'MISSING_API_KEY',
  'INVALID_API_KEY_FORMAT',
  'INVALID_API_KEY',
  'API_KEY_DISABLED',
  'API_KEY_EXPIRED',
  'INSUFFICIENT_PERMISSIONS',
  'RATE_LIMIT_EXCEEDED',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'INVALID_JSON',
  'VALIDATION_ERROR',
  'DATABASE_UNAVAILABLE',
  'METHOD_NOT_ALLOWED',
  'INTERNAL_ERROR',
]

interface TrackingRoute {
  path: string
  operationId: string
  summary: string
  description: string
  permission: string
  request: z.ZodMiniType
  success: Record<string, { description: string; schema: z.ZodMiniType }>
  errors: ErrorCode[]
  parameters?: object[]
}

// A route's examples where the document puts them: each request under the request body, and its
// answer under the response of its status (errors through errorResponses).
function documentedExamples(examples: Record<string, TokenExample>) {
  const entries = Object.entries(examples)
  return {
    request: Object.fromEntries(
      entries.map(([name, e]) => [name, { summary: e.summary, value: e.request }])
    ),
    errors: Object.fromEntries(
      entries
        .filter(([, e]) => e.status >= 400)
        .map(([name, e]) => [name, { status: e.status, body: e.response }])
    ),
    success: (status: number) =>
      Object.fromEntries(
        entries
          .filter(([, e]) => e.status === status)
          .map(([name, e]) => [name, { value: e.response }])
      ),
  }
}

function trackingRoute(r: TrackingRoute) {
  const examples = documentedExamples(trackingExamples[r.path] ?? {})
  return {
    post: {
      operationId: r.operationId,
      summary: r.summary,
      description: `${r.description} Needs an API key with \`${r.permission}\`.`,
      security: [{ apiKey: [] }],
      ...(r.parameters === undefined ? {} : { parameters: r.parameters }),
      requestBody: {
        required: true,
        content: { 'application/json': { schema: schema(r.request), examples: examples.request } },
      },
      responses: withHeaders(
        {
          ...Object.fromEntries(
            Object.entries(r.success).map(([status, s]) => {
              const named = examples.success(Number(status))
              return [
                status,
                {
                  description: s.description,
                  content: {
                    'application/json': {
                      schema: schema(s.schema),
                      ...(Object.keys(named).length > 0 ? { examples: named } : {}),
                    },
                  },
                },
              ]
            })
          ),
          ...errorResponses([...keyedRouteErrors, ...r.errors], examples.errors),
        },
        { ...rateLimitHeaders, ...noStore }
      ),
    },
  }
}

const tokenErrors: ErrorCode[] = [
  'MISSING_API_KEY',
  'INVALID_API_KEY_FORMAT',
  'INVALID_API_KEY',
  'API_KEY_DISABLED',
  'API_KEY_EXPIRED',
  'INSUFFICIENT_PERMISSIONS',
  'RATE_LIMIT_EXCEEDED',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'INVALID_JSON',
  'VALIDATION_ERROR',
  'PROGRAM_NOT_FOUND',
  'PROGRAM_NOT_ACTIVE',
  'GROUP_NOT_FOUND',
  'NOT_INVITED',
  'PARTNERSHIP_INACTIVE',
  'DATABASE_UNAVAILABLE',
  'METHOD_NOT_ALLOWED',
  'INTERNAL_ERROR',
]

const dataErrors: ErrorCode[] = [
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'TOKEN_REVOKED',
  'RATE_LIMIT_EXCEEDED',
  'PROGRAM_NOT_ACTIVE',
  'PARTNERSHIP_INACTIVE',
  'DATABASE_UNAVAILABLE',
  'METHOD_NOT_ALLOWED',
  'INTERNAL_ERROR',
]

export function buildOpenApiDocument() {
  const token = documentedExamples(tokenExamples)
  return {
    openapi: '3.1.0',
    info: {
      title: 'Embed-token service',
      version: '1.0.0',
      description:
        'Creates (or finds) an affiliate and returns a short-lived token for the embedded referral dashboard. Every error is `{ success: false, error: { code, message, details? } }`; every response carries `X-Request-Id`. An unknown route answers `404 NOT_FOUND`, a wrong method `405 METHOD_NOT_ALLOWED`.',
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'sk_live_… or sk_dev_… API key' },
        embedToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A token from POST /v1/embed/token',
        },
      },
      headers: {
        RateLimitLimit: {
          description: 'Requests allowed per window of 60 seconds.',
          schema: { type: 'integer' },
        },
        RateLimitRemaining: {
          description:
            'At most this many requests are left in the current window (0 on a 429). An upper bound: the limiter is counted per Cloudflare location and the worker sees only its own share.',
          schema: { type: 'integer' },
        },
        RateLimitReset: {
          description:
            'Unix time (seconds) at which the current window ends: a refused caller can retry then.',
          schema: { type: 'integer' },
        },
        RetryAfter: {
          description: 'Seconds to wait at most: the whole window.',
          schema: { type: 'integer' },
        },
        NoStore: {
          description: '`no-store`: the answer carries a token or personal data.',
          schema: { type: 'string' },
        },
      },
      schemas: {
        ErrorCode: {
          type: 'string',
          enum: Object.keys(errorStatus),
          description: Object.entries(errorStatus)
            .map(([code, status]) => `${code}: ${status}`)
            .join('; '),
        },
      },
    },
    paths: {
      '/v1/embed/token': {
        post: {
          operationId: 'createEmbedToken',
          summary: 'Create an embed token',
          description:
            'Judged in this order: authentication, rate limit, request shape, then the checks (program, program status, group, invitation, partnership). A refused request writes nothing.',
          security: [{ apiKey: [] }],
          requestBody: {
            required: true,
            description:
              '`null` for an optional field means "not given". A schema failure answers 400 VALIDATION_ERROR with one detail per bad field: `{ path, field, message }` (`field` repeats `path`).',
            content: {
              'application/json': { schema: schema(embedTokenRequest), examples: token.request },
            },
          },
          responses: withHeaders(
            {
              '201': {
                description: 'A token was issued; earlier tokens of the affiliate stop working.',
                content: {
                  'application/json': {
                    schema: schema(embedTokenResponse),
                    examples: token.success(201),
                  },
                },
              },
              ...errorResponses(tokenErrors, token.errors),
            },
            { ...rateLimitHeaders, ...noStore }
          ),
        },
      },
      '/v1/embed/data': {
        options: {
          operationId: 'embedDataPreflight',
          summary: 'CORS preflight: any origin may read the data with a token',
          responses: {
            '204': {
              description:
                'Access-Control-Allow-Origin: *, methods GET, HEAD, OPTIONS, headers Authorization, X-Request-Id',
            },
          },
        },
        get: {
          operationId: 'getEmbedData',
          summary: 'What the embedded dashboard shows',
          security: [{ embedToken: [] }, {}],
          parameters: [
            {
              name: 'token',
              in: 'query',
              required: false,
              schema: { type: 'string' },
              description: 'The token, when no Authorization header is sent',
            },
          ],
          responses: withHeaders(
            {
              '200': {
                description: 'The dashboard data',
                content: { 'application/json': { schema: schema(embedDataResponse) } },
              },
              ...errorResponses(dataErrors),
            },
            { ...rateLimitHeaders, ...noStore }
          ),
        },
      },
      '/embed': embedPage('embedPage', 'The embedded dashboard page (HTML, for an iframe)'),
      '/embed/referrals': embedPage(
        'embedPageReferrals',
        'The same page at the address of Affonso’s iframe snippet',
        affonsoParameters
      ),
      '/v1/clicks': trackingRoute({
        path: '/v1/clicks',
        operationId: 'createClick',
        summary: 'Record a click captured on your server',
        description:
          'For hosts that read `?via=` themselves. Answers the click id (`clk_…`), signed: a sign-up or sale can name it at once. A crawler’s click gets an id and is not counted.',
        permission: 'write:referrals',
        request: clickRequest,
        success: { '201': { description: 'The click was recorded', schema: clickResponse } },
        errors: [
          'PROGRAM_NOT_FOUND',
          'PROGRAM_NOT_ACTIVE',
          'AFFILIATE_NOT_FOUND',
          'PARTNERSHIP_INACTIVE',
        ],
      }),
      '/v1/signups': trackingRoute({
        path: '/v1/signups',
        operationId: 'createSignup',
        summary: 'Record a sign-up (a referral) from a click',
        description:
          'Creates the referral: the customer, attributed to the click’s affiliate. The same click id again answers 200 with the same referral. A customer is referred once per program (409 with the existing referral’s id in `details.referral_id`). A self-referral is recorded as `rejected`.',
        permission: 'write:referrals',
        request: signupRequest,
        success: {
          '201': { description: 'The referral was created', schema: referralResponse },
          '200': { description: 'The referral this click made before', schema: referralResponse },
        },
        errors: ['CLICK_NOT_FOUND', 'CLICK_EXPIRED', 'CUSTOMER_ALREADY_REFERRED'],
      }),
      '/v1/conversions': trackingRoute({
        path: '/v1/conversions',
        operationId: 'createConversion',
        summary: 'Record a sale and its commission, exactly once',
        description:
          'Amounts are decimal numbers in the program’s currency (`99.00`), with at most its number of decimals. The first request with an `external_event_id` answers 201; any repeat 200 with the same conversion, and a repeat with another amount 409 IDEMPOTENCY_CONFLICT. The commission applies the referral’s locked terms and is pending until `hold_until`.',
        permission: 'write:commissions',
        request: conversionRequest,
        success: {
          '201': { description: 'The sale was recorded', schema: conversionResponse },
          '200': { description: 'The same sale, recorded before', schema: conversionResponse },
        },
        errors: [
          'CLICK_NOT_FOUND',
          'REFERRAL_NOT_FOUND',
          'REFERRAL_MISMATCH',
          'CURRENCY_MISMATCH',
          'IDEMPOTENCY_CONFLICT',
        ],
      }),
      '/v1/conversions/{id}/refund': trackingRoute({
        path: '/v1/conversions/{id}/refund',
        operationId: 'refundConversion',
        summary: 'Refund a sale, in part or whole',
        description:
          'Without `amount`, all that remains. An unpaid commission shrinks in proportion; a paid one stays and a negative clawback (`clawback_amount`) is netted out by the next payout.',
        permission: 'write:commissions',
        request: refundRequest,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        success: {
          '200': { description: 'The sale as it now stands', schema: conversionResponse },
        },
        errors: [
          'CONVERSION_NOT_FOUND',
          'REFUND_EXCEEDS_SALE',
          'ALREADY_REFUNDED',
          'IDEMPOTENCY_CONFLICT',
        ],
      }),
      '/track.js': {
        get: {
          operationId: 'trackingScript',
          summary: 'The tracking script for host pages',
          description:
            '`<script src=".../track.js" data-program="prog_…" defer>`: on a page whose address carries the referral parameter, records a click and keeps the click id in the `embed_click` cookie and `window.embedReferral.clickId`. Attributes: `data-param`, `data-cookie-days`, `data-attribution="first"`, `data-requires-consent`.',
          responses: {
            '200': {
              description: 'The script',
              content: { 'text/javascript': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/embed.js': {
        get: {
          operationId: 'embeddingScript',
          summary: 'The embedding script for host pages',
          description:
            '`<div data-embed-token-url="/api/embed-token" data-theme="dark"></div>` with `<script src=".../embed.js" defer>`, or `window.EmbedDashboard.mount(element, { getToken, theme, lang })`: gets a token (POSTs JSON, same-origin, to `data-embed-token-url`, which answers `{ token }`), frames `/embed?token=…` in the element (or in the `<iframe>` given), sizes it from `embed:ready`, and on `embed:token-expired` gets a new token and reloads the frame (at most 3 times a minute). Accepts messages only from this origin and its own frame; passes them on as DOM events of the same type on the element, and failures as `embed:error`. At most 2 KiB gzip.',
          responses: {
            '200': {
              description: 'The script',
              content: { 'text/javascript': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/v1/track/click': {
        options: {
          operationId: 'trackClickPreflight',
          summary: 'CORS preflight of the click route',
          responses: { '204': { description: 'Allows POST with Content-Type' } },
        },
        post: {
          operationId: 'trackClick',
          summary: 'A click from the tracking script (browsers, no key)',
          description:
            'Answered at the edge and queued; the queue consumer writes clicks in batches. CORS only for the program’s tracking origins (others: 403 ORIGIN_NOT_ALLOWED, nothing recorded). Rate-limited per visitor address. The same visitor on the same affiliate within the clock hour gets the same click id and is counted once; crawlers get an id and are not counted.',
          requestBody: {
            required: true,
            content: {
              'text/plain': {
                schema: {
                  type: 'object',
                  required: ['programId', 'trackingId'],
                  properties: {
                    programId: { type: 'string' },
                    trackingId: { type: 'string' },
                    url: { type: ['string', 'null'] },
                    referrer: { type: ['string', 'null'] },
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          responses: {
            '202': {
              description: 'The click id',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      success: { const: true },
                      data: { type: 'object', properties: { clickId: { type: 'string' } } },
                    },
                  },
                },
              },
            },
            ...errorResponses([
              'ORIGIN_NOT_ALLOWED',
              'RATE_LIMIT_EXCEEDED',
              'UNSUPPORTED_MEDIA_TYPE',
              'PAYLOAD_TOO_LARGE',
              'INVALID_JSON',
              'VALIDATION_ERROR',
              'DATABASE_UNAVAILABLE',
              'METHOD_NOT_ALLOWED',
              'INTERNAL_ERROR',
            ]),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness',
          responses: {
            '200': {
              description: 'The service accepts requests',
              content: { 'application/json': { schema: schema(healthResponse) } },
            },
            ...errorResponses(['METHOD_NOT_ALLOWED']),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          responses: {
            '200': {
              description: 'The OpenAPI document',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
  }
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>
