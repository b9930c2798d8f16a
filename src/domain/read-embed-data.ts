import type { Db } from '../data/db'
import { toApiError } from '../data/database-errors'
import { findEmbedData, type EmbedDataRow } from '../data/statements/embed-data'
import { ApiError } from '../errors'
import type { EmbedTokenClaims } from './embed-tokens'
import { referralLink } from './referral-link'

export interface EmbedData {
  affiliate: { name: string | null; email: string; trackingId: string; avatarUrl: string | null }
  link: string
  partnershipStatus: 'APPROVED' | 'PENDING'
  program: { id: string; name: string }
}

// A verified token opens the dashboard only while it is the affiliate's live token and the
// partnership and program still allow it: status is gated here, not only in the UI.
export async function readEmbedData(db: Db, claims: EmbedTokenClaims): Promise<EmbedData> {
  let row: EmbedDataRow | undefined
  try {
    row = await findEmbedData(db, claims.affiliateId, claims.programId)
  } catch (error) {
    throw toApiError(error)
  }
  if (row === undefined || row.current_token_id !== claims.tokenId) {
    throw new ApiError('TOKEN_REVOKED')
  }
  if (row.program_status !== 'active') throw new ApiError('PROGRAM_NOT_ACTIVE')
  if (row.status !== 'APPROVED' && row.status !== 'PENDING') {
    throw new ApiError('PARTNERSHIP_INACTIVE')
  }
  return {
    affiliate: {
      name: row.user_name,
      email: row.user_email,
      trackingId: row.tracking_id,
      avatarUrl: row.user_image,
    },
    link: referralLink(row.website_url, row.referral_param, row.tracking_id),
    partnershipStatus: row.status,
    program: { id: row.program_id, name: row.program_name },
  }
}
