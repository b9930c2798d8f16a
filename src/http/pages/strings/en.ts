import type { Strings } from '../strings'
import { counted } from './count'

// English, the reference: every other catalogue has exactly these keys.
const months = counted('en', { one: '1 month', other: '# months' })

export const en: Strings = {
  locale: 'en',
  dir: 'ltr',
  title: (program) => `${program}: your referral dashboard`,
  logoAlt: (program) => `${program} logo`,
  avatarAlt: (who) => `Avatar of ${who}`,
  pendingNotice: (program) =>
    `Your partnership is awaiting approval by ${program}. You can share your link already.`,
  linkHeading: 'Your referral link',
  copyLink: 'Copy link',
  linkCopied: 'Link copied.',
  copyFailed: 'Press Ctrl+C to copy the link.',
  noClicks: 'No clicks yet: share your link, and every visit it brings shows here.',
  qrLabel: 'QR code of your referral link',
  qrHint: 'Scan to open your link on a phone.',
  account: 'Your account',
  trackingId: 'Tracking ID',
  group: 'Group',
  status: 'Status',
  awaitingApproval: 'Awaiting approval',
  approved: 'Approved',
  rewardsHeading: 'Your reward',
  percent: (n) => `${n} %`,
  reward: (r) => {
    const sale = r.percentage !== null ? `${r.percentage} of every sale` : `${r.fixed} per sale`
    const duration =
      r.duration === 'once'
        ? 'for the first sale only'
        : r.duration === 'forever'
          ? 'for as long as the customer stays'
          : `for ${months(r.duration)}`
    const lead = r.leadReward === null ? '' : `, and ${r.leadReward} for every new sign-up`
    const hold = r.holdDays > 0 ? `, paid out after a ${r.holdDays}-day hold` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Your results',
  asOf: (time) => `As of ${time}`,
  clicks: 'Clicks',
  leads: 'Sign-ups',
  sales: 'Sales',
  salesAmount: 'Sales amount',
  pending: 'Pending',
  approvedEarnings: 'Approved',
  paid: 'Paid',
  chartLabel: 'Clicks per day over the last 30 days',
  chartSummary: (c) => `Last 30 days: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey: 'Bars: clicks a day. Ring: a day with sign-ups. Dot: a day with sales.',
  clickCount: counted('en', { one: '# click', other: '# clicks' }),
  leadCount: counted('en', { one: '# sign-up', other: '# sign-ups' }),
  saleCount: counted('en', { one: '# sale', other: '# sales' }),
  earningsHeading: 'Your earnings',
  columns: {
    date: 'Date',
    customer: 'Customer',
    amount: 'Sale',
    commission: 'Commission',
    status: 'Status',
    holdUntil: 'Held until',
    explanation: 'Why',
  },
  earningStatus: {
    pending: 'Pending',
    approved: 'Approved',
    paid: 'Paid',
    refunded: 'Refunded',
    declined: 'Declined',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Your session has ended',
      text: 'This dashboard link has expired or was replaced by a newer one. Reload the page to open it again.',
    },
    unavailable: {
      title: 'Dashboard unavailable',
      text: 'This referral dashboard is not available for your account at the moment.',
    },
    failed: {
      title: 'Something went wrong',
      text: 'The dashboard could not be loaded. Please try again in a minute.',
    },
  },
  errorLine: (code, requestId) => `Error ${code}, request ${requestId}`,
}
