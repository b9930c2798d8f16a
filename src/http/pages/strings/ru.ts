import type { Strings } from '../strings'
import { counted } from './count'

// Russian ("вы"). Counts take one, few or many forms (Intl.PluralRules).
// "в течение 1 месяца, 2 месяцев, 5 месяцев": the genitive.
const months = counted('ru', { one: '# месяца', other: '# месяцев' })

export const ru: Strings = {
  locale: 'ru',
  dir: 'ltr',
  title: (program) => `${program}: ваша реферальная панель`,
  logoAlt: (program) => `Логотип ${program}`,
  avatarAlt: (who) => `Аватар: ${who}`,
  pendingNotice: (program) =>
    `Ваше партнёрство ожидает одобрения со стороны ${program}. Делиться ссылкой можно уже сейчас.`,
  linkHeading: 'Ваша реферальная ссылка',
  copyLink: 'Скопировать ссылку',
  linkCopied: 'Ссылка скопирована.',
  copyFailed: 'Нажмите Ctrl+C, чтобы скопировать ссылку.',
  noClicks: 'Переходов пока нет: поделитесь ссылкой, и каждый визит по ней появится здесь.',
  qrLabel: 'QR-код вашей реферальной ссылки',
  qrHint: 'Отсканируйте, чтобы открыть ссылку на телефоне.',
  account: 'Ваш аккаунт',
  trackingId: 'ID отслеживания',
  group: 'Группа',
  status: 'Статус',
  awaitingApproval: 'Ожидает одобрения',
  approved: 'Одобрено',
  rewardsHeading: 'Ваше вознаграждение',
  percent: (n) => `${n}\u00a0%`,
  reward: (r) => {
    const sale =
      r.percentage !== null ? `${r.percentage} от каждой продажи` : `${r.fixed} за каждую продажу`
    const duration =
      r.duration === 'once'
        ? 'только за первую продажу'
        : r.duration === 'forever'
          ? 'всё время, пока клиент остаётся с вами'
          : `в течение ${months(r.duration)}`
    const lead =
      r.leadReward === null ? '' : `, а также ${r.leadReward} за каждую новую регистрацию`
    const hold = r.holdDays > 0 ? `; выплата после ${r.holdDays}-дневного периода удержания` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Ваши результаты',
  asOf: (time) => `По состоянию на ${time}`,
  clicks: 'Переходы',
  leads: 'Регистрации',
  sales: 'Продажи',
  salesAmount: 'Сумма продаж',
  pending: 'В ожидании',
  approvedEarnings: 'Одобрено',
  paid: 'Выплачено',
  chartLabel: 'Переходы по дням за последние 30 дней',
  chartSummary: (c) => `Последние 30 дней: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey: 'Столбцы: переходы за день. Кольцо: день с регистрациями. Точка: день с продажами.',
  clickCount: counted('ru', {
    one: '# переход',
    few: '# перехода',
    many: '# переходов',
    other: '# перехода',
  }),
  leadCount: counted('ru', {
    one: '# регистрация',
    few: '# регистрации',
    many: '# регистраций',
    other: '# регистрации',
  }),
  saleCount: counted('ru', {
    one: '# продажа',
    few: '# продажи',
    many: '# продаж',
    other: '# продажи',
  }),
  earningsHeading: 'Ваш заработок',
  columns: {
    date: 'Дата',
    customer: 'Клиент',
    amount: 'Продажа',
    commission: 'Комиссия',
    status: 'Статус',
    holdUntil: 'Удерживается до',
    explanation: 'Основание',
  },
  earningStatus: {
    pending: 'В ожидании',
    approved: 'Одобрена',
    paid: 'Выплачена',
    refunded: 'Возвращена',
    declined: 'Отклонена',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Сеанс завершён',
      text: 'Срок действия этой ссылки на панель истёк, или её заменила более новая. Перезагрузите страницу, чтобы открыть панель снова.',
    },
    unavailable: {
      title: 'Панель недоступна',
      text: 'Эта реферальная панель сейчас недоступна для вашего аккаунта.',
    },
    failed: {
      title: 'Что-то пошло не так',
      text: 'Не удалось загрузить панель. Повторите попытку через минуту.',
    },
  },
  errorLine: (code, requestId) => `Ошибка ${code}, запрос ${requestId}`,
}
