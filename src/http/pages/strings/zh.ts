import type { Strings } from '../strings'
import { counted } from './count'

// Chinese (Simplified, polite 您).
export const zh: Strings = {
  locale: 'zh',
  dir: 'ltr',
  title: (program) => `${program}：您的推荐仪表板`,
  logoAlt: (program) => `${program} 的标志`,
  avatarAlt: (who) => `${who} 的头像`,
  pendingNotice: (program) => `您的合作关系正在等待 ${program} 批准。您现在就可以分享您的链接。`,
  linkHeading: '您的推荐链接',
  copyLink: '复制链接',
  linkCopied: '链接已复制。',
  copyFailed: '请按 Ctrl+C 复制链接。',
  noClicks: '还没有点击：分享您的链接，它带来的每次访问都会显示在这里。',
  qrLabel: '您的推荐链接的二维码',
  qrHint: '扫描即可在手机上打开您的链接。',
  account: '您的账户',
  trackingId: '跟踪 ID',
  group: '分组',
  status: '状态',
  awaitingApproval: '等待批准',
  approved: '已批准',
  rewardsHeading: '您的奖励',
  percent: (n) => `${n}%`,
  reward: (r) => {
    const sale = r.percentage !== null ? `每笔销售的 ${r.percentage}` : `每笔销售 ${r.fixed}`
    const duration =
      r.duration === 'once'
        ? '仅限首笔销售'
        : r.duration === 'forever'
          ? '只要客户持续使用即可获得'
          : `为期 ${r.duration} 个月`
    const lead = r.leadReward === null ? '' : `，每个新注册另得 ${r.leadReward}`
    const hold = r.holdDays > 0 ? `，经过 ${r.holdDays} 天的保留期后支付` : ''
    return `${sale}，${duration}${lead}${hold}。`
  },
  statsHeading: '您的业绩',
  asOf: (time) => `截至 ${time}`,
  clicks: '点击',
  leads: '注册',
  sales: '销售',
  salesAmount: '销售额',
  pending: '待处理',
  approvedEarnings: '已批准',
  paid: '已支付',
  chartLabel: '过去 30 天每天的点击量',
  chartSummary: (c) => `过去 30 天：${c.clicks}，${c.leads}，${c.sales}`,
  chartKey: '柱：每天的点击量。圆环：有注册的日子。圆点：有销售的日子。',
  clickCount: counted('zh', { other: '# 次点击' }),
  leadCount: counted('zh', { other: '# 个注册' }),
  saleCount: counted('zh', { other: '# 笔销售' }),
  earningsHeading: '您的收益',
  columns: {
    date: '日期',
    customer: '客户',
    amount: '销售',
    commission: '佣金',
    status: '状态',
    holdUntil: '保留至',
    explanation: '说明',
  },
  earningStatus: {
    pending: '待处理',
    approved: '已批准',
    paid: '已支付',
    refunded: '已退款',
    declined: '已拒绝',
  },
  none: '—',
  errors: {
    ended: {
      title: '会话已结束',
      text: '此仪表板链接已过期，或已被更新的链接取代。请重新加载页面以再次打开。',
    },
    unavailable: {
      title: '仪表板不可用',
      text: '此推荐仪表板目前对您的账户不可用。',
    },
    failed: {
      title: '出现了问题',
      text: '无法加载仪表板。请在一分钟后重试。',
    },
  },
  errorLine: (code, requestId) => `错误 ${code}，请求 ${requestId}`,
}
