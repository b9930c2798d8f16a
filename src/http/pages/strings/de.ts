import type { Strings } from '../strings'
import { counted } from './count'

// German (formal "Sie").
const months = counted('de', { one: '1 Monat', other: '# Monate' })
const days = counted('de', { one: '1 Tag', other: '# Tagen' })

export const de: Strings = {
  locale: 'de',
  dir: 'ltr',
  title: (program) => `${program}: Ihr Empfehlungs-Dashboard`,
  logoAlt: (program) => `Logo von ${program}`,
  avatarAlt: (who) => `Avatar von ${who}`,
  pendingNotice: (program) =>
    `Ihre Partnerschaft wartet auf die Freigabe durch ${program}. Sie können Ihren Link bereits teilen.`,
  linkHeading: 'Ihr Empfehlungslink',
  copyLink: 'Link kopieren',
  linkCopied: 'Link kopiert.',
  copyFailed: 'Drücken Sie Strg+C, um den Link zu kopieren.',
  noClicks:
    'Noch keine Klicks: Teilen Sie Ihren Link – jeder Besuch, den er bringt, erscheint hier.',
  qrLabel: 'QR-Code Ihres Empfehlungslinks',
  qrHint: 'Scannen Sie ihn, um Ihren Link auf dem Handy zu öffnen.',
  account: 'Ihr Konto',
  trackingId: 'Tracking-ID',
  group: 'Gruppe',
  status: 'Status',
  awaitingApproval: 'Wartet auf Freigabe',
  approved: 'Freigegeben',
  rewardsHeading: 'Ihre Vergütung',
  percent: (n) => `${n}\u00a0%`,
  reward: (r) => {
    const sale =
      r.percentage !== null ? `${r.percentage} auf jeden Verkauf` : `${r.fixed} pro Verkauf`
    const duration =
      r.duration === 'once'
        ? 'nur für den ersten Verkauf'
        : r.duration === 'forever'
          ? 'solange der Kunde bleibt'
          : `${months(r.duration)} lang`
    const lead = r.leadReward === null ? '' : `, dazu ${r.leadReward} für jede neue Anmeldung`
    const hold = r.holdDays > 0 ? `, ausgezahlt nach einer Haltefrist von ${days(r.holdDays)}` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Ihre Ergebnisse',
  asOf: (time) => `Stand: ${time}`,
  clicks: 'Klicks',
  leads: 'Anmeldungen',
  sales: 'Verkäufe',
  salesAmount: 'Umsatz',
  pending: 'Ausstehend',
  approvedEarnings: 'Freigegeben',
  paid: 'Ausgezahlt',
  chartLabel: 'Klicks pro Tag in den letzten 30 Tagen',
  chartSummary: (c) => `Letzte 30 Tage: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey: 'Balken: Klicks pro Tag. Ring: ein Tag mit Anmeldungen. Punkt: ein Tag mit Verkäufen.',
  clickCount: counted('de', { one: '# Klick', other: '# Klicks' }),
  leadCount: counted('de', { one: '# Anmeldung', other: '# Anmeldungen' }),
  saleCount: counted('de', { one: '# Verkauf', other: '# Verkäufe' }),
  earningsHeading: 'Ihre Provisionen',
  columns: {
    date: 'Datum',
    customer: 'Kunde',
    amount: 'Verkauf',
    commission: 'Provision',
    status: 'Status',
    holdUntil: 'Gehalten bis',
    explanation: 'Grund',
  },
  earningStatus: {
    pending: 'Ausstehend',
    approved: 'Freigegeben',
    paid: 'Ausgezahlt',
    refunded: 'Erstattet',
    declined: 'Abgelehnt',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Ihre Sitzung ist abgelaufen',
      text: 'Dieser Dashboard-Link ist abgelaufen oder wurde durch einen neueren ersetzt. Laden Sie die Seite neu, um ihn wieder zu öffnen.',
    },
    unavailable: {
      title: 'Dashboard nicht verfügbar',
      text: 'Dieses Empfehlungs-Dashboard ist für Ihr Konto derzeit nicht verfügbar.',
    },
    failed: {
      title: 'Etwas ist schiefgelaufen',
      text: 'Das Dashboard konnte nicht geladen werden. Bitte versuchen Sie es in einer Minute erneut.',
    },
  },
  errorLine: (code, requestId) => `Fehler ${code}, Anfrage ${requestId}`,
}
