import type { Db } from '../data/db'
import { retryTransient } from '../data/retry'
import { type DashboardNumbers, findEmbedData } from '../data/statements/embed-data'
import { ApiError } from '../errors'
import { type Basis, declineReason } from './commission-basis'
import type { EmbedTokenClaims } from './embed-tokens'
import { minorToMajor } from './money'
import { isPublicHttpsUrl } from './public-url'
import { referralLink } from './referral-link'

export type EmbedData = {
  affiliate: { name: string | null; email: string; trackingId: string; avatarUrl: string | null }
  link: string
  websiteUrl: string
  partnershipStatus: 'APPROVED' | 'PENDING'
  program: { id: string; name: string; logoUrl: string | null }
  group: { id: string; name: string }
  // The program's colours (`#rrggbb`), or null where the program has none.
  theme: { primaryColor: string | null; backgroundColor: string | null }
} & Dashboard

// The numbers of docs/TRACKING.md, "What the dashboard shows": every one computed from the
// recorded events (through their rollups), zero when nothing happened. Amounts in major units.
export interface Dashboard {
  currency: string
  asOf: string
  rewards: {
    type: 'percentage' | 'fixed'
    // A percentage (20 for 20 %) or an amount per sale.
    amount: number
    duration: string
    holdDays: number
    leadReward: number | null
  }
  stats: {
    clicks: number
    leads: number
    sales: number
    salesAmount: number
    earnings: { pending: number; approved: number; paid: number }
  }
  activity: { date: string; clicks: number; leads: number; sales: number }[]
  earnings: {
    id: string
    customerId: string
    date: string
    amount: number | null
    commission: number
    status: 'pending' | 'approved' | 'paid' | 'refunded' | 'declined'
    holdUntil: string | null
    // How the commission was computed, for the reader to word (the data route in English, the
    // page in the visitor's language).
    basis: Basis
  }[]
  // Affonso's fields that this service does not offer: present, so its clients parse the
  // answer, and never filled with invented values.
  coupon: null
  couponBlueprint: null
  creatives: []
  incentives: []
  portalUrl: null
}

export function dashboardNumbers(n: DashboardNumbers, nowMs = Date.parse(n.asOf)): Dashboard {
  const major = (minor: string | bigint) => minorToMajor(BigInt(minor), n.currencyDigits)
  const t = n.terms
  const unpaid = BigInt(n.totals.unpaid_minor)
  const pending = BigInt(n.pendingMinor)
  return {
    currency: n.currency,
    asOf: new Date(n.asOf).toISOString(),
    rewards: {
      type: t.rewardType,
      amount:
        t.rewardType === 'percentage' ? t.rewardBasisPoints / 100 : major(t.rewardFixedMinor ?? 0n),
      duration: t.rewardDuration === 'months' ? `months:${t.rewardMonths}` : t.rewardDuration,
      holdDays: t.holdDays,
      leadReward: t.leadRewardMinor === null ? null : major(t.leadRewardMinor),
    },
    stats: {
      clicks: Number(n.totals.clicks),
      leads: Number(n.totals.leads),
      sales: Number(n.totals.sales),
      salesAmount: major(BigInt(n.totals.sale_minor) - BigInt(n.totals.refunded_minor)),
      earnings: {
        pending: major(pending),
        approved: major(unpaid - pending),
        paid: major(n.totals.paid_minor),
      },
    },
    activity: n.activity,
    earnings: n.earnings.map((e) => {
      const held = e.status === 'unpaid' && Date.parse(e.hold_until) > nowMs
      const status = e.status === 'unpaid' ? (held ? 'pending' : 'approved') : e.status
      const basis: Basis =
        e.kind === 'lead'
          ? { kind: 'lead' }
          : e.kind === 'clawback'
            ? { kind: 'clawback', refund: major(e.base_minor) }
            : e.status === 'declined'
              ? { kind: 'declined', reason: declineReason(e.decline_reason) }
              : e.reward_type === 'percentage'
                ? {
                    kind: 'percentage',
                    percent: (e.reward_basis_points ?? 0) / 100,
                    base: major(e.base_minor),
                  }
                : { kind: 'fixed', amount: major(e.reward_fixed_minor ?? 0n) }
      return {
        id: e.id,
        customerId: e.referral_id,
        date: new Date(e.created_at).toISOString(),
        amount: e.sale_minor === null ? null : major(e.sale_minor),
        commission: major(e.amount_minor),
        status,
        holdUntil: held ? new Date(e.hold_until).toISOString() : null,
        basis,
      }
    }),
    coupon: null,
    couponBlueprint: null,
    creatives: [],
    incentives: [],
    portalUrl: null,
  }
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
      ...dashboardNumbers(found.numbers),
    },
    embedOrigins: found.allowedEmbedOrigins,
  }
}
