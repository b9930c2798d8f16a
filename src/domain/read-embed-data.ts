import type { Db } from '../data/db'
import { retryTransient } from '../data/retry'
import { findEmbedData } from '../data/statements/embed-data'
import { ApiError } from '../errors'
import type { EmbedTokenClaims } from './embed-tokens'
import { isPublicHttpsUrl } from './public-url'
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

// Values stored before the rule of domain/public-url.ts (an http: avatar, say) are not shown:
// the page would not load them, and the data route promises URLs a browser may fetch.
const loadable = (url: string | null) => (url !== null && isPublicHttpsUrl(url) ? url : null)

// A verified token's dashboard. A read: sending it once more after a dropped connection or a
// 5xx changes nothing.
export async function readEmbedView(db: Db, claims: EmbedTokenClaims): Promise<EmbedView> {
  const found = await retryTransient(() => findEmbedData(db, claims))
  if (found.refused !== null) throw new ApiError(found.refused)
  return {
    data: {
      affiliate: {
        name: found.userName,
        email: found.userEmail,
        trackingId: found.trackingId,
        avatarUrl: loadable(found.userImage),
      },
      link: referralLink(found.websiteUrl, found.referralParam, found.trackingId),
      websiteUrl: found.websiteUrl,
      partnershipStatus: found.status,
      program: { id: found.programId, name: found.programName, logoUrl: loadable(found.logoUrl) },
      group: { id: found.groupId, name: found.groupName },
      theme: { primaryColor: found.primaryColor, backgroundColor: found.backgroundColor },
    },
    embedOrigins: found.allowedEmbedOrigins,
  }
}
