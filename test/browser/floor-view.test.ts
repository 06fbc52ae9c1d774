// The staff floor view in a real headless Chromium: a supervisor signs in, sees the store map, an
// exception appears when a pick happens with two shoppers inside, the supervisor assigns it with a
// click, and the receipt with that line then reaches the cloud. Screenshots in test-results/screenshots.
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../shared/schemas/session-event.ts';
import { CloudAppClient } from '../../simulators/app/cloud-app-client.ts';
import { type StoreStack, startStoreStack } from '../../simulators/harness/store-stack.ts';
import type { GroundTruth } from '../../simulators/scenario/ground-truth.ts';
import { runScenario } from '../../simulators/scenario/run-scenario.ts';
import { loadScenario, parseScenario } from '../../simulators/scenario/scenario-loader.ts';
import { SHOPPER_PASSWORD, shopperEmail } from '../../simulators/scenario/simulator.ts';
import { chromiumMissing, launchChromium, SCREENSHOTS } from '../support/browser.ts';
import { waitFor } from '../support/services.ts';

const { store } = loadScenario('scenarios/skeleton-one-shopper.json');
const scenario = parseScenario(
  {
    name: 'floor-exception',
    store: '../stores/sample-store.json',
    seed: 7,
    noise: 'standard',
    shoppers: [
      {
        id: 'alice',
        card: 'tok_visa',
        script: [
          { at: 0.5, do: 'enter' },
          { at: 4, do: 'pick', lane: 'S01-L05', count: 1 },
          { at: 8, do: 'exit' },
        ],
      },
      {
        id: 'bob',
        card: 'tok_visa',
        script: [
          { at: 1.5, do: 'enter' },
          { at: 9, do: 'exit' },
        ],
      },
    ],
  },
  store,
);
const skip = chromiumMissing();

describe.skipIf(skip !== undefined)('floor view in Chromium', () => {
  let stack: StoreStack;
  let browser: Browser;
  let page: Page;
  const entered: SessionEvent[] = [];

  beforeAll(async () => {
    stack = await startStoreStack({ store, exceptionHoldMs: 60_000 });
    stack.edge.onEvent((e) => {
      if ('accountId' in e && e.kind === 'entered') entered.push(e);
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('refuses a wrong password, then signs the supervisor in and draws the store', async () => {
    await page.goto(`${stack.edge.httpUrl}/floor/`);
    await page.fill('#login-user', 'manager');
    await page.fill('#login-password', 'wrong-password');
    await page.click('#login-form button');
    await page.waitForSelector('#login-error:has-text("Wrong user name or password")');
    await page.fill('#login-password', 'walkout-demo');
    await page.click('#login-form button');
    await page.waitForSelector('#conn-text:has-text("live")');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __floor: { fps: number } }).__floor.fps), {
        timeout: 5000,
      })
      .toBeGreaterThan(5);
    expect(await page.textContent('#store-name')).toBe(store.name);
    await page.screenshot({ path: `${SCREENSHOTS}/floor-signed-in.png` });
  });

  it('shows the doubtful pick as an exception, resolves it by a click, and the receipt reaches the cloud', async () => {
    const run: Promise<GroundTruth> = runScenario({
      scenario,
      store,
      mqttUrl: stack.mqttUrl,
      app: new CloudAppClient(stack.cloudUrl),
      logger: pino({ level: 'silent' }),
      settleS: 2,
    });
    const card = await page.waitForSelector('[data-x]', { timeout: 20_000 });
    expect(await card.textContent()).toContain('unattributed');
    await page.screenshot({ path: `${SCREENSHOTS}/floor-exception.png` });
    const alice = await waitFor('alice entered', () => entered[0]);
    await page.selectOption('[data-x] .x-session', alice.sessionId);
    await page.click('[data-x] .x-assign');
    await page.waitForSelector('[data-x]', { state: 'detached' });
    const truth = await run;
    const app = new CloudAppClient(stack.cloudUrl);
    const receiptsOf = async (id: string) =>
      app.receipts(
        await app.signUpOrIn({
          email: shopperEmail(scenario.name, id, truth.nonce),
          password: SHOPPER_PASSWORD,
          name: id,
        }),
      );
    const aliceReceipts = await waitFor(
      'alice receipt',
      async () => {
        const r = await receiptsOf('alice');
        return r.length > 0 ? r : undefined;
      },
      15_000,
    );
    const sku = store.shelves[0]?.lanes[4]?.sku;
    expect(aliceReceipts[0]?.lines.map((l) => [l.sku, l.quantity])).toEqual([[sku, 1]]);
    const bobReceipts = await waitFor(
      'bob receipt',
      async () => {
        const r = await receiptsOf('bob');
        return r.length > 0 ? r : undefined;
      },
      15_000,
    );
    expect(bobReceipts[0]?.lines).toEqual([]);
    await page.click('#tabs button[data-tab="events"]');
    await page.waitForSelector('#feed li:has-text("receipt-delivered")');
    await page.screenshot({ path: `${SCREENSHOTS}/floor-after-resolution.png` });
    const audit = await page.evaluate(async () => {
      const res = await fetch('/floor/api/audit', {
        headers: { authorization: `Bearer ${sessionStorage.getItem('floorToken')}` },
      });
      return res.json();
    });
    expect(audit.entries[0]).toMatchObject({ actor: 'manager', action: 'assign' });
  }, 90_000);
});
