import type { Db } from '../data/db'
import { isTransientFailure, isUniqueViolation, sqlState, toApiError } from '../data/database-errors'
import {
  runIssueEmbedToken,
  TRACKING_ID_CONSTRAINT,
  type IssueEmbedTokenRow,
} from '../data/statements/issue-embed-token'
import type { PartnershipStatus } from '../data/schema'
import { ApiError } from '../errors'
import { signEmbedToken, tokenTimes } from './embed-tokens'
import { newId } from './ids'
import { referralLink } from './referral-link'
import type { SigningKeyRing } from './signing-keys'
import { baseTrackingId, trackingIdCandidates } from './tracking-id'

export interface IssueEmbedTokenInput {
  keyDigest: string
  programId: string
  groupId?: string | undefined
  email: string
  name?: string | undefined
  image?: string | undefined
  externalUserId?: string | undefined
  metadata?: Record<string, unknown> | undefined
}

export interface IssuedEmbedToken {
  publicToken: string
  expiresAt: string
  link: string
  partnershipStatus: 'APPROVED' | 'PENDING'
  // Not part of the response body; for logs and tests.
  keyId: string
  teamId: string
  affiliateId: string
  created: boolean
}

// A clash is a concurrent request taking the same new tracking id between this statement's
// snapshot and its insert. Each retry uses fresh random suffixes, so a further clash needs
// another coincidence; four attempts make a failure practically impossible.
const MAX_ATTEMPTS = 4
// One more try after a dropped connection, a 5xx, a serialization failure or a deadlock.
const MAX_TRANSIENT_RETRIES = 1

function isTrackingIdClash(error: unknown): boolean {
  // 23502: no candidate was free (all offered ids taken), so the insert got a NULL id.
  return isUniqueViolation(error, TRACKING_ID_CONSTRAINT) || sqlState(error) === '23502'
}

export async function issueEmbedToken(
  db: Db,
  keys: SigningKeyRing,
  issuer: string,
  input: IssueEmbedTokenInput,
  nowMs = Date.now()
): Promise<IssuedEmbedToken> {
  const base = baseTrackingId(input.name, input.email)
  const { issuedAt, expiresAt } = tokenTimes(nowMs)
  const tokenId = crypto.randomUUID()
  const common = {
    keyDigest: input.keyDigest,
    programId: input.programId,
    groupId: input.groupId ?? null,
    email: input.email,
    name: input.name ?? null,
    image: input.image ?? null,
    externalUserId: input.externalUserId ?? null,
    metadata: input.metadata ?? null,
    newUserId: newId('usr'),
    newAffiliateId: newId('aff'),
    tokenId,
    issuedAt: new Date(issuedAt * 1000),
    expiresAt: new Date(expiresAt * 1000),
  }

  let row: IssueEmbedTokenRow | undefined
  let transientRetries = 0
  for (let attempt = 0; row === undefined; ) {
    try {
      row = await runIssueEmbedToken(db, {
        ...common,
        trackingIdCandidates: trackingIdCandidates(base, attempt),
      })
    } catch (error) {
      // Safe to repeat: the failed statement was rolled back whole.
      if (isTrackingIdClash(error) && attempt + 1 < MAX_ATTEMPTS) {
        attempt++
        continue
      }
      // Safe to repeat even when the first try did commit and only its answer was lost: the
      // retry sends the same user, affiliate and token ids, and every write is an upsert, so it
      // finds the user and affiliate the first try created (or updates them to the same values)
      // and sets the affiliate's token row to the same token id. Nothing can exist twice, and
      // the token returned is the live one. A timeout is not retried (isTransientFailure).
      if (isTransientFailure(error) && transientRetries < MAX_TRANSIENT_RETRIES) {
        transientRetries++
        continue
      }
      throw toApiError(error)
    }
  }

  if (row.error !== null) throw new ApiError(row.error)
  const { affiliate_id, tracking_id, status, website_url, referral_param, key_id, team_id } = row
  if (
    affiliate_id === null ||
    tracking_id === null ||
    website_url === null ||
    referral_param === null ||
    key_id === null ||
    team_id === null ||
    row.token_id !== tokenId ||
    !isIssuable(status)
  ) {
    throw new Error('issue statement returned an incomplete row')
  }

  const publicToken = await signEmbedToken(keys, issuer, {
    affiliateId: affiliate_id,
    programId: input.programId,
    tokenId,
    issuedAt,
    expiresAt,
  })
  return {
    publicToken,
    expiresAt: common.expiresAt.toISOString(),
    link: referralLink(website_url, referral_param, tracking_id),
    partnershipStatus: status,
    keyId: key_id,
    teamId: team_id,
    affiliateId: affiliate_id,
    created: row.created === true,
  }
}

function isIssuable(status: PartnershipStatus | null): status is 'APPROVED' | 'PENDING' {
  return status === 'APPROVED' || status === 'PENDING'
}
