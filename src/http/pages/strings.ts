// Every sentence the dashboard shows, in one catalogue per language. English only for now: a
// language is added by writing another object of type Strings. Values are plain text; the page
// escapes them (dashboard.ts interpolates them through `html`), so they hold no markup.
//
// Numbers, amounts and dates arrive already formatted for `locale` (numbers.ts); a function
// receives the count too where the grammar depends on it (plurals).

type Count = (count: number, formatted: string) => string

export interface Strings {
  // For Intl.NumberFormat and Intl.DateTimeFormat.
  locale: string
  logoAlt: (program: string) => string
  avatarAlt: (who: string) => string
  pendingNotice: (program: string) => string
  linkHeading: string
  copyLink: string
  noClicks: string
  qrLabel: string
  qrHint: string
  account: string
  trackingId: string
  group: string
  status: string
  awaitingApproval: string
  approved: string
  rewardsHeading: string
  reward: (terms: {
    // "20 %" of every sale, or "$5.00" per sale.
    percentage: string | null
    fixed: string | null
    // 'once', 'forever', or a number of months.
    duration: 'once' | 'forever' | number
    holdDays: number
    // Formatted; null when sign-ups earn nothing.
    leadReward: string | null
  }) => string
  statsHeading: string
  asOf: (time: string) => string
  clicks: string
  leads: string
  sales: string
  salesAmount: string
  pending: string
  approvedEarnings: string
  paid: string
  chartLabel: string
  chartSummary: (counts: { clicks: string; leads: string; sales: string }) => string
  chartKey: string
  clickCount: Count
  leadCount: Count
  saleCount: Count
  earningsHeading: string
  columns: {
    date: string
    customer: string
    amount: string
    commission: string
    status: string
    holdUntil: string
    explanation: string
  }
  earningStatus: Record<'pending' | 'approved' | 'paid' | 'refunded' | 'declined', string>
  none: string
}

const plural =
  (one: string, other: string): Count =>
  (count, formatted) =>
    `${formatted} ${count === 1 ? one : other}`

export const en: Strings = {
  locale: 'en',
  logoAlt: (program) => `${program} logo`,
  avatarAlt: (who) => `Avatar of ${who}`,
  pendingNotice: (program) =>
    `Your partnership is awaiting approval by ${program}. You can share your link already.`,
  linkHeading: 'Your referral link',
  copyLink: 'Copy link',
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
  reward: (r) => {
    const sale = r.percentage !== null ? `${r.percentage} of every sale` : `${r.fixed} per sale`
    const duration =
      r.duration === 'once'
        ? 'for the first sale only'
        : r.duration === 'forever'
          ? 'for as long as the customer stays'
          : `for ${r.duration === 1 ? '1 month' : `${r.duration} months`}`
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
  clickCount: plural('click', 'clicks'),
  leadCount: plural('sign-up', 'sign-ups'),
  saleCount: plural('sale', 'sales'),
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
}
