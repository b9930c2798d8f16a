import type { Strings } from '../strings'
import { counted } from './count'

// Dutch ("je").
const months = counted('nl', { one: '1 maand', other: '# maanden' })
const days = counted('nl', { one: '1 dag', other: '# dagen' })

export const nl: Strings = {
  locale: 'nl',
  dir: 'ltr',
  title: (program) => `${program}: je verwijzingsdashboard`,
  logoAlt: (program) => `Logo van ${program}`,
  avatarAlt: (who) => `Avatar van ${who}`,
  pendingNotice: (program) =>
    `Je partnerschap wacht op goedkeuring door ${program}. Je kunt je link nu al delen.`,
  linkHeading: 'Je verwijzingslink',
  copyLink: 'Link kopiëren',
  linkCopied: 'Link gekopieerd.',
  copyFailed: 'Druk op Ctrl+C om de link te kopiëren.',
  noClicks: 'Nog geen klikken: deel je link, en elk bezoek dat hij oplevert verschijnt hier.',
  qrLabel: 'QR-code van je verwijzingslink',
  qrHint: 'Scan om je link op je telefoon te openen.',
  account: 'Je account',
  trackingId: 'Tracking-ID',
  group: 'Groep',
  status: 'Status',
  awaitingApproval: 'Wacht op goedkeuring',
  approved: 'Goedgekeurd',
  rewardsHeading: 'Je beloning',
  percent: (n) => `${n}%`,
  reward: (r) => {
    const sale =
      r.percentage !== null ? `${r.percentage} van elke verkoop` : `${r.fixed} per verkoop`
    const duration =
      r.duration === 'once'
        ? 'alleen voor de eerste verkoop'
        : r.duration === 'forever'
          ? 'zolang de klant blijft'
          : `gedurende ${months(r.duration)}`
    const lead = r.leadReward === null ? '' : `, en ${r.leadReward} voor elke nieuwe aanmelding`
    const hold = r.holdDays > 0 ? `, uitbetaald na een wachttijd van ${days(r.holdDays)}` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Je resultaten',
  asOf: (time) => `Bijgewerkt: ${time}`,
  clicks: 'Klikken',
  leads: 'Aanmeldingen',
  sales: 'Verkopen',
  salesAmount: 'Verkoopbedrag',
  pending: 'In afwachting',
  approvedEarnings: 'Goedgekeurd',
  paid: 'Uitbetaald',
  chartLabel: 'Klikken per dag in de afgelopen 30 dagen',
  chartSummary: (c) => `Afgelopen 30 dagen: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey: 'Staven: klikken per dag. Ring: een dag met aanmeldingen. Stip: een dag met verkopen.',
  clickCount: counted('nl', { one: '# klik', other: '# klikken' }),
  leadCount: counted('nl', { one: '# aanmelding', other: '# aanmeldingen' }),
  saleCount: counted('nl', { one: '# verkoop', other: '# verkopen' }),
  earningsHeading: 'Je verdiensten',
  columns: {
    date: 'Datum',
    customer: 'Klant',
    amount: 'Verkoop',
    commission: 'Commissie',
    status: 'Status',
    holdUntil: 'Vastgehouden tot',
    explanation: 'Reden',
  },
  earningStatus: {
    pending: 'In afwachting',
    approved: 'Goedgekeurd',
    paid: 'Uitbetaald',
    refunded: 'Terugbetaald',
    declined: 'Afgewezen',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Je sessie is verlopen',
      text: 'Deze dashboardlink is verlopen of vervangen door een nieuwere. Laad de pagina opnieuw om hem weer te openen.',
    },
    unavailable: {
      title: 'Dashboard niet beschikbaar',
      text: 'Dit verwijzingsdashboard is op dit moment niet beschikbaar voor je account.',
    },
    failed: {
      title: 'Er ging iets mis',
      text: 'Het dashboard kon niet worden geladen. Probeer het over een minuut opnieuw.',
    },
  },
  errorLine: (code, requestId) => `Fout ${code}, verzoek ${requestId}`,
}
