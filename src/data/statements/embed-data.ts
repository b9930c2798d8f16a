import { sql } from 'drizzle-orm'
import type { Db } from '../db'
import type { PartnershipStatus, ProgramStatus } from '../schema'

export interface EmbedDataRow extends Record<string, unknown> {
  current_token_id: string
  affiliate_id: string
  tracking_id: string
  status: PartnershipStatus
  user_name: string | null
  user_email: string
  user_image: string | null
  program_id: string
  program_name: string
  program_status: ProgramStatus
  website_url: string
  referral_param: string
  logo_url: string | null
  primary_color: string | null
  background_color: string | null
  allowed_embed_origins: string[]
  group_id: string
  group_name: string
}

// Everything the dashboard shows, found from the token's affiliate and program, in one query.
// The row's current token id tells whether the presented token is still the live one.
export async function findEmbedData(db: Db, affiliateId: string, programId: string) {
  const result = await db.execute<EmbedDataRow>(sql`
    SELECT t.token_id AS current_token_id,
      a.id AS affiliate_id, a.tracking_id, a.status,
      u.name AS user_name, u.email AS user_email, u.image AS user_image,
      p.id AS program_id, p.name AS program_name, p.status AS program_status,
      p.website_url, p.referral_param, p.logo_url, p.primary_color, p.background_color,
      p.allowed_embed_origins, g.id AS group_id, g.name AS group_name
    FROM embed_tokens t
    JOIN affiliates a ON a.id = t.affiliate_id
    JOIN users u ON u.id = a.user_id
    JOIN programs p ON p.id = a.program_id
    JOIN groups g ON g.id = a.group_id
    WHERE t.affiliate_id = ${affiliateId}::text AND t.program_id = ${programId}::text
  `)
  return result.rows[0]
}
