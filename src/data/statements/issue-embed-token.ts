import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { PartnershipStatus } from '../schema'
import { apiKeyAuthCtes, type AuthError } from './api-key-auth'

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

// The whole request as ONE statement, so it costs one round trip and commits or rolls back as
// a unit. Reads come first (key, program, group, existing user and affiliate, invitation) and
// give `verdict`, the first failed check in the contract's order; every write is guarded by an
// empty verdict, so a refused request writes nothing.
//
// Writes are upserts, which stay correct when requests race (a loser of a conflict waits for the
// winner's commit and then updates the winner's row): the user by email, the affiliate by
// (user, program), the token by affiliate (one live token per affiliate is the primary key, so
// racing requests cannot leave several alive). A new affiliate whose tracking id a concurrent
// request took first fails on the tracking-id constraint; the caller retries with new candidates.
export async function runIssueEmbedToken(db: Db, p: IssueEmbedTokenParams) {
  const result = await db.execute<IssueEmbedTokenRow>(sql`
    WITH ${apiKeyAuthCtes(p.keyDigest, WRITE_AFFILIATES)},
    prog AS (
      SELECT pr.id, pr.status, pr.access_mode, pr.default_group_id, pr.website_url, pr.referral_param
      FROM programs pr JOIN auth a ON a.error IS NULL AND pr.team_id = a.team_id
      WHERE pr.id = ${p.programId}::text
    ),
    grp AS (
      SELECT g.id FROM groups g JOIN prog ON g.program_id = prog.id
      WHERE g.id = COALESCE(${p.groupId}::text, prog.default_group_id)
    ),
    existing_user AS (SELECT id FROM users WHERE email = ${p.email}::text),
    existing_affiliate AS (
      SELECT af.id, af.status FROM affiliates af
      JOIN existing_user u ON af.user_id = u.id JOIN prog ON af.program_id = prog.id
    ),
    invitation AS (
      SELECT i.id FROM program_invitations i JOIN prog ON i.program_id = prog.id
      WHERE i.email = ${p.email}::text
    ),
    verdict AS (
      SELECT COALESCE(auth.error, CASE
          WHEN prog.id IS NULL THEN 'PROGRAM_NOT_FOUND'
          WHEN prog.status <> 'active' THEN 'PROGRAM_NOT_ACTIVE'
          WHEN grp.id IS NULL THEN 'GROUP_NOT_FOUND'
          WHEN ea.id IS NULL AND prog.access_mode = 'invite' AND invitation.id IS NULL
            THEN 'NOT_INVITED'
          WHEN ea.id IS NOT NULL AND ea.status NOT IN ('APPROVED', 'PENDING')
            THEN 'PARTNERSHIP_INACTIVE'
        END) AS error
      FROM auth
      LEFT JOIN prog ON true LEFT JOIN grp ON true
      LEFT JOIN existing_affiliate ea ON true LEFT JOIN invitation ON true
    ),
    upserted_user AS (
      INSERT INTO users (id, email, name, image)
      SELECT ${p.newUserId}::text, ${p.email}::text, ${p.name}::text, ${p.image}::text
      FROM verdict WHERE verdict.error IS NULL
      -- The no-op update locks and returns the existing row, also when a concurrent request
      -- created it after this statement's snapshot was taken.
      ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
      RETURNING id
    ),
    tracking_id AS (
      SELECT c.value FROM jsonb_array_elements_text(${JSON.stringify(p.trackingIdCandidates)}::jsonb)
        WITH ORDINALITY AS c(value, ord)
      WHERE NOT EXISTS (
        SELECT 1 FROM affiliates x WHERE x.program_id = ${p.programId}::text AND x.tracking_id = c.value
      )
      ORDER BY c.ord LIMIT 1
    ),
    upserted_affiliate AS (
      INSERT INTO affiliates AS af
        (id, user_id, program_id, group_id, tracking_id, external_user_id, metadata, status)
      SELECT ${p.newAffiliateId}::text, u.id, prog.id, grp.id, tracking_id.value,
        ${p.externalUserId}::text, ${p.metadata === null ? null : JSON.stringify(p.metadata)}::jsonb,
        (CASE prog.access_mode WHEN 'private' THEN 'PENDING' ELSE 'APPROVED' END)::partnership_status
      FROM upserted_user u CROSS JOIN prog CROSS JOIN grp LEFT JOIN tracking_id ON true
      -- A returning affiliate keeps group, status and tracking id; externalUserId and metadata
      -- are replaced when given (NULL means "not given": the API refuses explicit nulls).
      ON CONFLICT (user_id, program_id) DO UPDATE SET
        external_user_id = COALESCE(EXCLUDED.external_user_id, af.external_user_id),
        metadata = COALESCE(EXCLUDED.metadata, af.metadata),
        updated_at = now()
      -- Re-checked on the row as committed: a concurrent suspension wins over this request.
      WHERE af.status IN ('APPROVED', 'PENDING')
      RETURNING af.id, af.tracking_id, af.status, (af.xmax = 0) AS created
    ),
    accepted_invitation AS (
      UPDATE program_invitations SET accepted_at = now()
      WHERE id = (SELECT id FROM invitation) AND accepted_at IS NULL
        AND EXISTS (SELECT 1 FROM upserted_affiliate WHERE created)
      RETURNING id
    ),
    token AS (
      INSERT INTO embed_tokens (affiliate_id, token_id, program_id, issued_at, expires_at)
      SELECT ua.id, ${p.tokenId}::uuid, ${p.programId}::text,
        ${p.issuedAt.toISOString()}::timestamptz, ${p.expiresAt.toISOString()}::timestamptz
      FROM upserted_affiliate ua
      ON CONFLICT (affiliate_id) DO UPDATE SET
        token_id = EXCLUDED.token_id, program_id = EXCLUDED.program_id,
        issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at
      RETURNING token_id
    )
    SELECT
      COALESCE(verdict.error, CASE WHEN ua.id IS NULL THEN 'PARTNERSHIP_INACTIVE' END) AS error,
      auth.key_id, auth.team_id,
      ua.id AS affiliate_id, ua.tracking_id, ua.status, ua.created,
      prog.website_url, prog.referral_param, token.token_id
    FROM verdict CROSS JOIN auth
    LEFT JOIN upserted_affiliate ua ON true LEFT JOIN prog ON true LEFT JOIN token ON true
  `)
  const row = result.rows[0]
  if (row === undefined) throw new Error('issue statement returned no row')
  return row
}
