import { and, eq } from 'drizzle-orm'
import type { Db } from '../../../src/data/db'
import {
  affiliates,
  apiKeys,
  embedTokens,
  groups,
  programInvitations,
  programs,
  users,
} from '../../../src/data/schema'
import type { EmbedTokenRequest } from '../../../src/domain/embed-token-request'
import { signEmbedToken, tokenTimes } from '../../../src/domain/embed-tokens'
import { newId } from '../../../src/domain/ids'
import { PERMISSIONS } from '../../../src/domain/permissions'
import { referralLink } from '../../../src/domain/referral-link'
import type { SigningKeyRing } from '../../../src/domain/signing-keys'
import { baseTrackingId, trackingIdCandidates } from '../../../src/domain/tracking-id'
import { ApiError } from '../../../src/errors'

// The chain of POST /v1/embed/token as it is usually written: one Drizzle query per step, each
// a round trip to the database. It exists only to be measured against the product's single
// statement (src/data/statements/issue-embed-token.ts).
//
// It is deliberately the plain version: no transaction (the Neon HTTP driver has no interactive
// ones), so it lacks the product's atomicity and race handling. Adding them would cost more
// round trips, so the comparison flatters the baseline, never the product.

export interface BaselineIssued {
  publicToken: string
  expiresAt: string
  link: string
  partnershipStatus: 'APPROVED' | 'PENDING'
}

export async function issueStepByStep(
  db: Db,
  keys: SigningKeyRing,
  issuer: string,
  keyDigest: string,
  request: EmbedTokenRequest
): Promise<BaselineIssued> {
  // 1. The API key.
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.digest, keyDigest)).limit(1)
  if (key === undefined) throw new ApiError('INVALID_API_KEY')
  if (key.disabled) throw new ApiError('API_KEY_DISABLED')
  if (key.expiresAt !== null && key.expiresAt.getTime() <= Date.now())
    throw new ApiError('API_KEY_EXPIRED')
  if (!key.permissions.includes(PERMISSIONS.writeAffiliates))
    throw new ApiError('INSUFFICIENT_PERMISSIONS')

  // 2. The program, within the key's team.
  const [program] = await db
    .select()
    .from(programs)
    .where(and(eq(programs.id, request.programId), eq(programs.teamId, key.teamId)))
    .limit(1)
  if (program === undefined) throw new ApiError('PROGRAM_NOT_FOUND')
  if (program.status !== 'active') throw new ApiError('PROGRAM_NOT_ACTIVE')

  // 3. The group.
  const [group] = await db
    .select({ id: groups.id })
    .from(groups)
    .where(
      and(
        eq(groups.id, request.groupId ?? program.defaultGroupId),
        eq(groups.programId, program.id)
      )
    )
    .limit(1)
  if (group === undefined) throw new ApiError('GROUP_NOT_FOUND')

  // 4. The user, and (5.) the affiliate when the user exists.
  let [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, request.partner.email))
    .limit(1)
  let [affiliate] =
    user === undefined
      ? []
      : await db
          .select()
          .from(affiliates)
          .where(and(eq(affiliates.userId, user.id), eq(affiliates.programId, program.id)))
          .limit(1)

  // 6. The invitation, only where it matters.
  let invitationId: string | undefined
  if (affiliate === undefined && program.accessMode === 'invite') {
    const [invitation] = await db
      .select({ id: programInvitations.id })
      .from(programInvitations)
      .where(
        and(
          eq(programInvitations.programId, program.id),
          eq(programInvitations.email, request.partner.email)
        )
      )
      .limit(1)
    if (invitation === undefined) throw new ApiError('NOT_INVITED')
    invitationId = invitation.id
  }
  if (
    affiliate !== undefined &&
    affiliate.status !== 'APPROVED' &&
    affiliate.status !== 'PENDING'
  ) {
    throw new ApiError('PARTNERSHIP_INACTIVE')
  }

  // 7. Create the user.
  if (user === undefined) {
    ;[user] = await db
      .insert(users)
      .values({ id: newId('usr'), email: request.partner.email })
      .returning({ id: users.id })
    if (user === undefined) throw new Error('user insert returned no row')
  }

  if (affiliate === undefined) {
    // 8. A free tracking id: one uniqueness check per candidate tried.
    const candidates = trackingIdCandidates(
      baseTrackingId(request.partner.name ?? undefined, request.partner.email),
      0
    )
    let trackingId: string | undefined
    for (const candidate of candidates) {
      const [taken] = await db
        .select({ id: affiliates.id })
        .from(affiliates)
        .where(and(eq(affiliates.programId, program.id), eq(affiliates.trackingId, candidate)))
        .limit(1)
      if (taken === undefined) {
        trackingId = candidate
        break
      }
    }
    if (trackingId === undefined)
      throw new Error('no free tracking id')

      // 9. Create the affiliate.
    ;[affiliate] = await db
      .insert(affiliates)
      .values({
        id: newId('aff'),
        userId: user.id,
        programId: program.id,
        groupId: group.id,
        trackingId,
        name: request.partner.name ?? null,
        image: request.partner.image ?? null,
        externalUserId: request.externalUserId ?? null,
        metadata: request.metadata ?? null,
        status: program.accessMode === 'private' ? 'PENDING' : 'APPROVED',
      })
      .returning()
    if (affiliate === undefined) throw new Error('affiliate insert returned no row')
    if (invitationId !== undefined) {
      await db
        .update(programInvitations)
        .set({ acceptedAt: new Date() })
        .where(eq(programInvitations.id, invitationId))
    }
  } else if (request.externalUserId != null || request.metadata != null) {
    await db
      .update(affiliates)
      .set({
        ...(request.externalUserId == null ? {} : { externalUserId: request.externalUserId }),
        ...(request.metadata == null ? {} : { metadata: request.metadata }),
        updatedAt: new Date(),
      })
      .where(eq(affiliates.id, affiliate.id))
  }
  if (affiliate.status !== 'APPROVED' && affiliate.status !== 'PENDING') {
    throw new ApiError('PARTNERSHIP_INACTIVE')
  }

  // 10. Revoke the earlier tokens, and (11.) record the new one.
  const { issuedAt, expiresAt } = tokenTimes(Date.now())
  const tokenId = crypto.randomUUID()
  await db.delete(embedTokens).where(eq(embedTokens.affiliateId, affiliate.id))
  await db.insert(embedTokens).values({
    affiliateId: affiliate.id,
    tokenId,
    programId: program.id,
    apiKeyId: key.id,
    apiKeyEpoch: key.tokenEpoch,
    programEpoch: program.tokenEpoch,
    issuedAt: new Date(issuedAt * 1000),
    expiresAt: new Date(expiresAt * 1000),
  })

  const publicToken = await signEmbedToken(keys, issuer, {
    affiliateId: affiliate.id,
    programId: program.id,
    tokenId,
    issuedAt,
    expiresAt,
  })
  return {
    publicToken,
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    link: referralLink(program.websiteUrl, program.referralParam, affiliate.trackingId),
    partnershipStatus: affiliate.status,
  }
}
