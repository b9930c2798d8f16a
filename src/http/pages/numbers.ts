// The dashboard's numbers, amounts and dates, written for one locale with Intl. Dates are the
// server's UTC days (the activity's `date`s are), so they are shown in UTC, and say so where a
// time of day is shown.

export interface Formats {
  count: (n: number) => string
  money: (n: number) => string
  day: (iso: string) => string
  time: (iso: string) => string
}

export function formats(locale: string, currency: string): Formats {
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 })
  let money: Intl.NumberFormat | undefined
  try {
    money = new Intl.NumberFormat(locale, { style: 'currency', currency })
  } catch {
    // A code Intl does not know (the database only checks its shape): the number and the code.
  }
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
  const time = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  })
  return {
    count: (n) => count.format(n),
    money: (n) => (money ? money.format(n) : `${count.format(n)} ${currency}`),
    // `2026-11-28` is read as midnight UTC, so the day shown is the day given.
    day: (iso) => day.format(new Date(iso)),
    time: (iso) => `${time.format(new Date(iso))} UTC`,
  }
}
