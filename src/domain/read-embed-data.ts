import type { Db } from '../data/db'
import { isTransientFailure, toApiError } from '../data/database-errors'
import { findEmbedData, type EmbedDataRow } from '../data/statements/embed-data'
import { ApiError } from '../errors'
import type { EmbedTokenClaims } from './embed-tokens'
import { referralLink } from './referral-link'

export interface EmbedData {
  affiliate: { name: string | null; email: string; trackingId: string; avatarUrl: string | null }
  link: string
  websiteUrl: string
  partnershipStatus: 'APPROVED' | 'PENDING'
  program: { id: string; name: string; logoUrl: string | null }
  group: { id: string; name: string }
  // The program's colours (`#rrggbb`), or null where the program has none.
  theme: { primaryColor: string | null; backgroundColor: string | null }
}

// What the embedded page needs besides the data: the origins allowed to frame it.
export interface EmbedView {
  data: EmbedData
  embedOrigins: string[]
}

// A verified token opens the dashboard only while it is the affiliate's live token and the
// partnership and program still allow it: status is gated here, not only in the UI.
export async function readEmbedView(db: Db, claims: EmbedTokenClaims): Promise<EmbedView> {
  let row: EmbedDataRow | undefined
  try {
    row = await findEmbedData(db, claims.affiliateId, claims.programId)
  } catch (error) {
    // A read: sending it once more after a dropped connection or a 5xx changes nothing.
    if (!isTransientFailure(error)) throw toApiError(error)
    try {
      row = await findEmbedData(db, claims.affiliateId, claims.programId)
    } catch (again) {
      throw toApiError(again)
    }
  }
  if (row === undefined || row.current_token_id !== claims.tokenId) {
    throw new ApiError('TOKEN_REVOKED')
  }
  if (row.program_status !== 'active') throw new ApiError('PROGRAM_NOT_ACTIVE')
  if (row.status !== 'APPROVED' && row.status !== 'PENDING') {
    throw new ApiError('PARTNERSHIP_INACTIVE')
  }
  return {
    data: {
      affiliate: {
        name: row.user_name,
        email: row.user_email,
        trackingId: row.tracking_id,
        avatarUrl: row.user_image,
      },
      link: referralLink(row.website_url, row.referral_param, row.tracking_id),
      websiteUrl: row.website_url,
      partnershipStatus: row.status,
      program: { id: row.program_id, name: row.program_name, logoUrl: row.logo_url },
      group: { id: row.group_id, name: row.group_name },
      theme: { primaryColor: row.primary_color, backgroundColor: row.background_color },
    },
    embedOrigins: row.allowed_embed_origins,
  }
}

export async function readEmbedData(db: Db, claims: EmbedTokenClaims): Promise<EmbedData> {
  return (await readEmbedView(db, claims)).data
}
