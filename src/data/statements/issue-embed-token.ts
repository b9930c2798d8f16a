import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { PartnershipStatus } from '../schema'
import type { AuthError } from './api-key-auth'

export const TRACKING_ID_CONSTRAINT = 'affiliates_program_tracking_id_unique'
export const WRITE_AFFILIATES = 'write:affiliates'

export interface IssueEmbedTokenParams {
  keyDigest: string
  programId: string
  groupId: string | null
  email: string
  name: string | null
  image: string | null
  externalUserId: string | null
  metadata: Record<string, unknown> | null
  // Offered in order; the first one not taken in the program is used for a new affiliate.
  trackingIdCandidates: string[]
  newUserId: string
  newAffiliateId: string
  tokenId: string
  issuedAt: Date
  expiresAt: Date
}

export type IssueRefusal =
  | AuthError
  | 'PROGRAM_NOT_FOUND'
  | 'PROGRAM_NOT_ACTIVE'
  | 'GROUP_NOT_FOUND'
  | 'NOT_INVITED'
  | 'PARTNERSHIP_INACTIVE'

export interface IssueEmbedTokenRow extends Record<string, unknown> {
  error: IssueRefusal | null
  key_id: string | null
  team_id: string | null
  affiliate_id: string | null
  tracking_id: string | null
  status: PartnershipStatus | null
  created: boolean | null
  website_url: string | null
  referral_param: string | null
  token_id: string | null
}

// The whole request as ONE statement, so it costs one round trip and commits or rolls back as a
// unit: a call of issue_embed_token_v1 (migrations/0001_statement_functions.sql), where the
// checks, their order, the upserts and their behaviour under races are written down. It is a
// function so that PostgreSQL parses and analyses it once per connection rather than on every
// request.
export async function runIssueEmbedToken(db: Db, p: IssueEmbedTokenParams) {
  const result = await db.execute<IssueEmbedTokenRow>(sql`
    SELECT error, key_id, team_id, affiliate_id, tracking_id, status, created, website_url,
      referral_param, token_id
    FROM issue_embed_token_v1(
      ${p.keyDigest}::text, ${WRITE_AFFILIATES}::text, ${p.programId}::text, ${p.groupId}::text,
      ${p.email}::text, ${p.name}::text, ${p.image}::text, ${p.externalUserId}::text,
      ${p.metadata === null ? null : JSON.stringify(p.metadata)}::jsonb,
      ${JSON.stringify(p.trackingIdCandidates)}::jsonb,
      ${p.newUserId}::text, ${p.newAffiliateId}::text, ${p.tokenId}::uuid,
      ${p.issuedAt.toISOString()}::timestamptz, ${p.expiresAt.toISOString()}::timestamptz
    )
  `)
  const row = result.rows[0]
  if (row === undefined) throw new Error('issue statement returned no row')
  return row
}
