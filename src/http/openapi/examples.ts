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
