import * as z from 'zod/mini'
import type { ErrorCode } from '../../errors'

// Response shapes, for the OpenAPI document: the handlers build these bodies directly.

export const embedTokenResponse = z.object({
  success: z.literal(true),
  data: z.object({
    publicToken: z.string(),
    expiresAt: z.iso.datetime(),
    link: z.url(),
    partnershipStatus: z.enum(['APPROVED', 'PENDING']),
  }),
})

export const embedDataResponse = z.object({
  success: z.literal(true),
  data: z.object({
    affiliate: z.object({
      name: z.nullable(z.string()),
      email: z.string(),
      trackingId: z.string(),
      avatarUrl: z.nullable(z.string()),
    }),
    link: z.url(),
    websiteUrl: z.url(),
    partnershipStatus: z.enum(['APPROVED', 'PENDING']),
    program: z.object({ id: z.string(), name: z.string(), logoUrl: z.nullable(z.url()) }),
    group: z.object({ id: z.string(), name: z.string() }),
    theme: z.object({
      primaryColor: z.nullable(z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/))),
      backgroundColor: z.nullable(z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/))),
    }),
  }),
})

export const healthResponse = z.object({ status: z.literal('ok') })

export function errorResponse(codes: readonly ErrorCode[]) {
  return z.object({
    success: z.literal(false),
    error: z.object({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.optional(
        z.array(z.object({ path: z.string(), field: z.string(), message: z.string() }))
      ),
      retryAfter: z.optional(z.int()),
    }),
  })
}
