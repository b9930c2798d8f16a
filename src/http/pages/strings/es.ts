import type { Strings } from '../strings'
import { counted } from './count'

// Spanish (tuteo, as most Spanish web apps).
const months = counted('es', { one: '1 mes', other: '# meses' })
const days = counted('es', { one: '1 día', other: '# días' })

export const es: Strings = {
  locale: 'es',
  dir: 'ltr',
  title: (program) => `${program}: tu panel de referidos`,
  logoAlt: (program) => `Logotipo de ${program}`,
  avatarAlt: (who) => `Avatar de ${who}`,
  pendingNotice: (program) =>
    `Tu colaboración está pendiente de aprobación por parte de ${program}. Ya puedes compartir tu enlace.`,
  linkHeading: 'Tu enlace de referido',
  copyLink: 'Copiar enlace',
  linkCopied: 'Enlace copiado.',
  copyFailed: 'Pulsa Ctrl+C para copiar el enlace.',
  noClicks: 'Aún no hay clics: comparte tu enlace y cada visita que genere aparecerá aquí.',
  qrLabel: 'Código QR de tu enlace de referido',
  qrHint: 'Escanéalo para abrir tu enlace en el móvil.',
  account: 'Tu cuenta',
  trackingId: 'ID de seguimiento',
  group: 'Grupo',
  status: 'Estado',
  awaitingApproval: 'Pendiente de aprobación',
  approved: 'Aprobado',
  rewardsHeading: 'Tu recompensa',
  percent: (n) => `${n}\u00a0%`,
  reward: (r) => {
    const sale = r.percentage !== null ? `${r.percentage} de cada venta` : `${r.fixed} por venta`
    const duration =
      r.duration === 'once'
        ? 'solo por la primera venta'
        : r.duration === 'forever'
          ? 'mientras el cliente siga activo'
          : `durante ${months(r.duration)}`
    const lead = r.leadReward === null ? '' : `, y ${r.leadReward} por cada nuevo registro`
    const hold =
      r.holdDays > 0 ? `, que se paga tras un periodo de retención de ${days(r.holdDays)}` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Tus resultados',
  asOf: (time) => `Actualizado: ${time}`,
  clicks: 'Clics',
  leads: 'Registros',
  sales: 'Ventas',
  salesAmount: 'Importe de ventas',
  pending: 'Pendiente',
  approvedEarnings: 'Aprobado',
  paid: 'Pagado',
  chartLabel: 'Clics por día en los últimos 30 días',
  chartSummary: (c) => `Últimos 30 días: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey: 'Barras: clics por día. Anillo: un día con registros. Punto: un día con ventas.',
  clickCount: counted('es', { one: '# clic', other: '# clics' }),
  leadCount: counted('es', { one: '# registro', other: '# registros' }),
  saleCount: counted('es', { one: '# venta', other: '# ventas' }),
  earningsHeading: 'Tus ganancias',
  columns: {
    date: 'Fecha',
    customer: 'Cliente',
    amount: 'Venta',
    commission: 'Comisión',
    status: 'Estado',
    holdUntil: 'Retenido hasta',
    explanation: 'Motivo',
  },
  earningStatus: {
    pending: 'Pendiente',
    approved: 'Aprobada',
    paid: 'Pagada',
    refunded: 'Reembolsada',
    declined: 'Rechazada',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Tu sesión ha finalizado',
      text: 'Este enlace del panel ha caducado o se ha sustituido por uno más reciente. Recarga la página para abrirlo de nuevo.',
    },
    unavailable: {
      title: 'Panel no disponible',
      text: 'Este panel de referidos no está disponible para tu cuenta en este momento.',
    },
    failed: {
      title: 'Algo ha salido mal',
      text: 'No se ha podido cargar el panel. Vuelve a intentarlo dentro de un minuto.',
    },
  },
  errorLine: (code, requestId) => `Error ${code}, solicitud ${requestId}`,
}
