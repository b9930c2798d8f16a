import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import axe from 'axe-core'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { catalogues } from '../../src/http/pages/catalogues'
import { fill } from '../../src/http/pages/strings'
import { englishPieces } from '../support/english-pieces'
import { affiliateWithActivity } from './support/activity'
import { cspErrors, stack, uniqueEmail, useBrowser } from './support/browser'

// The dashboard with recorded numbers, as an affiliate sees it in Chromium: in their language,
// readable by assistive technology (axe-core), and in the README's pictures.

const browser = useBrowser()
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

async function openDashboard(
  token: string,
  query: string,
  colorScheme: 'light' | 'dark' = 'light'
): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser().newContext({ viewport: { width: 420, height: 900 }, colorScheme })
  const page = await context.newPage()
  const errors = cspErrors(page)
  await page.goto(`${stack.serviceUrl}/embed?token=${encodeURIComponent(token)}${query}`)
  return { page, errors, close: () => context.close() }
}

interface Violation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

// axe-core's WCAG 2.x A and AA rules and its best practices, run in the page. Evaluated through
// the DevTools protocol, which the page's CSP does not govern, so the page keeps its real CSP.
async function violations(page: Page): Promise<Violation[]> {
  await page.evaluate(axe.source)
  return (await page.evaluate(`axe
    .run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    })
    .then((result) => result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    })))`)) as Violation[]
}

const serious = (found: Violation[]) =>
  found.filter((v) => v.impact === 'serious' || v.impact === 'critical')

describe('the dashboard with numbers, in Chromium', () => {
  it('has no serious or critical accessibility violation, light and dark, left to right and right to left', async () => {
    const token = await affiliateWithActivity(uniqueEmail(), 'Monica Reyes')
    for (const [query, scheme] of [
      ['&theme=light', 'light'],
      ['&theme=dark', 'dark'],
      ['&theme=system', 'dark'],
      ['&theme=light&lang=ar', 'light'],
      ['&theme=dark&lang=de', 'dark'],
    ] as const) {
      const { page, close } = await openDashboard(token, query, scheme)
      try {
        // The page is whole: cards, chart and table are there to be checked.
        expect(await page.locator('table tbody tr').count(), query).toBe(2)
        expect(serious(await violations(page)), query).toEqual([])
      } finally {
        await close()
      }
    }
  })

  it('has no serious or critical violation on the error screen either', async () => {
    const { page, close } = await openDashboard('not-a-token', '&theme=dark')
    try {
      expect(await page.locator('h1').textContent()).toBe(catalogues.en.errors.ended.title)
      expect(serious(await violations(page))).toEqual([])
    } finally {
      await close()
    }
  })

  it('in German shows no English label, and the numbers recorded in German notation', async () => {
    const token = await affiliateWithActivity(uniqueEmail(), 'Monica Reyes')
    const { page, errors, close } = await openDashboard(token, '&lang=de')
    try {
      expect(await page.getAttribute('html', 'lang')).toBe('de')
      // What is rendered: not the page's script, which is inside <body> too.
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's rendered text, not a DOM read
      const text = await page.locator('body').innerText()
      const labels = await page.$$eval('[aria-label], [alt], [title]', (elements) =>
        elements.map((e) =>
          ['aria-label', 'alt', 'title'].map((name) => e.getAttribute(name) ?? '').join(' ')
        )
      )
      const shown = `${text} ${labels.join(' ')}`
      const english = englishPieces(catalogues.en).filter(
        (piece) => piece.length > 3 && piece !== 'Status'
      )
      expect(english.filter((piece) => shown.includes(piece))).toEqual([])
      expect(text).toContain(catalogues.de.statsHeading)
      // 99 + 49 - 49.50 of sales, as German writes money, and each line explained in German.
      const money = new Intl.NumberFormat('de', { style: 'currency', currency: 'USD' })
      expect(text).toContain(money.format(98.5))
      expect(text).toContain(
        fill(catalogues.de.explain.percentage, {
          percent: fill(catalogues.de.percent, { n: '20' }),
          base: money.format(99),
        })
      )
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  it('in Arabic runs right to left, with the link still left to right', async () => {
    const token = await affiliateWithActivity(uniqueEmail(), 'Monica Reyes')
    const { page, close } = await openDashboard(token, '&lang=ar')
    try {
      expect(await page.getAttribute('html', 'dir')).toBe('rtl')
      expect(await page.evaluate('getComputedStyle(document.body).direction')).toBe('rtl')
      expect(
        await page.evaluate('getComputedStyle(document.getElementById("link")).direction')
      ).toBe('ltr')
      // The table's first column is on the right.
      const first = await page.locator('thead th').first().boundingBox()
      const last = await page.locator('thead th').last().boundingBox()
      expect(first?.x).toBeGreaterThan(last?.x ?? Number.POSITIVE_INFINITY)
      expect(await page.locator('h2#st').textContent()).toBe(catalogues.ar.statsHeading)
    } finally {
      await close()
    }
  })

  it('draws the 30-day chart: a bar on each day with clicks, the sign-up and sale marks, and its text', async () => {
    const token = await affiliateWithActivity(uniqueEmail(), 'Monica Reyes')
    const { page, close } = await openDashboard(token, '')
    try {
      const chart = page.locator('figure.c svg')
      const box = await chart.boundingBox()
      expect(box?.width).toBeGreaterThan(200)
      const bars = await chart
        .locator('rect')
        .evaluateAll((rects) => rects.map((r) => Math.round(r.getBoundingClientRect().height)))
      // Clicks on four days: 2, 5, 3 and 4; the tallest day is drawn tallest.
      expect(bars).toHaveLength(4)
      expect(bars.every((h) => h > 0)).toBe(true)
      expect(Math.max(...bars)).toBe(bars[1])
      // Painted: the bars' fill is not transparent.
      expect(
        await page.evaluate('getComputedStyle(document.querySelector("figure.c rect")).fill')
      ).not.toMatch(/^(none|rgba\(0, 0, 0, 0\))$/)
      expect(await chart.locator('circle.l').count()).toBe(1)
      expect(await page.locator('figcaption').textContent()).toContain(
        'Last 30 days: 14 clicks, 2 sign-ups, 2 sales'
      )
    } finally {
      await close()
    }
  })

  // The README's pictures, with real numbers. Taken on every run; written to docs/screenshots
  // only when asked (UPDATE_SCREENSHOTS=1), so a test run leaves the working tree as it found it.
  it('renders English light and dark and German to PNG (docs/screenshots with UPDATE_SCREENSHOTS=1)', async () => {
    const update = process.env.UPDATE_SCREENSHOTS === '1'
    if (update) await mkdir(SCREENSHOTS, { recursive: true })
    const token = await affiliateWithActivity(uniqueEmail('monica'), 'Monica Reyes')
    for (const [name, query, scheme] of [
      ['embed-light', '&theme=light', 'light'],
      ['embed-dark', '&theme=dark', 'dark'],
      ['embed-de', '&theme=light&lang=de', 'light'],
    ] as const) {
      const { page, errors, close } = await openDashboard(token, query, scheme)
      try {
        const png = await page.screenshot({
          fullPage: true,
          ...(update ? { path: `${SCREENSHOTS}${name}.png` } : {}),
        })
        expect(png.subarray(0, 8)).toEqual(
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        )
        expect(errors).toEqual([])
      } finally {
        await close()
      }
    }
  })
})
