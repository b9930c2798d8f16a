// The page's colours, from the program's brand colours and the `?theme=` the host asked for.
// Brand colours are arbitrary, so every pair the page draws is checked against WCAG contrast
// (4.5:1 for text, 3:1 for the button, the focus ring and borders) and adjusted where it falls
// short.

export type ThemeChoice = 'light' | 'dark' | 'system'

// A host that says nothing gets the light page: it matches most host pages, whatever the
// visitor's system setting is.
export const themeChoice = (value: string | undefined): ThemeChoice =>
  value === 'dark' || value === 'system' ? value : 'light'

// The custom properties set on :root. embed.css uses the readable names, in kebab case
// (`var(--on-accent)`); the page carries the one-letter values (`--o`), to which
// tools/generate-assets.ts renames them in the stylesheet. An enum, because the bundler inlines
// its values: the readable names cost the worker's size-budgeted bundle nothing.
export enum ThemeVariable {
  background = 'b',
  text = 'f',
  muted = 'm',
  surface = 's',
  line = 'l',
  accent = 'a',
  onAccent = 'o',
}

type Rgb = readonly [red: number, green: number, blue: number]

const INK: Rgb = [17, 24, 39]
const WHITE: Rgb = [255, 255, 255]

// Only `#rrggbb` is accepted (the database checks the same); anything else means "no colour".
function parse(value: string | null): Rgb | undefined {
  if (!value || !/^#[0-9a-f]{6}$/i.test(value)) return undefined
  const channel = (at: number) => parseInt(value.slice(at, at + 2), 16)
  return [channel(1), channel(3), channel(5)]
}
const hex = (c: Rgb) => `#${c.map((v) => (Math.round(v) | 256).toString(16).slice(1)).join('')}`
const mix = ([r, g, b]: Rgb, [r2, g2, b2]: Rgb, t: number): Rgb => [
  r + (r2 - r) * t,
  g + (g2 - g) * t,
  b + (b2 - b) * t,
]
// Relative luminance, as WCAG defines it.
const linear = (v: number) => {
  const s = v / 255
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
}
const luminance = ([r, g, b]: Rgb) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
const contrast = (a: Rgb, b: Rgb) => {
  const [x, y] = [luminance(a) + 0.05, luminance(b) + 0.05]
  return x > y ? x / y : y / x
}
// The one of ink and white that reads better on `bg`: always at least 4.5:1.
const textOn = (bg: Rgb) => (contrast(bg, INK) > contrast(bg, WHITE) ? INK : WHITE)

function palette(scheme: string, bg: Rgb, wanted: Rgb): string {
  const fg = textOn(bg)
  // The accent fills the button and draws the focus ring: moved towards the text colour until
  // it stands out from the page.
  let accent = wanted
  for (let i = 0; i < 9 && contrast(accent, bg) < 3; i++) accent = mix(accent, fg, 0.15)
  const muted = mix(fg, bg, 0.3)
  const colors: [ThemeVariable, Rgb][] = [
    [ThemeVariable.background, bg],
    [ThemeVariable.text, fg],
    [ThemeVariable.muted, contrast(muted, bg) < 4.5 ? fg : muted],
    [ThemeVariable.surface, mix(bg, fg, 0.05)],
    [ThemeVariable.line, mix(bg, fg, 0.5)],
    [ThemeVariable.accent, accent],
    [ThemeVariable.onAccent, textOn(accent)],
  ]
  const properties = colors.map(([name, c]) => `--${name}:${hex(c)}`)
  return `:root{color-scheme:${scheme};${properties.join(';')}}`
}

// Affonso's `?bg=1a1a2e` (hex without `#`): the host's own background, so the frame does not
// show as a box on its page. Anything else is ignored, as an unknown parameter is.
export const backdrop = (value: string | undefined): Rgb | undefined =>
  value === undefined ? undefined : parse(`#${value}`)

// `:root` rules setting every ThemeVariable. `system` carries both palettes and lets
// prefers-color-scheme pick. A host's backdrop wins over both: the page takes its colour, and
// text and accent are chosen to read on it.
export function themeCss(
  choice: ThemeChoice,
  colors: { primaryColor: string | null; backgroundColor: string | null } = {
    primaryColor: null,
    backgroundColor: null,
  },
  backdrop?: Rgb
): string {
  const accent = parse(colors.primaryColor) ?? [79, 70, 229]
  if (backdrop) return palette(textOn(backdrop) === INK ? 'light' : 'dark', backdrop, accent)
  // The brand background is a light-page colour; the dark page keeps only a hint of the brand.
  const light = palette('light', parse(colors.backgroundColor) ?? WHITE, accent)
  const dark = palette('dark', mix([17, 19, 24], accent, 0.08), accent)
  return choice === 'light'
    ? light
    : choice === 'dark'
      ? dark
      : `${light}@media(prefers-color-scheme:dark){${dark}}`
}
