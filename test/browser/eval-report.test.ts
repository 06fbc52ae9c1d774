// The evaluation report page in a real headless Chromium, opened from disk with no network: its three
// charts draw (Chart.js is inlined), its family table shows the scores, and a wrong decision is listed
// with its evidence. Screenshot in var/eval-report.png.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEvalReport } from '../../evaluation/store-eval/eval-report-html.ts';
import { chromiumMissing, launchChromium } from '../support/browser.ts';
import { evalReportFixture, FIXTURE_FAMILIES, KNOWN_WRONG } from '../support/eval-report-fixture.ts';

const SCREENSHOT = 'var/eval-report.png';
const skip = chromiumMissing();

describe.skipIf(skip !== undefined)('evaluation report in Chromium', () => {
  const report = evalReportFixture();
  let dir: string;
  let browser: Browser;
  let page: Page;
  /** requests the page made for anything but its own file */
  const fetched: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'walkout-eval-report-'));
    const file = join(dir, 'report.html');
    await writeEvalReport(report, file);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (r) => {
      if (r.url() !== pathToFileURL(file).href) fetched.push(r.url());
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts-ready=true]', { timeout: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('draws all three charts without fetching anything', async () => {
    for (const id of ['chart-exact', 'chart-calibration', 'chart-latency']) {
      const painted = await page.$eval(`#${id}`, (el) => {
        const canvas = el as HTMLCanvasElement;
        const ctx = canvas.getContext('2d');
        if (ctx === null || canvas.width === 0 || canvas.height === 0) return 0;
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) n++;
        return n;
      });
      expect(painted, id).toBeGreaterThan(2000);
    }
    expect(fetched).toEqual([]);
  });

  it('shows one row per family with its scores', async () => {
    const rows = await page.$$eval('#family-table tbody tr', (trs) =>
      trs.map((tr) => ({
        family: tr.getAttribute('data-family'),
        cells: Object.fromEntries(
          [...tr.querySelectorAll('td')].map((td) => [td.dataset.col, td.textContent?.trim()]),
        ),
      })),
    );
    expect(rows.map((r) => r.family)).toEqual(FIXTURE_FAMILIES.map((f) => f.family));
    // Wilson 95 %: 29/30 → 83.3–99.4, 27/36 → 58.9–86.2, 6/12 → 25.4–74.6
    expect(rows[0]?.cells).toEqual({
      visits: '30',
      exact: '96.7 % (83.3–99.4)',
      'line-f1': '0.995',
      'to-staff': '1.0 % (1)',
      'to-staff-why': 'close-call 1',
      'wrong-confident': '0',
      'receipt-p99': '912 ms',
    });
    expect(rows[2]?.cells).toEqual({
      visits: '36',
      exact: '75.0 % (58.9–86.2)',
      'line-f1': '0.924',
      'to-staff': '6.8 % (8)',
      'to-staff-why': 'close-call 8',
      'wrong-confident': '2',
      'receipt-p99': '2,210 ms',
    });
    expect(rows[3]?.cells.exact).toBe('50.0 % (25.4–74.6)');
    const overall = await page.$eval('#family-table tfoot tr', (tr) => tr.querySelector('td')?.textContent);
    expect(overall).toBe('102');
  });

  it('lists the wrong decision with who did it, who paid, and its evidence', async () => {
    const row = page.locator('#decision-table tbody tr.wrong', { hasText: KNOWN_WRONG.lane }).filter({
      hasText: KNOWN_WRONG.sku ?? '',
    });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-col=truth]').textContent()).toBe('erin');
    expect(await row.locator('[data-col=billed]').textContent()).toBe('dan');
    expect(await row.textContent()).toContain('41.3 s');
    await row.locator('details summary').click();
    expect(await row.locator('details pre').textContent()).toContain('"handM": 0.21');
    // staff decisions are listed too, and no decision billed right is
    const staff = await page.locator('#decision-table tbody tr.staff').count();
    expect(staff).toBe(report.decisions.filter((d) => d.attribution === 'staff').length);
    const listed = await page.locator('#decision-table tbody tr').count();
    expect(listed).toBe(report.decisions.filter((d) => d.correct !== true).length);

    mkdirSync('var', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
