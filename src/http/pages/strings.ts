import type { DeclineReason } from '../../domain/commission-basis'
import { en } from './strings/en'

// Every sentence the dashboard and its error screens show, in one catalogue per language
// (strings/<code>.ts). A catalogue is data, not code: English is bundled, the thirteen others are
// written to public/i18n/<code>.json by `npm run assets` and read from the assets binding when a
// page first needs them (load-strings.ts), so they cost the size-budgeted bundle nothing. Each
// is typed Catalogue, so a missing key does not compile, and test/unit/catalogues.test.ts
// compares every catalogue's keys and placeholders with English's.
//
// Values are plain text; the page escapes them (dashboard.ts interpolates through `html`).
// `{name}` in a template is a value the page fills in, already formatted for the locale
// (numbers.ts). `Forms` are a count's plural forms by Intl.PluralRules category (Russian's and
// Polish's one/few/many, Arabic's six), `#` the count as Intl writes it for the locale.

export type Forms = { [rule in 'zero' | 'one' | 'two' | 'few' | 'many']?: string } & {
  other: string
}
const PLURAL = ['zero', 'one', 'two', 'few', 'many', 'other']
// Whether a catalogue's object is a count's plural forms (its keys are plural categories).
export const isForms = (value: object) => Object.keys(value).every((key) => PLURAL.includes(key))

export interface Catalogue {
  // For Intl.NumberFormat, Intl.DateTimeFormat and Intl.PluralRules, and the page's `lang`.
  locale: string
  // The page's writing direction (`dir` on <html>).
  dir: 'ltr' | 'rtl'
  // {program}
  title: string
  // {program}
  logoAlt: string
  // {who}
  avatarAlt: string
  // {program}
  pendingNotice: string
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
  // A formatted number as a percentage, {n}: "20 %".
  percent: string
  // The group's terms in one sentence, from its parts: `sentence` places {sale}, {duration},
  // {lead} and {hold}; a part that does not apply is empty.
  reward: {
    // {percentage} ("20 %") of every sale, or {fixed} ("$5.00") per sale.
    percentage: string
    fixed: string
    once: string
    forever: string
    // For # months.
    months: Forms
    // {lead} for every sign-up.
    lead: string
    // Paid out after a hold of # days.
    hold: Forms
    sentence: string
  }
  statsHeading: string
  // {time}
  asOf: string
  clicks: string
  leads: string
  sales: string
  salesAmount: string
  pending: string
  approvedEarnings: string
  paid: string
  chartLabel: string
  // {clicks}, {leads}, {sales}: the three counts, each worded by its Forms below.
  chartSummary: string
  chartKey: string
  clickCount: Forms
  leadCount: Forms
  saleCount: Forms
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
  // Why a commission is what it is (its Basis, domain/read-embed-data.ts): the earnings
  // table's last column, and the data route's `explanation` in English.
  explain: {
    // {percent} ("20 %") of {base} ("$99.00").
    percentage: string
    // {amount} per sale.
    fixed: string
    lead: string
    // A refund of {refund}, after the commission was paid.
    clawback: string
    // Not rewarded, and why; `other` for a reason this page does not know.
    declined: Record<DeclineReason | 'other', string>
    // {what} of the above, {date} the end of the hold (the data route's text; the page has a
    // column for it).
    held: string
  }
  none: string
  // The screens shown instead of the dashboard (error-screen.ts): a dead token, a partnership or
  // program not active, anything else.
  errors: Record<'ended' | 'unavailable' | 'failed', { title: string; text: string }>
  // The line under them, for support: {code}, {requestId}.
  errorLine: string
}

export type Language =
  | 'en'
  | 'de'
  | 'fr'
  | 'es'
  | 'it'
  | 'pt'
  | 'nl'
  | 'pl'
  | 'tr'
  | 'ja'
  | 'zh'
  | 'ko'
  | 'ru'
  | 'ar'

// `{name}` replaced by its value; a hole without a value stays visible rather than vanishing.
export const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (hole, name: string) => values[name] ?? hole)

export type Count = (count: number, formatted?: string) => string

// A count with its noun, by the locale's plural rules.
export function counted(locale: string, forms: Forms): Count {
  const rules = new Intl.PluralRules(locale)
  const number = new Intl.NumberFormat(locale)
  return (count, formatted = number.format(count)) =>
    (forms[rules.select(count) as keyof Forms] ?? forms.other).replace('#', formatted)
}

export interface RewardTerms {
  // Formatted: "20 %" of every sale, or "$5.00" per sale.
  percentage: string | null
  fixed: string | null
  duration: 'once' | 'forever' | number
  holdDays: number
  // Formatted; null when sign-ups earn nothing.
  leadReward: string | null
}

// What the pages call: the catalogue's templates as functions of their values.
export type Strings = ReturnType<typeof words>

export function words(c: Catalogue) {
  const months = counted(c.locale, c.reward.months)
  const hold = counted(c.locale, c.reward.hold)
  return {
    ...c,
    title: (program: string) => fill(c.title, { program }),
    logoAlt: (program: string) => fill(c.logoAlt, { program }),
    avatarAlt: (who: string) => fill(c.avatarAlt, { who }),
    pendingNotice: (program: string) => fill(c.pendingNotice, { program }),
    percent: (n: string) => fill(c.percent, { n }),
    reward: (r: RewardTerms) =>
      fill(c.reward.sentence, {
        sale:
          r.percentage !== null
            ? fill(c.reward.percentage, { percentage: r.percentage })
            : fill(c.reward.fixed, { fixed: r.fixed ?? '' }),
        duration:
          r.duration === 'once'
            ? c.reward.once
            : r.duration === 'forever'
              ? c.reward.forever
              : months(r.duration),
        lead: r.leadReward === null ? '' : fill(c.reward.lead, { lead: r.leadReward }),
        hold: r.holdDays > 0 ? hold(r.holdDays) : '',
      }),
    asOf: (time: string) => fill(c.asOf, { time }),
    chartSummary: (counts: { clicks: string; leads: string; sales: string }) =>
      fill(c.chartSummary, counts),
    clickCount: counted(c.locale, c.clickCount),
    leadCount: counted(c.locale, c.leadCount),
    saleCount: counted(c.locale, c.saleCount),
    errorLine: (code: string, requestId: string) => fill(c.errorLine, { code, requestId }),
  }
}

// English: bundled, the default, and what a page falls back to when another catalogue cannot be
// read.
export const english = words(en)
