import * as z from 'zod/mini'
import { errorStatus, type ErrorCode } from '../../errors'
import { embedTokenRequest } from '../../domain/embed-token-request'
import {
  embedDataResponse,
  embedTokenResponse,
  errorResponse,
  healthResponse,
} from '../schemas/responses'
import { tokenExamples } from './examples'

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

// Affonso's iframe parameters: accepted, and (today) without effect.
const affonsoParameters = [
  'bg',
  'lang',
  'showHeader',
  'showRewards',
  'showReports',
  'showResources',
  'enableQRCode',
  'padding',
].map((name) => ({
  name,
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description: 'Accepted for Affonso’s iframe snippet; it changes nothing on this page yet.',
}))

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
  const requestExamples = Object.fromEntries(
    Object.entries(tokenExamples).map(([name, e]) => [
      name,
      { summary: e.summary, value: e.request },
    ])
  )
  const errorExamples = Object.fromEntries(
    Object.entries(tokenExamples)
      .filter(([, e]) => e.status !== 201)
      .map(([name, e]) => [name, { status: e.status, body: e.response }])
  )
  const successExamples = Object.fromEntries(
    Object.entries(tokenExamples)
      .filter(([, e]) => e.status === 201)
      .map(([name, e]) => [name, { value: e.response }])
  )
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
              'application/json': { schema: schema(embedTokenRequest), examples: requestExamples },
            },
          },
          responses: withHeaders(
            {
              '201': {
                description: 'A token was issued; earlier tokens of the affiliate stop working.',
                content: {
                  'application/json': {
                    schema: schema(embedTokenResponse),
                    examples: successExamples,
                  },
                },
              },
              ...errorResponses(tokenErrors, errorExamples),
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
