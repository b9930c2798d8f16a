import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { PartnershipStatus } from '../schema'
import type { AuthError } from './api-key-auth'
import { type Outcome, onlyRow, present } from './outcome'

export const TRACKING_ID_CONSTRAINT = 'affiliates_program_tracking_id_unique'

// The arguments of issue_embed_token_v3, by name. Optional request fields are null when not given.
export interface IssueEmbedTokenArgs {
  keyDigest: string
  permission: string
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

export type EmbedTokenIssued = Outcome<
  IssueRefusal,
  {
    keyId: string
    teamId: string
    affiliateId: string
    trackingId: string
    status: 'APPROVED' | 'PENDING'
    websiteUrl: string
    referralParam: string
    tokenId: string
  }
>

interface IssueEmbedTokenRow extends Record<string, unknown> {
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
// unit: a call of issue_embed_token_v3 (migrations/0009_token_statement_v3.sql), where the
// checks, their order, the upserts and their behaviour under races are written down. It is a
// function so that PostgreSQL parses and analyses it once per connection rather than on every
// request.
export async function runIssueEmbedToken(
  db: Db,
  a: IssueEmbedTokenArgs
): Promise<EmbedTokenIssued> {
  const result = await db.execute<IssueEmbedTokenRow>(sql`
    SELECT error, key_id, team_id, affiliate_id, tracking_id, status, created, website_url,
      referral_param, token_id
    FROM issue_embed_token_v3(
      p_key_digest => ${a.keyDigest}::text,
      p_permission => ${a.permission}::text,
      p_program_id => ${a.programId}::text,
      p_group_id => ${a.groupId}::text,
      p_email => ${a.email}::text,
      p_name => ${a.name}::text,
      p_image => ${a.image}::text,
      p_external_user_id => ${a.externalUserId}::text,
      p_metadata => ${a.metadata === null ? null : JSON.stringify(a.metadata)}::jsonb,
      p_tracking_id_candidates => ${JSON.stringify(a.trackingIdCandidates)}::jsonb,
      p_new_user_id => ${a.newUserId}::text,
      p_new_affiliate_id => ${a.newAffiliateId}::text,
      p_token_id => ${a.tokenId}::uuid,
      p_issued_at => ${a.issuedAt.toISOString()}::timestamptz,
      p_expires_at => ${a.expiresAt.toISOString()}::timestamptz
    )
  `)
  const row = onlyRow(result.rows, 'issue_embed_token_v3')
  if (row.error !== null) return { refused: row.error }
  const status = row.status
  if (status !== 'APPROVED' && status !== 'PENDING') {
    throw new Error(`issue_embed_token_v3 issued a token for status ${status}`)
  }
  return {
    refused: null,
    keyId: present(row.key_id, 'key_id'),
    teamId: present(row.team_id, 'team_id'),
    affiliateId: present(row.affiliate_id, 'affiliate_id'),
    trackingId: present(row.tracking_id, 'tracking_id'),
    status,
    websiteUrl: present(row.website_url, 'website_url'),
    referralParam: present(row.referral_param, 'referral_param'),
    tokenId: present(row.token_id, 'token_id'),
  }
}
