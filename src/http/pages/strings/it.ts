import type { Strings } from '../strings'
import { counted } from './count'

// Italian (tu, as most Italian web apps).
const months = counted('it', { one: '1 mese', other: '# mesi' })
const days = counted('it', { one: '1 giorno', other: '# giorni' })

export const it: Strings = {
  locale: 'it',
  dir: 'ltr',
  title: (program) => `${program}: la tua dashboard referral`,
  logoAlt: (program) => `Logo di ${program}`,
  avatarAlt: (who) => `Avatar di ${who}`,
  pendingNotice: (program) =>
    `La tua partnership è in attesa di approvazione da parte di ${program}. Puoi già condividere il tuo link.`,
  linkHeading: 'Il tuo link di referral',
  copyLink: 'Copia link',
  linkCopied: 'Link copiato.',
  copyFailed: 'Premi Ctrl+C per copiare il link.',
  noClicks: 'Ancora nessun clic: condividi il tuo link, ogni visita che porta comparirà qui.',
  qrLabel: 'Codice QR del tuo link di referral',
  qrHint: 'Inquadralo per aprire il link sul telefono.',
  account: 'Il tuo account',
  trackingId: 'ID di tracciamento',
  group: 'Gruppo',
  status: 'Stato',
  awaitingApproval: 'In attesa di approvazione',
  approved: 'Approvato',
  rewardsHeading: 'La tua ricompensa',
  percent: (n) => `${n}%`,
  reward: (r) => {
    const sale =
      r.percentage !== null ? `${r.percentage} di ogni vendita` : `${r.fixed} per vendita`
    const duration =
      r.duration === 'once'
        ? 'solo sulla prima vendita'
        : r.duration === 'forever'
          ? 'finché il cliente resta'
          : `per ${months(r.duration)}`
    const lead = r.leadReward === null ? '' : `, più ${r.leadReward} per ogni nuova iscrizione`
    const hold =
      r.holdDays > 0 ? `, pagata dopo un periodo di trattenuta di ${days(r.holdDays)}` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'I tuoi risultati',
  asOf: (time) => `Aggiornato al ${time}`,
  clicks: 'Clic',
  leads: 'Iscrizioni',
  sales: 'Vendite',
  salesAmount: 'Importo vendite',
  pending: 'In attesa',
  approvedEarnings: 'Approvate',
  paid: 'Pagate',
  chartLabel: 'Clic al giorno negli ultimi 30 giorni',
  chartSummary: (c) => `Ultimi 30 giorni: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey:
    'Barre: clic al giorno. Anello: un giorno con iscrizioni. Punto: un giorno con vendite.',
  clickCount: counted('it', { one: '# clic', other: '# clic' }),
  leadCount: counted('it', { one: '# iscrizione', other: '# iscrizioni' }),
  saleCount: counted('it', { one: '# vendita', other: '# vendite' }),
  earningsHeading: 'I tuoi guadagni',
  columns: {
    date: 'Data',
    customer: 'Cliente',
    amount: 'Vendita',
    commission: 'Commissione',
    status: 'Stato',
    holdUntil: 'Trattenuta fino al',
    explanation: 'Motivo',
  },
  earningStatus: {
    pending: 'In attesa',
    approved: 'Approvata',
    paid: 'Pagata',
    refunded: 'Rimborsata',
    declined: 'Rifiutata',
  },
  none: '—',
  errors: {
    ended: {
      title: 'La sessione è scaduta',
      text: 'Questo link alla dashboard è scaduto o è stato sostituito da uno più recente. Ricarica la pagina per aprirla di nuovo.',
    },
    unavailable: {
      title: 'Dashboard non disponibile',
      text: 'Questa dashboard referral non è al momento disponibile per il tuo account.',
    },
    failed: {
      title: 'Si è verificato un errore',
      text: 'Impossibile caricare la dashboard. Riprova tra un minuto.',
    },
  },
  errorLine: (code, requestId) => `Errore ${code}, richiesta ${requestId}`,
}
