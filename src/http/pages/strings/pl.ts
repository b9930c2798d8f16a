import type { Strings } from '../strings'
import { counted } from './count'

// Polish. Counts take one, few or many forms (Intl.PluralRules).
const months = counted('pl', {
  one: '# miesiąc',
  few: '# miesiące',
  many: '# miesięcy',
  other: '# miesiąca',
})

export const pl: Strings = {
  locale: 'pl',
  dir: 'ltr',
  title: (program) => `${program}: Twój panel poleceń`,
  logoAlt: (program) => `Logo ${program}`,
  avatarAlt: (who) => `Awatar: ${who}`,
  pendingNotice: (program) =>
    `Twoje partnerstwo czeka na zatwierdzenie przez ${program}. Już teraz możesz udostępniać swój link.`,
  linkHeading: 'Twój link polecający',
  copyLink: 'Kopiuj link',
  linkCopied: 'Skopiowano link.',
  copyFailed: 'Naciśnij Ctrl+C, aby skopiować link.',
  noClicks:
    'Nie ma jeszcze kliknięć: udostępnij swój link, a każda wizyta, którą przyniesie, pojawi się tutaj.',
  qrLabel: 'Kod QR Twojego linku polecającego',
  qrHint: 'Zeskanuj, aby otworzyć link w telefonie.',
  account: 'Twoje konto',
  trackingId: 'Identyfikator śledzenia',
  group: 'Grupa',
  status: 'Status',
  awaitingApproval: 'Oczekuje na zatwierdzenie',
  approved: 'Zatwierdzone',
  rewardsHeading: 'Twoja nagroda',
  percent: (n) => `${n}%`,
  reward: (r) => {
    const sale =
      r.percentage !== null ? `${r.percentage} od każdej sprzedaży` : `${r.fixed} za każdą sprzedaż`
    const duration =
      r.duration === 'once'
        ? 'tylko za pierwszą sprzedaż'
        : r.duration === 'forever'
          ? 'dopóki klient z nami zostaje'
          : `przez ${months(r.duration)}`
    const lead = r.leadReward === null ? '' : `, oraz ${r.leadReward} za każdą nową rejestrację`
    const hold = r.holdDays > 0 ? `, wypłacane po ${r.holdDays}-dniowym okresie wstrzymania` : ''
    return `${sale}, ${duration}${lead}${hold}.`
  },
  statsHeading: 'Twoje wyniki',
  asOf: (time) => `Stan na ${time}`,
  clicks: 'Kliknięcia',
  leads: 'Rejestracje',
  sales: 'Sprzedaże',
  salesAmount: 'Wartość sprzedaży',
  pending: 'Oczekujące',
  approvedEarnings: 'Zatwierdzone',
  paid: 'Wypłacone',
  chartLabel: 'Kliknięcia dziennie w ciągu ostatnich 30 dni',
  chartSummary: (c) => `Ostatnie 30 dni: ${c.clicks}, ${c.leads}, ${c.sales}`,
  chartKey:
    'Słupki: kliknięcia dziennie. Pierścień: dzień z rejestracjami. Kropka: dzień ze sprzedażą.',
  clickCount: counted('pl', {
    one: '# kliknięcie',
    few: '# kliknięcia',
    many: '# kliknięć',
    other: '# kliknięcia',
  }),
  leadCount: counted('pl', {
    one: '# rejestracja',
    few: '# rejestracje',
    many: '# rejestracji',
    other: '# rejestracji',
  }),
  saleCount: counted('pl', {
    one: '# sprzedaż',
    few: '# sprzedaże',
    many: '# sprzedaży',
    other: '# sprzedaży',
  }),
  earningsHeading: 'Twoje zarobki',
  columns: {
    date: 'Data',
    customer: 'Klient',
    amount: 'Sprzedaż',
    commission: 'Prowizja',
    status: 'Status',
    holdUntil: 'Wstrzymane do',
    explanation: 'Powód',
  },
  earningStatus: {
    pending: 'Oczekująca',
    approved: 'Zatwierdzona',
    paid: 'Wypłacona',
    refunded: 'Zwrócona',
    declined: 'Odrzucona',
  },
  none: '—',
  errors: {
    ended: {
      title: 'Sesja wygasła',
      text: 'Ten link do panelu wygasł lub został zastąpiony nowszym. Odśwież stronę, aby otworzyć go ponownie.',
    },
    unavailable: {
      title: 'Panel niedostępny',
      text: 'Ten panel poleceń jest obecnie niedostępny dla Twojego konta.',
    },
    failed: {
      title: 'Coś poszło nie tak',
      text: 'Nie udało się wczytać panelu. Spróbuj ponownie za minutę.',
    },
  },
  errorLine: (code, requestId) => `Błąd ${code}, żądanie ${requestId}`,
}
