import * as z from 'zod/mini'
import { errorStatus, type ErrorCode } from '../../errors'
import { embedTokenRequest } from '../schemas/embed-token'
import { embedDataResponse, embedTokenResponse, errorResponse, healthResponse } from '../schemas/responses'
import { tokenExamples } from './examples'

// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the
// document cannot drift from what the routes accept. It is generated ahead of time into
// public/openapi.json (`npm run openapi`), a static asset the worker serves: zod's JSON Schema
// generator would add about 10 KiB gzip to every cold start for a document that changes only
// with the code.

const schema = (s: z.ZodMiniType) => {
  const { $schema: _, ...json } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  return json
}

function errorResponses(codes: ErrorCode[], examples: Record<string, Record<string, unknown>> = {}) {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of codes) byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code])
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
              ...(named.length > 0 ? { examples: Object.fromEntries(named.map(([n, e]) => [n, { value: e.body }])) } : {}),
            },
          },
        },
      ]
    })
  )
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
  const requestExamples = Object.fromEntries(
    Object.entries(tokenExamples).map(([name, e]) => [name, { summary: e.summary, value: e.request }])
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
        embedToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token from POST /v1/embed/token' },
      },
      schemas: {
        ErrorCode: {
          type: 'string',
          enum: Object.keys(errorStatus),
          description: Object.entries(errorStatus).map(([code, status]) => `${code}: ${status}`).join('; '),
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
            content: { 'application/json': { schema: schema(embedTokenRequest), examples: requestExamples } },
          },
          responses: {
            '201': {
              description: 'A token was issued; earlier tokens of the affiliate stop working.',
              content: { 'application/json': { schema: schema(embedTokenResponse), examples: successExamples } },
            },
            ...errorResponses(tokenErrors, errorExamples),
          },
        },
      },
      '/v1/embed/data': {
        options: {
          operationId: 'embedDataPreflight',
          summary: 'CORS preflight: any origin may read the data with a token',
          responses: { '204': { description: 'Access-Control-Allow-Origin: *, methods GET, HEAD, OPTIONS, headers Authorization, X-Request-Id' } },
        },
        get: {
          operationId: 'getEmbedData',
          summary: 'What the embedded dashboard shows',
          security: [{ embedToken: [] }, {}],
          parameters: [
            { name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'The token, when no Authorization header is sent' },
          ],
          responses: {
            '200': { description: 'The dashboard data', content: { 'application/json': { schema: schema(embedDataResponse) } } },
            ...errorResponses(dataErrors),
          },
        },
      },
      '/embed': {
        get: {
          operationId: 'embedPage',
          summary: 'The embedded dashboard page (HTML, for an iframe)',
          description:
            'Renders the dashboard for the token. Framing is allowed only from the program’s embed origins (CSP frame-ancestors). A refused token answers an HTML screen with the API’s status and posts `{ type: "embed:token-expired" }` to the parent; a rendered page posts `{ type: "embed:ready", height }`.',
          parameters: [
            { name: 'token', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'theme', in: 'query', required: false, schema: { type: 'string', enum: ['light', 'dark', 'system'] } },
          ],
          responses: Object.fromEntries(
            [
              ['200', 'The dashboard'],
              ['401', 'INVALID_TOKEN, TOKEN_EXPIRED, TOKEN_REVOKED: the expiry screen'],
              ['403', 'PARTNERSHIP_INACTIVE'],
              ['405', 'METHOD_NOT_ALLOWED'],
              ['409', 'PROGRAM_NOT_ACTIVE'],
              ['429', 'RATE_LIMIT_EXCEEDED'],
              ['500', 'INTERNAL_ERROR'],
              ['503', 'DATABASE_UNAVAILABLE'],
            ].map(([status, description]) => [status, { description, content: { 'text/html': { schema: { type: 'string' } } } }])
          ),
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness',
          responses: {
            '200': { description: 'The service accepts requests', content: { 'application/json': { schema: schema(healthResponse) } } },
            ...errorResponses(['METHOD_NOT_ALLOWED']),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          responses: { '200': { description: 'The OpenAPI document', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  }
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>
