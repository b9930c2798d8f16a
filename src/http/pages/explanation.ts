import type { Basis } from '../../domain/commission-basis'
import type { EmbedData } from '../../domain/read-embed-data'
import { type Formats, formats } from './numbers'
import { english, fill, type Strings } from './strings'

// A commission's basis in words: "20 % of $99.00", "Taken back: a refund of €49.50".
export function explanation(basis: Basis, t: Strings, f: Formats): string {
  const e = t.explain
  switch (basis.kind) {
    case 'percentage':
      return fill(e.percentage, {
        percent: t.percent(f.count(basis.percent)),
        base: f.money(basis.base),
      })
    case 'fixed':
      return fill(e.fixed, { amount: f.money(basis.amount) })
    case 'lead':
      return e.lead
    case 'clawback':
      return fill(e.clawback, { refund: f.money(basis.refund) })
    case 'declined':
      return e.declined[basis.reason ?? 'other']
  }
}

// The data route's earnings: each with its `explanation` in English, the hold's end included
// ("20 % of $99.00, held until Dec 28, 2026"), beside the basis it was worded from.
export function explained(data: EmbedData) {
  const f = formats(english.locale, data.currency)
  return {
    ...data,
    earnings: data.earnings.map((e) => {
      const what = explanation(e.basis, english, f)
      return {
        ...e,
        explanation:
          e.holdUntil === null
            ? what
            : fill(english.explain.held, { what, date: f.day(e.holdUntil) }),
      }
    }),
  }
}
