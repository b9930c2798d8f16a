import type { Db } from '../data/db'
import { isUniqueViolation, sqlState } from '../data/database-errors'
import { retryTransient } from '../data/retry'
import type { KeyCheck } from '../data/statements/api-key-auth'
import { runIssueEmbedToken, TRACKING_ID_CONSTRAINT } from '../data/statements/issue-embed-token'
import { ApiError } from '../errors'
import type { EmbedTokenRequest } from './embed-token-request'
import { signEmbedToken, tokenTimes } from './embed-tokens'
import { newId } from './ids'
import { referralLink } from './referral-link'
import type { SigningKeyRing } from './signing-keys'
import { baseTrackingId, trackingIdCandidates } from './tracking-id'

export interface IssuedEmbedToken {
  // The response body's `data`.
  response: {
    publicToken: string
    expiresAt: string
    link: string
    partnershipStatus: 'APPROVED' | 'PENDING'
  }
  // Who was served, for the access log.
  principal: { teamId: string; keyId: string }
}

// A clash is a concurrent request taking the same new tracking id between this statement's
// snapshot and its insert. Each retry uses fresh random suffixes, so a further clash needs
// another coincidence; four attempts make a failure practically impossible.
const MAX_TRACKING_ID_ATTEMPTS = 4

function isTrackingIdClash(error: unknown): boolean {
  // 23502: no candidate was free (all offered ids taken), so the insert got a NULL id.
  return isUniqueViolation(error, TRACKING_ID_CONSTRAINT) || sqlState(error) === '23502'
}

// Safe to repeat: the failed statement was rolled back whole.
async function retryTrackingIdClash<T>(attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      if (!isTrackingIdClash(error) || n + 1 >= MAX_TRACKING_ID_ATTEMPTS) throw error
    }
  }
}

export async function issueEmbedToken(
  db: Db,
  keys: SigningKeyRing,
  issuer: string,
  key: KeyCheck,
  request: EmbedTokenRequest,
  nowMs = Date.now()
): Promise<IssuedEmbedToken> {
  const { partner } = request
  const base = baseTrackingId(partner.name ?? undefined, partner.email)
  const { issuedAt, expiresAt } = tokenTimes(nowMs)
  const tokenId = crypto.randomUUID()
  const args = {
    keyDigest: key.digest,
    permission: key.permission,
    programId: request.programId,
    groupId: request.groupId ?? null,
    email: partner.email,
    name: partner.name ?? null,
    image: partner.image ?? null,
    externalUserId: request.externalUserId ?? null,
    metadata: request.metadata ?? null,
    newUserId: newId('usr'),
    newAffiliateId: newId('aff'),
    tokenId,
    issuedAt: new Date(issuedAt * 1000),
    expiresAt: new Date(expiresAt * 1000),
  }

  const issued = await retryTrackingIdClash((attempt) =>
    // Safe to repeat even when the first try did commit and only its answer was lost: the retry
    // sends the same user, affiliate and token ids, and every write is an upsert, so it finds
    // the user and affiliate the first try created (or updates them to the same values) and
    // sets the affiliate's token row to the same token id. Nothing can exist twice, and the
    // token returned is the live one.
    retryTransient(() =>
      runIssueEmbedToken(db, { ...args, trackingIdCandidates: trackingIdCandidates(base, attempt) })
    )
  )
  if (issued.refused !== null) throw new ApiError(issued.refused)

  const publicToken = await signEmbedToken(keys, issuer, {
    affiliateId: issued.affiliateId,
    programId: request.programId,
    tokenId,
    issuedAt,
    expiresAt,
  })
  return {
    response: {
      publicToken,
      expiresAt: args.expiresAt.toISOString(),
      link: referralLink(issued.websiteUrl, issued.referralParam, issued.trackingId),
      partnershipStatus: issued.status,
    },
    principal: { teamId: issued.teamId, keyId: issued.keyId },
  }
}
