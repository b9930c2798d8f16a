import * as z from 'zod/mini'
import { DECLINE_REASONS } from '../../domain/commission-basis'
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
    // docs/TRACKING.md, "What the dashboard shows": amounts in major units of `currency`.
    currency: z.string(),
    asOf: z.iso.datetime(),
    rewards: z.object({
      type: z.enum(['percentage', 'fixed']),
      amount: z.number(),
      duration: z.string(),
      holdDays: z.int(),
      leadReward: z.nullable(z.number()),
    }),
    stats: z.object({
      clicks: z.int(),
      leads: z.int(),
      sales: z.int(),
      salesAmount: z.number(),
      earnings: z.object({ pending: z.number(), approved: z.number(), paid: z.number() }),
    }),
    activity: z.array(
      z.object({ date: z.iso.date(), clicks: z.int(), leads: z.int(), sales: z.int() })
    ),
    earnings: z.array(
      z.object({
        id: z.string(),
        customerId: z.string(),
        date: z.iso.datetime(),
        amount: z.nullable(z.number()),
        commission: z.number(),
        status: z.enum(['pending', 'approved', 'paid', 'refunded', 'declined']),
        holdUntil: z.nullable(z.iso.datetime()),
        // In English; `basis` holds its parts, for a client that words it in another language.
        explanation: z.string(),
        basis: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('percentage'), percent: z.number(), base: z.number() }),
          z.object({ kind: z.literal('fixed'), amount: z.number() }),
          z.object({ kind: z.literal('lead') }),
          z.object({ kind: z.literal('clawback'), refund: z.number() }),
          z.object({
            kind: z.literal('declined'),
            reason: z.nullable(z.enum(DECLINE_REASONS)),
          }),
        ]),
      })
    ),
    coupon: z.null(),
    couponBlueprint: z.null(),
    creatives: z.array(z.never()),
    incentives: z.array(z.never()),
    portalUrl: z.null(),
  }),
})

export const healthResponse = z.object({ status: z.literal('ok') })

export function errorResponse(codes: readonly ErrorCode[]) {
  return z.object({
    success: z.literal(false),
    error: z.object({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      // One entry per bad field for VALIDATION_ERROR; the other referral's id for
      // CUSTOMER_ALREADY_REFERRED.
      details: z.optional(
        z.union([
          z.array(z.object({ path: z.string(), field: z.string(), message: z.string() })),
          z.object({ referral_id: z.string() }),
        ])
      ),
      retryAfter: z.optional(z.int()),
    }),
  })
}

// The tracking routes (docs/TRACKING.md).

export const clickResponse = z.object({
  success: z.literal(true),
  data: z.object({
    id: z.string(),
    trackingId: z.string(),
    programId: z.string(),
    createdAt: z.iso.datetime(),
  }),
})

export const referralResponse = z.object({
  success: z.literal(true),
  data: z.object({
    id: z.string(),
    affiliate_id: z.string(),
    program_id: z.string(),
    click_id: z.string(),
    email: z.nullable(z.string()),
    external_user_id: z.nullable(z.string()),
    customer_id: z.nullable(z.string()),
    name: z.nullable(z.string()),
    status: z.enum(['lead', 'customer', 'rejected']),
    rejection_reason: z.nullable(z.string()),
    created_at: z.iso.datetime(),
    converted_at: z.nullable(z.iso.datetime()),
  }),
})

export const conversionResponse = z.object({
  success: z.literal(true),
  data: z.object({
    id: z.string(),
    referral_id: z.string(),
    affiliate_id: z.string(),
    program_id: z.string(),
    external_event_id: z.string(),
    sale_amount: z.number(),
    sale_amount_currency: z.string(),
    refunded_amount: z.number(),
    sales_status: z.enum(['complete', 'partial_refunded', 'refunded']),
    commission_id: z.nullable(z.string()),
    commission_amount: z.nullable(z.number()),
    commission_currency: z.string(),
    commission_status: z.nullable(z.enum(['pending', 'approved', 'paid', 'refunded', 'declined'])),
    decline_reason: z.optional(z.string()),
    hold_until: z.nullable(z.iso.datetime()),
    created_at: z.iso.datetime(),
    clawback_amount: z.optional(z.number()),
  }),
})
