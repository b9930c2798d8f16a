import type { Count } from '../strings'

// A count with its noun, by the locale's plural rules (Intl.PluralRules: Russian's and Polish's
// one/few/many, Arabic's six forms). `#` in a form is the number, as `formatted` writes it, or
// as Intl writes it for the locale when no formatted number is given.
type Forms = { [rule in 'zero' | 'one' | 'two' | 'few' | 'many']?: string } & { other: string }

export function counted(locale: string, forms: Forms): Count & ((count: number) => string) {
  const rules = new Intl.PluralRules(locale)
  const number = new Intl.NumberFormat(locale)
  return (count: number, formatted: string = number.format(count)) =>
    (forms[rules.select(count) as keyof Forms] ?? forms.other).replace('#', formatted)
}
