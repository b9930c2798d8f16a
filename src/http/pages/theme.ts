// The page's colours, from the program's brand colours and the `?theme=` the host asked for.
// Brand colours are arbitrary, so every pair the page draws is checked against WCAG contrast
// (4.5:1 for text, 3:1 for the button, the focus ring and borders) and adjusted where it falls
// short. Terse on purpose: it travels in the worker's size-budgeted bundle.

export type ThemeChoice = 'light' | 'dark' | 'system'

// A host that says nothing gets the light page: it matches most host pages, whatever the
// visitor's system setting is.
export const themeChoice = (value: string | undefined): ThemeChoice =>
  value === 'dark' || value === 'system' ? value : 'light'

type Rgb = number[]

const INK = [17, 24, 39]
const WHITE = [255, 255, 255]

// Only `#rrggbb` is accepted (the database checks the same); anything else means "no colour".
const parse = (value: string | null): Rgb | undefined =>
  value && /^#[0-9a-f]{6}$/i.test(value) ? [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16)) : undefined
const hex = (c: Rgb) => `#${c.map((v) => (Math.round(v) | 256).toString(16).slice(1)).join('')}`
const mix = (a: Rgb, b: Rgb, t: number) => a.map((v, i) => v + (b[i]! - v) * t)
const luminance = (c: Rgb) =>
  c.reduce((sum, v, i) => {
    const s = v / 255
    return sum + [0.2126, 0.7152, 0.0722][i]! * (s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4)
  }, 0)
const contrast = (a: Rgb, b: Rgb) => {
  const [x, y] = [luminance(a) + 0.05, luminance(b) + 0.05]
  return x > y ? x / y : y / x
}
// The one of ink and white that reads better on `bg`: always at least 4.5:1.
const textOn = (bg: Rgb) => (contrast(bg, INK) > contrast(bg, WHITE) ? INK : WHITE)

function palette(scheme: string, bg: Rgb, accent: Rgb): string {
  const fg = textOn(bg)
  // The accent fills the button and draws the focus ring: moved towards the text colour until
  // it stands out from the page.
  for (let i = 0; i < 9 && contrast(accent, bg) < 3; i++) accent = mix(accent, fg, 0.15)
  const muted = mix(fg, bg, 0.3)
  const vars = [bg, fg, contrast(muted, bg) < 4.5 ? fg : muted, mix(bg, fg, 0.05), mix(bg, fg, 0.5), accent, textOn(accent)]
  return `:root{color-scheme:${scheme};${vars.map((c, i) => `--${'bfmslao'[i]}:${hex(c)}`).join(';')}}`
}

// CSS custom properties for :root (--b background, --f text, --m muted text, --s surface,
// --l lines, --a accent, --o text on the accent). `system` carries both palettes and lets
// prefers-color-scheme pick.
export function themeCss(
  choice: ThemeChoice,
  colors: { primaryColor: string | null; backgroundColor: string | null } = { primaryColor: null, backgroundColor: null }
): string {
  const accent = parse(colors.primaryColor) ?? [79, 70, 229]
  // The brand background is a light-page colour; the dark page keeps only a hint of the brand.
  const light = palette('light', parse(colors.backgroundColor) ?? WHITE, accent)
  const dark = palette('dark', mix([17, 19, 24], accent, 0.08), accent)
  return choice === 'light' ? light : choice === 'dark' ? dark : `${light}@media(prefers-color-scheme:dark){${dark}}`
}
