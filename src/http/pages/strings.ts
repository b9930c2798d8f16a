// Every sentence the dashboard and its error screens show, in one catalogue per language
// (strings/<code>.ts, listed in languages.ts). Each is typed Strings, so a missing key does not
// compile, and test/unit/catalogues.test.ts compares every catalogue's keys with English's. Values
// are plain text; the page escapes them (dashboard.ts interpolates them through `html`), so they
// hold no markup.
//
// Numbers, amounts and dates arrive already formatted for `locale` (numbers.ts); a function
// receives the count too where the grammar depends on it (plurals, strings/count.ts).

export type Count = (count: number, formatted: string) => string

export interface Strings {
  // For Intl.NumberFormat and Intl.DateTimeFormat, and the page's `lang`.
  locale: string
  // The page's writing direction (`dir` on <html>).
  dir: 'ltr' | 'rtl'
  // The page's <title>.
  title: (program: string) => string
  logoAlt: (program: string) => string
  avatarAlt: (who: string) => string
  pendingNotice: (program: string) => string
  linkHeading: string
  copyLink: string
  // What the copy button's script says after a click (embed.client.ts reads them from #copied).
  linkCopied: string
  copyFailed: string
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
  // A formatted number as a percentage: "20 %".
  percent: (formatted: string) => string
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
  // The screens shown instead of the dashboard (error-screen.ts): a dead token, a partnership or
  // program not active, anything else.
  errors: Record<'ended' | 'unavailable' | 'failed', { title: string; text: string }>
  // The line under them, for support.
  errorLine: (code: string, requestId: string) => string
}

export { en } from './strings/en'
