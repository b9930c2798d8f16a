import type { Strings } from '../strings'
import { counted } from './count'

// Portuguese (Brazilian, "você").
const months = counted('pt', { one: '# mês', other: '# meses' })
const days = counted('pt', { one: '# dia', other: '# dias' })

export const pt: Strings = {
  locale: 'pt',
  dir: 'ltr',
  title: (program) => `${program}: seu painel de indicações`,
  logoAlt: (program) => `Logotipo de ${program}`,
  avatarAlt: (who) => `Avatar de ${who}`,
  pendingNotice: (program) =>
    `Sua parceria está aguardando a aprovação de ${program}. Você já pode compartilhar seu link.`,
  linkHeading: 'Seu link de indicação',
  copyLink: 'Copiar link',
  linkCopied: 'Link copiado.',
  copyFailed: 'Pressione Ctrl+C para copiar o link.',
  noClicks:
    'Nenhum clique ainda: compartilhe seu link, e cada visita que ele trouxer aparecerá aqui.',
  qrLabel: 'QR code do seu link de indicação',
  qrHint: 'Escaneie para abrir seu link no celular.',
  account: 'Sua conta',
  trackingId: 'ID de rastreamento',
  group: 'Grupo',
  status: 'Situação',
  awaitingApproval: 'Aguardando aprovação',
  approved: 'Aprovada',
  rewardsHeading: 'Sua recompensa',
  percent: (n) => `${n}%`,
  reward: (r) => {
    const sale = r.percentage !== null ? `${r.percentage} de cada venda` : `${r.fixed} por venda`
    const duration =
      r.duration === 'once'
        ? 'apenas na primeira venda'
        : r.duration === 'forever'
          ? 'enquanto o cliente permanecer'
          : `por ${months(r.duration)}`
    const lead = r.leadReward === null ? '' : `, e ${r.leadReward} por cada novo cadastro`
    const hold = r.holdDays > 0 ? `, pago após um período de retenção de ${days(r.holdDays)}` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Seus resultados',
  asOf: (time) => `Atualizado em ${time}`,
  clicks: 'Cliques',
  leads: 'Cadastros',
  sales: 'Vendas',
  salesAmount: 'Valor das vendas',
  pending: 'Pendente',
  approvedEarnings: 'Aprovado',
  paid: 'Pago',
  chartLabel: 'Cliques por dia nos últimos 30 dias',
  chartSummary: (c) => `Últimos 30 dias: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey: 'Barras: cliques por dia. Anel: um dia com cadastros. Ponto: um dia com vendas.',
  clickCount: counted('pt', { one: '# clique', other: '# cliques' }),
  leadCount: counted('pt', { one: '# cadastro', other: '# cadastros' }),
  saleCount: counted('pt', { one: '# venda', other: '# vendas' }),
  earningsHeading: 'Seus ganhos',
  columns: {
    date: 'Data',
    customer: 'Cliente',
    amount: 'Venda',
    commission: 'Comissão',
    status: 'Situação',
    holdUntil: 'Retido até',
    explanation: 'Motivo',
  },
  earningStatus: {
    pending: 'Pendente',
    approved: 'Aprovada',
    paid: 'Paga',
    refunded: 'Reembolsada',
    declined: 'Recusada',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Sua sessão expirou',
      text: 'Este link do painel expirou ou foi substituído por um mais recente. Recarregue a página para abri-lo novamente.',
    },
    unavailable: {
      title: 'Painel indisponível',
      text: 'Este painel de indicações não está disponível para sua conta no momento.',
    },
    failed: {
      title: 'Algo deu errado',
      text: 'Não foi possível carregar o painel. Tente novamente em um minuto.',
    },
  },
  errorLine: (code, requestId) => `Erro ${code}, solicitação ${requestId}`,
}
