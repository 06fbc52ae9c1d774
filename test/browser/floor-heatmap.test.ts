// The floor view's heat layer in a real headless Chromium against a real edge (no cameras, so it starts in
// about a second): the anonymous floor heat the behaviour stage keeps (edge/behaviour/floor-heat.ts) is
// drawn over the lanes and ranked beside the map, as dwell and as looks per pick.
// Screenshots in test-results/screenshots (floor-heat-*.png).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoreStack, startStoreStack } from '../../evaluation/harness/store-stack.ts';
import { loadScenario } from '../../simulators/scenario/scenario-loader.ts';
import { chromiumMissing, launchChromium, SCREENSHOTS } from '../support/browser.ts';

const { store } = loadScenario('scenarios/skeleton-one-shopper.json');
const skip = chromiumMissing();

describe.skipIf(skip !== undefined)('floor view heat layer in Chromium', () => {
  let stack: StoreStack;
  let browser: Browser;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'walkout-heat-'));
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startStoreStack({ store, edgeDbPath: join(dir, 'edge.db') });
    // an hour of the store as the behaviour stage sums it: lane, dwell, looks, picks — no one in it
    const db = new Database(join(dir, 'edge.db'));
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const insert = db.prepare(
      'INSERT INTO floor_heat (hour, lane, dwell_ms, looks, picks) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run(hour, 'S01-L01', 95_000, 12, 1);
    insert.run(hour, 'S01-L05', 40_000, 2, 6);
    insert.run(hour, 'S04-L08', 20_000, 6, 0);
    // older than the last hour: out of the short period
    insert.run(hour - 5 * 3_600_000, 'S07-L06', 500_000, 40, 1);
    db.close();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ranked = () => page.$$eval('#heat-top li', (items) => items.map((li) => li.textContent ?? ''));

  it('ranks the lanes by dwell, then by looks per pick, over the chosen period', async () => {
    await page.goto(`${stack.edge.httpUrl}/floor/`);
    await page.fill('#login-user', 'manager');
    await page.fill('#login-password', 'walkout-demo');
    await page.click('#login-form button');
    await page.waitForSelector('#conn-text:has-text("live")');

    await page.selectOption('#heat-period', '1');
    await page.selectOption('#heat-layer', 'dwell');
    await expect.poll(ranked).toEqual(['S01-L01 95 s dwell', 'S01-L05 40 s dwell', 'S04-L08 20 s dwell']);
    await page.screenshot({ path: `${SCREENSHOTS}/floor-heat-dwell.png` });

    await page.selectOption('#heat-layer', 'looks-per-pick');
    await expect
      .poll(ranked)
      .toEqual(['S01-L01 12 looks / 1 picks', 'S04-L08 6 looks / 0 picks', 'S01-L05 2 looks / 6 picks']);
    await page.selectOption('#heat-period', '24');
    await expect.poll(async () => (await ranked())[0]).toBe('S07-L06 40 looks / 1 picks');
    await page.screenshot({ path: `${SCREENSHOTS}/floor-heat-looks-per-pick.png` });

    await page.selectOption('#heat-layer', 'off');
    await page.waitForSelector('#heat-top[hidden]', { state: 'attached' });
    expect(pageErrors).toEqual([]);
  });
});
