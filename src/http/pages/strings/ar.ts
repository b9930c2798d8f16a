import type { Strings } from '../strings'
import { counted } from './count'

// Arabic, right to left. Counts take Arabic's six plural forms (Intl.PluralRules); numbers are
// written as Intl writes them for `ar`, in Arabic-Indic digits.
const months = counted('ar', {
  zero: '# شهر',
  one: 'شهر واحد',
  two: 'شهرين',
  few: '# أشهر',
  many: '# شهرًا',
  other: '# شهر',
})
const days = counted('ar', {
  zero: '# يوم',
  one: 'يوم واحد',
  two: 'يومين',
  few: '# أيام',
  many: '# يومًا',
  other: '# يوم',
})

export const ar: Strings = {
  locale: 'ar',
  dir: 'rtl',
  title: (program) => `${program}: لوحة الإحالات الخاصة بك`,
  logoAlt: (program) => `شعار ${program}`,
  avatarAlt: (who) => `الصورة الرمزية لـ ${who}`,
  pendingNotice: (program) => `شراكتك بانتظار موافقة ${program}. يمكنك مشاركة رابطك من الآن.`,
  linkHeading: 'رابط الإحالة الخاص بك',
  copyLink: 'نسخ الرابط',
  linkCopied: 'تم نسخ الرابط.',
  copyFailed: 'اضغط Ctrl+C لنسخ الرابط.',
  noClicks: 'لا توجد نقرات بعد: شارك رابطك، وستظهر هنا كل زيارة يجلبها.',
  qrLabel: 'رمز QR لرابط الإحالة الخاص بك',
  qrHint: 'امسح الرمز لفتح رابطك على الهاتف.',
  account: 'حسابك',
  trackingId: 'معرّف التتبع',
  group: 'المجموعة',
  status: 'الحالة',
  awaitingApproval: 'بانتظار الموافقة',
  approved: 'مقبول',
  rewardsHeading: 'مكافأتك',
  percent: (n) => `${n}٪`,
  reward: (r) => {
    const sale =
      r.percentage !== null ? `${r.percentage} من كل عملية بيع` : `${r.fixed} عن كل عملية بيع`
    const duration =
      r.duration === 'once'
        ? 'لأول عملية بيع فقط'
        : r.duration === 'forever'
          ? 'طوال مدة بقاء العميل'
          : `لمدة ${months(r.duration)}`
    const lead = r.leadReward === null ? '' : `، و${r.leadReward} عن كل تسجيل جديد`
    const hold = r.holdDays > 0 ? `، تُدفع بعد فترة احتجاز مدتها ${days(r.holdDays)}` : ''
    return `${sale}، ${duration}${lead}${hold}.`
  },
  statsHeading: 'نتائجك',
  asOf: (time) => `حتى ${time}`,
  clicks: 'النقرات',
  leads: 'التسجيلات',
  sales: 'المبيعات',
  salesAmount: 'قيمة المبيعات',
  pending: 'قيد الانتظار',
  approvedEarnings: 'المعتمدة',
  paid: 'المدفوعة',
  chartLabel: 'النقرات اليومية خلال آخر ٣٠ يومًا',
  chartSummary: (c) => `آخر ٣٠ يومًا: ${c.clicks}، ${c.leads}، ${c.sales}`,
  chartKey: 'الأعمدة: النقرات في اليوم. الحلقة: يوم فيه تسجيلات. النقطة: يوم فيه مبيعات.',
  clickCount: counted('ar', {
    zero: '# نقرة',
    one: 'نقرة واحدة',
    two: 'نقرتان',
    few: '# نقرات',
    many: '# نقرة',
    other: '# نقرة',
  }),
  leadCount: counted('ar', {
    zero: '# تسجيل',
    one: 'تسجيل واحد',
    two: 'تسجيلان',
    few: '# تسجيلات',
    many: '# تسجيلًا',
    other: '# تسجيل',
  }),
  saleCount: counted('ar', {
    zero: '# عملية بيع',
    one: 'عملية بيع واحدة',
    two: 'عمليتا بيع',
    few: '# عمليات بيع',
    many: '# عملية بيع',
    other: '# عملية بيع',
  }),
  earningsHeading: 'أرباحك',
  columns: {
    date: 'التاريخ',
    customer: 'العميل',
    amount: 'البيع',
    commission: 'العمولة',
    status: 'الحالة',
    holdUntil: 'محتجزة حتى',
    explanation: 'السبب',
  },
  earningStatus: {
    pending: 'قيد الانتظار',
    approved: 'معتمدة',
    paid: 'مدفوعة',
    refunded: 'مستردة',
    declined: 'مرفوضة',
  },
  none: '—',
  errors: {
    ended: {
      title: 'انتهت جلستك',
      text: 'انتهت صلاحية رابط لوحة التحكم هذا أو استُبدل برابط أحدث. أعد تحميل الصفحة لفتحها مجددًا.',
    },
    unavailable: {
      title: 'لوحة التحكم غير متاحة',
      text: 'لوحة الإحالات هذه غير متاحة لحسابك في الوقت الحالي.',
    },
    failed: {
      title: 'حدث خطأ ما',
      text: 'تعذّر تحميل لوحة التحكم. يُرجى المحاولة مرة أخرى بعد دقيقة.',
    },
  },
  errorLine: (code, requestId) => `الخطأ ${code}، الطلب ${requestId}`,
}
