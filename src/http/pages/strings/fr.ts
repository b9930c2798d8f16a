import type { Strings } from '../strings'
import { counted } from './count'

// French (vouvoiement).
const days = counted('fr', { one: '# jour', other: '# jours' })

export const fr: Strings = {
  locale: 'fr',
  dir: 'ltr',
  title: (program) => `${program} : votre tableau de bord de parrainage`,
  logoAlt: (program) => `Logo de ${program}`,
  avatarAlt: (who) => `Avatar de ${who}`,
  pendingNotice: (program) =>
    `Votre partenariat attend l’approbation de ${program}. Vous pouvez déjà partager votre lien.`,
  linkHeading: 'Votre lien de parrainage',
  copyLink: 'Copier le lien',
  linkCopied: 'Lien copié.',
  copyFailed: 'Appuyez sur Ctrl+C pour copier le lien.',
  noClicks:
    'Aucun clic pour l’instant : partagez votre lien, chaque visite qu’il apporte s’affichera ici.',
  qrLabel: 'QR code de votre lien de parrainage',
  qrHint: 'Scannez-le pour ouvrir votre lien sur un téléphone.',
  account: 'Votre compte',
  trackingId: 'ID de suivi',
  group: 'Groupe',
  status: 'Statut',
  awaitingApproval: 'En attente d’approbation',
  approved: 'Approuvé',
  rewardsHeading: 'Votre rémunération',
  percent: (n) => `${n}\u00a0%`,
  reward: (r) => {
    const sale = r.percentage !== null ? `${r.percentage} de chaque vente` : `${r.fixed} par vente`
    const duration =
      r.duration === 'once'
        ? 'pour la première vente uniquement'
        : r.duration === 'forever'
          ? 'aussi longtemps que le client reste'
          : `pendant ${r.duration} mois`
    const lead =
      r.leadReward === null ? '' : `, et ${r.leadReward} pour chaque nouvelle inscription`
    const hold = r.holdDays > 0 ? `, versé après une période de blocage de ${days(r.holdDays)}` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Vos résultats',
  asOf: (time) => `Données au ${time}`,
  clicks: 'Clics',
  leads: 'Inscriptions',
  sales: 'Ventes',
  salesAmount: 'Montant des ventes',
  pending: 'En attente',
  approvedEarnings: 'Approuvé',
  paid: 'Payé',
  chartLabel: 'Clics par jour sur les 30 derniers jours',
  chartSummary: (c) => `30 derniers jours : ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey:
    'Barres : clics par jour. Anneau : un jour avec des inscriptions. Point : un jour avec des ventes.',
  clickCount: counted('fr', { one: '# clic', other: '# clics' }),
  leadCount: counted('fr', { one: '# inscription', other: '# inscriptions' }),
  saleCount: counted('fr', { one: '# vente', other: '# ventes' }),
  earningsHeading: 'Vos gains',
  columns: {
    date: 'Date',
    customer: 'Client',
    amount: 'Vente',
    commission: 'Commission',
    status: 'Statut',
    holdUntil: 'Bloqué jusqu’au',
    explanation: 'Motif',
  },
  earningStatus: {
    pending: 'En attente',
    approved: 'Approuvée',
    paid: 'Payée',
    refunded: 'Remboursée',
    declined: 'Refusée',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Votre session a expiré',
      text: 'Ce lien vers le tableau de bord a expiré ou a été remplacé par un plus récent. Rechargez la page pour l’ouvrir à nouveau.',
    },
    unavailable: {
      title: 'Tableau de bord indisponible',
      text: 'Ce tableau de bord de parrainage n’est pas disponible pour votre compte pour le moment.',
    },
    failed: {
      title: 'Une erreur est survenue',
      text: 'Le tableau de bord n’a pas pu être chargé. Veuillez réessayer dans une minute.',
    },
  },
  errorLine: (code, requestId) => `Erreur ${code}, requête ${requestId}`,
}
