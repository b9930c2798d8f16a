import type { Strings } from '../strings'
import { counted } from './count'

// Turkish ("siz"). A noun after a number stays singular.
export const tr: Strings = {
  locale: 'tr',
  dir: 'ltr',
  title: (program) => `${program}: yönlendirme panonuz`,
  logoAlt: (program) => `${program} logosu`,
  avatarAlt: (who) => `${who} profil resmi`,
  pendingNotice: (program) =>
    `Ortaklığınız ${program} tarafından onaylanmayı bekliyor. Bağlantınızı şimdiden paylaşabilirsiniz.`,
  linkHeading: 'Yönlendirme bağlantınız',
  copyLink: 'Bağlantıyı kopyala',
  linkCopied: 'Bağlantı kopyalandı.',
  copyFailed: 'Bağlantıyı kopyalamak için Ctrl+C tuşlarına basın.',
  noClicks: 'Henüz tıklama yok: bağlantınızı paylaşın, getirdiği her ziyaret burada görünecek.',
  qrLabel: 'Yönlendirme bağlantınızın QR kodu',
  qrHint: 'Bağlantınızı telefonda açmak için tarayın.',
  account: 'Hesabınız',
  trackingId: 'Takip kimliği',
  group: 'Grup',
  status: 'Durum',
  awaitingApproval: 'Onay bekliyor',
  approved: 'Onaylandı',
  rewardsHeading: 'Ödülünüz',
  percent: (n) => `%${n}`,
  reward: (r) => {
    const sale = r.percentage !== null ? `Her satıştan ${r.percentage}` : `Satış başına ${r.fixed}`
    const duration =
      r.duration === 'once'
        ? 'yalnızca ilk satış için'
        : r.duration === 'forever'
          ? 'müşteri kaldığı sürece'
          : `${r.duration} ay boyunca`
    const lead = r.leadReward === null ? '' : `, ayrıca her yeni kayıt için ${r.leadReward}`
    const hold = r.holdDays > 0 ? `; ${r.holdDays} günlük bekleme süresinin ardından ödenir` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Sonuçlarınız',
  asOf: (time) => `${time} itibarıyla`,
  clicks: 'Tıklamalar',
  leads: 'Kayıtlar',
  sales: 'Satışlar',
  salesAmount: 'Satış tutarı',
  pending: 'Beklemede',
  approvedEarnings: 'Onaylandı',
  paid: 'Ödendi',
  chartLabel: 'Son 30 günde günlük tıklamalar',
  chartSummary: (c) => `Son 30 gün: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey: 'Çubuklar: günlük tıklamalar. Halka: kayıt olan bir gün. Nokta: satış olan bir gün.',
  clickCount: counted('tr', { other: '# tıklama' }),
  leadCount: counted('tr', { other: '# kayıt' }),
  saleCount: counted('tr', { other: '# satış' }),
  earningsHeading: 'Kazançlarınız',
  columns: {
    date: 'Tarih',
    customer: 'Müşteri',
    amount: 'Satış',
    commission: 'Komisyon',
    status: 'Durum',
    holdUntil: 'Bekleme bitişi',
    explanation: 'Açıklama',
  },
  earningStatus: {
    pending: 'Beklemede',
    approved: 'Onaylandı',
    paid: 'Ödendi',
    refunded: 'İade edildi',
    declined: 'Reddedildi',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Oturumunuz sona erdi',
      text: 'Bu pano bağlantısının süresi doldu veya yerine daha yenisi geldi. Yeniden açmak için sayfayı yenileyin.',
    },
    unavailable: {
      title: 'Pano kullanılamıyor',
      text: 'Bu yönlendirme panosu şu anda hesabınız için kullanılamıyor.',
    },
    failed: {
      title: 'Bir sorun oluştu',
      text: 'Pano yüklenemedi. Lütfen bir dakika sonra tekrar deneyin.',
    },
  },
  errorLine: (code, requestId) => `Hata ${code}, istek ${requestId}`,
}
