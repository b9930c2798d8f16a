import type { ErrorCode } from '../../errors'

// Examples of the document, each with the answer the live route gives. The OpenAPI test sends
// every request (with `prog_example` replaced by a real program) and checks the status and code.
export interface TokenExample {
  summary: string
  request: unknown
  status: number
  response: unknown
}

const refused = (
  code: ErrorCode,
  message: string,
  details?: { path: string; message: string }[]
) => ({
  success: false,
  error: {
    code,
    message,
    ...(details
      ? { details: details.map((d) => ({ path: d.path, field: d.path, message: d.message })) }
      : {}),
  },
})

export const tokenExamples: Record<string, TokenExample> = {
  newAffiliate: {
    summary: 'A new affiliate of a public program',
    request: {
      programId: 'prog_example',
      partner: {
        email: 'jose@example.com',
        name: 'José Müller',
        image: 'https://cdn.example.com/jose.png',
      },
      externalUserId: 'user_42',
      metadata: { plan: 'pro' },
    },
    status: 201,
    response: {
      success: true,
      data: {
        publicToken:
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJwaWQiOiJwcm9nX2V4YW1wbGUifQ.c2lnbmF0dXJl',
        expiresAt: '2026-01-15T10:30:00.000Z',
        link: 'https://acme.com/?via=jose-muller',
        partnershipStatus: 'APPROVED',
      },
    },
  },
  invalidFields: {
    summary: 'Every bad field is named',
    request: {
      programId: 'prog_example',
      partner: { email: 'not-an-email', image: 'ftp://x' },
      color: 'red',
    },
    status: 400,
    response: refused('VALIDATION_ERROR', 'The request body is not valid.', [
      { path: 'partner.email', message: 'must be a valid email address' },
      { path: 'partner.image', message: 'must be an absolute https: URL' },
      { path: 'color', message: 'is not a known field' },
    ]),
  },
  unknownProgram: {
    summary: 'A program that is not the team’s',
    request: { programId: 'prog_unknown', partner: { email: 'jose@example.com' } },
    status: 404,
    response: refused('PROGRAM_NOT_FOUND', 'No program with this id exists.'),
  },
  unknownGroup: {
    summary: 'A group that is not the program’s',
    request: {
      programId: 'prog_example',
      groupId: 'grp_unknown',
      partner: { email: 'jose@example.com' },
    },
    status: 404,
    response: refused('GROUP_NOT_FOUND', 'No group with this id exists in the program.'),
  },
}

// The tracking routes' examples. Placeholders the OpenAPI test replaces with a fresh tenant's
// values: `prog_example` (its program), `jane-doe` (an affiliate's tracking id), `clk_example` (a
// click of that affiliate) and `cnv_example` (a sale of 99.00 through that click).
const conversion = (values: Record<string, unknown>) => ({
  success: true,
  data: {
    id: 'cnv_example',
    referral_id: 'ref_example',
    affiliate_id: 'aff_example',
    program_id: 'prog_example',
    external_event_id: 'in_1NqX2e',
    sale_amount: 99,
    sale_amount_currency: 'USD',
    refunded_amount: 0,
    sales_status: 'complete',
    commission_id: 'com_example',
    commission_amount: 19.8,
    commission_currency: 'USD',
    commission_status: 'pending',
    hold_until: '2026-02-14T10:30:00.000Z',
    created_at: '2026-01-15T10:30:00.000Z',
    ...values,
  },
})

export const trackingExamples: Record<string, Record<string, TokenExample>> = {
  '/v1/clicks': {
    click: {
      summary: 'A click your server captured',
      request: { programId: 'prog_example', trackingId: 'jane-doe', utmSource: 'newsletter' },
      status: 201,
      response: {
        success: true,
        data: {
          id: 'clk_example',
          trackingId: 'jane-doe',
          programId: 'prog_example',
          createdAt: '2026-01-15T10:30:00.000Z',
        },
      },
    },
    unknownAffiliate: {
      summary: 'A tracking id no affiliate of the program has',
      request: { programId: 'prog_example', trackingId: 'nobody' },
      status: 404,
      response: refused('AFFILIATE_NOT_FOUND', 'No affiliate of the program has this tracking id.'),
    },
  },
  '/v1/signups': {
    signup: {
      summary: 'A sign-up from a click',
      request: {
        click_id: 'clk_example',
        email: 'customer@example.com',
        external_user_id: 'user_42',
      },
      status: 201,
      response: {
        success: true,
        data: {
          id: 'ref_example',
          affiliate_id: 'aff_example',
          program_id: 'prog_example',
          click_id: 'clk_example',
          email: 'customer@example.com',
          external_user_id: 'user_42',
          customer_id: null,
          name: null,
          status: 'lead',
          rejection_reason: null,
          created_at: '2026-01-15T10:30:00.000Z',
          converted_at: null,
        },
      },
    },
    forgedClick: {
      summary: 'A click id this service did not sign',
      request: { click_id: 'clk_forged', email: 'customer@example.com' },
      status: 404,
      response: refused('CLICK_NOT_FOUND', 'No click with this id exists for this API key.'),
    },
  },
  '/v1/conversions': {
    sale: {
      summary: 'A sale of 99.00 through a click',
      request: {
        external_event_id: 'in_1NqX2e',
        sale_amount: 99,
        click_id: 'clk_example',
        customer_id: 'cus_Q1',
      },
      status: 201,
      response: conversion({}),
    },
    tooManyDecimals: {
      summary: 'More decimals than the currency has',
      request: { external_event_id: 'in_1NqX2f', sale_amount: 99.001, click_id: 'clk_example' },
      status: 400,
      response: refused('VALIDATION_ERROR', 'The request body is not valid.', [
        { path: 'sale_amount', message: 'must have at most 2 decimals for USD' },
      ]),
    },
    otherCurrency: {
      summary: "A sale in another currency than the program's",
      request: {
        external_event_id: 'in_1NqX2g',
        sale_amount: 99,
        sale_amount_currency: 'EUR',
        click_id: 'clk_example',
      },
      status: 422,
      response: refused('CURRENCY_MISMATCH', "The sale's currency is not the program's."),
    },
  },
  '/v1/conversions/{id}/refund': {
    partialRefund: {
      summary: 'Half of a 99.00 sale refunded: the commission halves',
      request: { amount: 49.5, external_event_id: 're_1NqX3a' },
      status: 200,
      response: conversion({
        refunded_amount: 49.5,
        sales_status: 'partial_refunded',
        commission_amount: 9.9,
      }),
    },
    tooMuch: {
      summary: 'More than remains of the sale',
      request: { amount: 100 },
      status: 422,
      response: refused(
        'REFUND_EXCEEDS_SALE',
        'The refund is larger than what remains of the sale.'
      ),
    },
  },
}
