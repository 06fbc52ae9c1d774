// The floor page in a real headless Chromium across what an edge goes through (#15): the network between
// page and edge cut and restored (the page reconnects and reloads its state, so what changed meanwhile
// shows), and the edge restarted (it forgets staff sign-ins: the page asks to sign in again, then is live).
// The page reaches the edge through a link the test cuts; no devices, no cameras: a few seconds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../evaluation/harness/local-ports.ts';
import { type StoreStack, startStoreStack } from '../../evaluation/harness/store-stack.ts';
import { type SwitchableLink, startSwitchableLink } from '../../evaluation/harness/switchable-link.ts';
import { loadStoreConfig } from '../../shared/store-config.ts';
import { chromiumMissing, launchChromium } from '../support/browser.ts';

const store = loadStoreConfig('stores/sample-store.json');
const skip = chromiumMissing();
/** The page's reconnect backoff starts at ~1 s and doubles: a few tries fit in this. */
const RECONNECT_TIMEOUT_MS = 15_000;

async function signIn(page: Page): Promise<void> {
  await page.fill('#login-user', 'manager');
  await page.fill('#login-password', 'walkout-demo');
  await page.click('#login-form button');
  await page.waitForSelector('#conn-text:has-text("live")');
}

describe.skipIf(skip !== undefined)('floor page in Chromium across a lost link and an edge restart', () => {
  let dir: string;
  let stack: StoreStack;
  let link: SwitchableLink;
  let browser: Browser;
  let page: Page;
  /** Times the page asked for the floor state (its snapshot). */
  let stateLoads = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'walkout-floor-reconnect-'));
    stack = await startStoreStack({
      store,
      edgeDbPath: join(dir, 'edge.sqlite'),
      edgeHttpPort: await freePort(),
    });
    const edgeUrl = stack.edge.httpUrl;
    if (edgeUrl === undefined) throw new Error('the edge is not listening');
    link = await startSwitchableLink(edgeUrl);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/floor/api/state') stateLoads++;
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await link?.close();
    await stack?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('reconnects after the link to the edge was cut and reloads its state: what changed meanwhile shows', async () => {
    await page.goto(`${link.url}/floor/`);
    await signIn(page);
    const loadsBefore = stateLoads;
    link.set('refused');
    await page.waitForSelector('#conn-text:has-text("reconnecting")');
    // raised while the page is cut off and never sent live: only a reloaded snapshot can show it
    stack.edge.alerts.raise({
      alertId: 'device-offline:reconnect-test',
      kind: 'device-offline',
      severity: 'warning',
      message: 'Raised while the floor page was cut off',
      ts: Date.now(),
    });
    link.set('up');
    await page.waitForSelector('#conn-text:has-text("live")', { timeout: RECONNECT_TIMEOUT_MS });
    expect(stateLoads).toBeGreaterThan(loadsBefore);
    await page.click('#tabs button[data-tab="alerts"]');
    await page.waitForSelector('#tab-alerts:has-text("Raised while the floor page was cut off")');
    expect(await page.isVisible('#login')).toBe(false);
  });

  it('asks to sign in again after an edge restart (its sign-in expired), then is live again', async () => {
    await stack.restartEdge();
    await page.waitForSelector('#login:not([hidden])', { timeout: RECONNECT_TIMEOUT_MS });
    expect(await page.textContent('#conn-text')).toBe('offline');
    const loadsBefore = stateLoads;
    await signIn(page);
    expect(stateLoads).toBeGreaterThan(loadsBefore);
    // the restarted edge's snapshot: the alert the old one kept in memory is gone
    await page.click('#tabs button[data-tab="alerts"]');
    await page.waitForSelector('#tab-alerts > p.muted:has-text("No alerts.")');
    expect(pageErrors).toEqual([]);
  });
});
