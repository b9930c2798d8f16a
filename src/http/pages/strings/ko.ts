import type { Strings } from '../strings'
import { counted } from './count'

// Korean (polite 합니다 style; the reward in the noun-ending style of Korean UI).
export const ko: Strings = {
  locale: 'ko',
  dir: 'ltr',
  title: (program) => `${program}: 추천 대시보드`,
  logoAlt: (program) => `${program} 로고`,
  avatarAlt: (who) => `${who}의 아바타`,
  pendingNotice: (program) =>
    `${program}의 파트너십 승인을 기다리고 있습니다. 링크는 지금 바로 공유할 수 있습니다.`,
  linkHeading: '추천 링크',
  copyLink: '링크 복사',
  linkCopied: '링크가 복사되었습니다.',
  copyFailed: 'Ctrl+C를 눌러 링크를 복사하세요.',
  noClicks: '아직 클릭이 없습니다. 링크를 공유하면 링크를 통한 모든 방문이 여기에 표시됩니다.',
  qrLabel: '추천 링크 QR 코드',
  qrHint: '휴대폰에서 링크를 열려면 스캔하세요.',
  account: '내 계정',
  trackingId: '추적 ID',
  group: '그룹',
  status: '상태',
  awaitingApproval: '승인 대기 중',
  approved: '승인됨',
  rewardsHeading: '리워드',
  percent: (n) => `${n}%`,
  reward: (r) => {
    const duration =
      r.duration === 'once'
        ? '첫 판매에 한해'
        : r.duration === 'forever'
          ? '고객이 이용하는 동안'
          : `${r.duration}개월 동안`
    const sale =
      r.percentage !== null ? `판매 금액의 ${r.percentage} 지급` : `판매 1건당 ${r.fixed} 지급`
    const lead = r.leadReward === null ? '' : `, 신규 가입 1건당 ${r.leadReward} 추가 지급`
    const hold = r.holdDays > 0 ? `, ${r.holdDays}일 보류 기간 후 정산` : ''
    return `${duration} ${sale}${lead}${hold}.`
  },
  statsHeading: '내 실적',
  asOf: (time) => `${time} 기준`,
  clicks: '클릭',
  leads: '가입',
  sales: '판매',
  salesAmount: '판매 금액',
  pending: '대기 중',
  approvedEarnings: '승인됨',
  paid: '지급됨',
  chartLabel: '최근 30일간 일별 클릭 수',
  chartSummary: (c) => `최근 30일: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey: '막대: 일별 클릭 수. 고리: 가입이 있었던 날. 점: 판매가 있었던 날.',
  clickCount: counted('ko', { other: '클릭 #회' }),
  leadCount: counted('ko', { other: '가입 #건' }),
  saleCount: counted('ko', { other: '판매 #건' }),
  earningsHeading: '내 수익',
  columns: {
    date: '날짜',
    customer: '고객',
    amount: '판매',
    commission: '커미션',
    status: '상태',
    holdUntil: '보류 기한',
    explanation: '설명',
  },
  earningStatus: {
    pending: '대기 중',
    approved: '승인됨',
    paid: '지급됨',
    refunded: '환불됨',
    declined: '거절됨',
  },
  none: '—',
  errors: {
    ended: {
      title: '세션이 종료되었습니다',
      text: '이 대시보드 링크가 만료되었거나 새 링크로 교체되었습니다. 페이지를 새로고침하여 다시 여세요.',
    },
    unavailable: {
      title: '대시보드를 사용할 수 없음',
      text: '현재 회원님의 계정에서는 이 추천 대시보드를 사용할 수 없습니다.',
    },
    failed: {
      title: '문제가 발생했습니다',
      text: '대시보드를 불러오지 못했습니다. 1분 후에 다시 시도해 주세요.',
    },
  },
  errorLine: (code, requestId) => `오류 ${code}, 요청 ${requestId}`,
}
