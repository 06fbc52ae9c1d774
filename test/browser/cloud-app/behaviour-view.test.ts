// "You looked at" and "You compared" in the shopper app, in a real headless Chromium against a real cloud
// (PostgreSQL in CI, real HTTP): a consenting shopper's visit arrives with the behaviour the edge derived on the floor;
// the Me screen shows it with the consent text that says what is kept. Screenshot in test-results/screenshots.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitBehaviour } from '../../../shared/schemas/visit-behaviour.ts';
import {
  asShopper,
  newShopper,
  PRIMARY_BACKEND,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from '../../integration/cloud/cloud-harness.ts';
import { chromiumMissing, launchChromium, SCREENSHOTS } from '../../support/browser.ts';

const skip = chromiumMissing();

/** Lingered 6 s at the yogurt (SKU-0004), then took the milk (SKU-0012) instead: a comparison. */
const FLOOR: VisitBehaviour = {
  v: 1,
  lingers: [
    { lane: 'S01-L01', sku: 'SKU-0004', category: 'dairy', startTs: 1_700_000_050_000, durationMs: 6200 },
  ],
  comparisons: [
    {
      category: 'dairy',
      by: 'looked',
      skus: ['SKU-0004', 'SKU-0012'],
      kept: 'SKU-0012',
      ts: 1_700_000_060_000,
    },
  ],
  dwellByShelf: [{ shelf: 'S01', dwellMs: 8400 }],
  dwellByCategory: [{ category: 'dairy', dwellMs: 8400 }],
  firstPickMs: 60_000,
  path: [[0, 2, 2]],
};

describe.skipIf(skip !== undefined)('what the store remembers, in the shopper app in Chromium', () => {
  let test: TestCloud;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    test = await startTestCloud(PRIMARY_BACKEND);
    baseUrl = await test.cloud.start(0, '127.0.0.1');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await test?.stop();
  });

  it('shows "you looked at" and "you compared" from the visit, and the consent text', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    await asShopper(test.cloud, shopper, 'PUT', '/v1/me/consent', {
      behaviourTracking: true,
      marketing: false,
    });
    const upload = await uploadVisit(test, {
      ...visitOf(shopper.accountId, [{ sku: 'SKU-0012', quantity: 1 }]),
      behaviour: FLOOR,
    });
    expect(upload.statusCode).toBe(201);

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${baseUrl}/app/#signin`);
    await page.fill('#email', shopper.email);
    await page.fill('#password', 'correct horse battery');
    await page.click('button[type=submit]');
    await page.waitForSelector('#tabs:not([hidden])');
    await page.goto(`${baseUrl}/app/#me`);
    const looked = page.locator('[data-testid=looked-at]');
    await looked.waitFor();
    expect(await looked.locator('h2').textContent()).toBe('You looked at');
    expect(await looked.textContent()).toContain('Northfield Greek Yogurt');
    expect(await looked.textContent()).toContain('1× · 6 s');
    const compared = page.locator('[data-testid=compared]');
    expect(await compared.textContent()).toContain('Northfield Greek Yogurt · Northfield Whole Milk 1 L');
    expect(await compared.textContent()).toContain('kept Northfield Whole Milk 1 L');
    expect(await page.locator('[data-testid=considered]').textContent()).toContain('Northfield Greek Yogurt');
    expect(await page.locator('[data-testid=consent-text]').textContent()).toContain(
      'shelves you lingered at without taking (3 s or more)',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/06-you-looked-at.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
