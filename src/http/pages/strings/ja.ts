import type { Strings } from '../strings'
import { counted } from './count'

// Japanese (polite form). The reward is two or three short sentences, as Japanese writes it.
export const ja: Strings = {
  locale: 'ja',
  dir: 'ltr',
  title: (program) => `${program}: 紹介ダッシュボード`,
  logoAlt: (program) => `${program}のロゴ`,
  avatarAlt: (who) => `${who}のアバター`,
  pendingNotice: (program) =>
    `パートナーシップは${program}の承認待ちです。リンクはすでに共有できます。`,
  linkHeading: '紹介リンク',
  copyLink: 'リンクをコピー',
  linkCopied: 'リンクをコピーしました。',
  copyFailed: 'Ctrl+C を押してリンクをコピーしてください。',
  noClicks: 'まだクリックはありません。リンクを共有すると、そこからの訪問がここに表示されます。',
  qrLabel: '紹介リンクのQRコード',
  qrHint: 'スキャンするとスマートフォンでリンクを開けます。',
  account: 'アカウント',
  trackingId: 'トラッキングID',
  group: 'グループ',
  status: 'ステータス',
  awaitingApproval: '承認待ち',
  approved: '承認済み',
  rewardsHeading: '報酬',
  percent: (n) => `${n}%`,
  reward: (r) => {
    const duration =
      r.duration === 'once'
        ? '初回の売上に限り、'
        : r.duration === 'forever'
          ? '顧客が利用を続ける限り、'
          : `${r.duration}か月間、`
    const sale = r.percentage !== null ? `売上の${r.percentage}` : `売上1件につき${r.fixed}`
    const lead = r.leadReward === null ? '' : `新規登録1件につき${r.leadReward}も獲得できます。`
    const hold = r.holdDays > 0 ? `報酬は${r.holdDays}日間の保留期間の後に支払われます。` : ''
    return `${duration}${sale}を獲得できます。${lead}${hold}`
  },
  statsHeading: '実績',
  asOf: (time) => `${time}時点`,
  clicks: 'クリック',
  leads: '登録',
  sales: '売上',
  salesAmount: '売上金額',
  pending: '保留中',
  approvedEarnings: '承認済み',
  paid: '支払済み',
  chartLabel: '過去30日間の1日あたりのクリック数',
  chartSummary: (c) => `過去30日間: ${c.clicks}、${c.leads}、${c.sales}`,
  chartKey: '棒: 1日のクリック数。輪: 登録があった日。点: 売上があった日。',
  clickCount: counted('ja', { other: 'クリック #件' }),
  leadCount: counted('ja', { other: '登録 #件' }),
  saleCount: counted('ja', { other: '売上 #件' }),
  earningsHeading: '収益',
  columns: {
    date: '日付',
    customer: '顧客',
    amount: '売上',
    commission: 'コミッション',
    status: 'ステータス',
    holdUntil: '保留期限',
    explanation: '内訳',
  },
  earningStatus: {
    pending: '保留中',
    approved: '承認済み',
    paid: '支払済み',
    refunded: '返金済み',
    declined: '却下',
  },
  none: '—',
  errors: {
    ended: {
      title: 'セッションが終了しました',
      text: 'このダッシュボードのリンクは期限切れか、新しいリンクに置き換えられました。ページを再読み込みして、もう一度開いてください。',
    },
    unavailable: {
      title: 'ダッシュボードを利用できません',
      text: 'この紹介ダッシュボードは現在、お客様のアカウントではご利用いただけません。',
    },
    failed: {
      title: '問題が発生しました',
      text: 'ダッシュボードを読み込めませんでした。1分ほどしてから、もう一度お試しください。',
    },
  },
  errorLine: (code, requestId) => `エラー ${code}、リクエスト ${requestId}`,
}
