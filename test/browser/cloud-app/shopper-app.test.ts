// The shopper web app in a real headless Chromium against a real cloud (PostgreSQL in CI, real HTTP): sign up, add a
// card, show the entry QR (for a party), see a receipt appear after the store uploads the visit, dispute a
// line and see the refund; and a declined account sees why it may not enter. Screenshots go to
// test-results/screenshots/.

import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitUpload } from '../../../shared/schemas/visit.ts';
import {
  admit,
  newShopper,
  PRIMARY_BACKEND,
  SAMPLE_STORE_ID,
  startTestCloud,
  type TestCloud,
  visitOf,
} from '../../integration/cloud/cloud-harness.ts';
import { chromiumMissing, launchChromium, SCREENSHOTS } from '../../support/browser.ts';

const skip = chromiumMissing();

// From stores/sample-store.json: SKU-0001 water 1.89 (disputes under 10.00 are refunded at once), SKU-0007
// sandwich 7.39.
const CART = [
  { sku: 'SKU-0001', quantity: 1 },
  { sku: 'SKU-0007', quantity: 1 },
];

describe.skipIf(skip !== undefined)('shopper app in Chromium', () => {
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

  async function phone(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    return page;
  }

  async function uploadOverHttp(visit: VisitUpload): Promise<{ status: string }> {
    await admit(test.cloud, visit);
    const response = await fetch(`${baseUrl}/v1/stores/${SAMPLE_STORE_ID}/visits`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${test.credentials[SAMPLE_STORE_ID]}`,
        'idempotency-key': `visit:${visit.visitId}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(visit),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { status: string };
  }

  it('signs up, shows a renewing party QR, shows the receipt after leaving and refunds a disputed line', async () => {
    const page = await phone();
    const email = `app-${randomUUID()}@example.com`;
    await page.goto(`${baseUrl}/app/#signup`);
    await page.fill('#name', 'Ada');
    await page.fill('#email', email);
    await page.fill('#password', 'correct horse battery');
    await page.screenshot({ path: `${SCREENSHOTS}/01-sign-up.png` });
    await page.click('button[type=submit]');

    await page.waitForSelector('[data-testid=add-card]');
    await page.selectOption('#cardToken', 'tok_visa');
    await page.click('[data-testid=add-card]');
    await page.waitForSelector('text=visa •••• 4242');
    await page.click('text=Go to entry pass');

    const qr = page.locator('[data-testid=entry-qr]');
    await qr.waitFor();
    const firstToken = await qr.getAttribute('data-token');
    expect(firstToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await page.click('[data-party="3"]');
    await page.waitForFunction(
      (previous) => document.querySelector('[data-testid=entry-qr]')?.getAttribute('data-token') !== previous,
      firstToken,
    );
    const partyToken = (await qr.getAttribute('data-token')) ?? '';
    const claims = JSON.parse(Buffer.from(partyToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(claims.party).toBe(3);
    await expect.poll(() => page.textContent('[data-testid=entry-caption]')).toContain('You + 2');
    await page.screenshot({ path: `${SCREENSHOTS}/02-entry-qr-party.png` });

    // The shopper walks out: the store's edge uploads the visit over the store API.
    await page.click('a[data-tab=receipts]');
    await page.waitForSelector('[data-testid=no-receipts]');
    const signIn = await fetch(`${baseUrl}/v1/auth/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery' }),
    });
    const { accountId } = (await signIn.json()) as { accountId: string };
    expect((await uploadOverHttp(visitOf(accountId, CART))).status).toBe('paid');

    const receipt = page.locator('[data-testid=receipt]');
    await receipt.waitFor({ timeout: 10_000 });
    expect(await receipt.locator('[data-testid=receipt-total]').textContent()).toContain('9.28');
    await expect.poll(() => page.textContent('#points'), { timeout: 10_000 }).toBe('9 pts');
    await page.screenshot({ path: `${SCREENSHOTS}/03-receipt.png` });

    await receipt.locator('[data-testid=receipt-line][data-sku=SKU-0001] [data-testid=dispute]').click();
    const outcome = receipt.locator(
      '[data-testid=receipt-line][data-sku=SKU-0001] [data-testid=dispute-outcome]',
    );
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('Refunded');
    expect(await receipt.locator('[data-testid=receipt-refunded]').textContent()).toContain('1.89');
    // The sandwich line can still be disputed; the water line cannot be disputed twice.
    expect(await receipt.locator('[data-testid=dispute]').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/04-dispute-refunded.png` });

    const refunds = await test.cloud.db.query<{ amount_cents: unknown }>(
      "SELECT amount_cents FROM ledger_entries WHERE kind = 'refund' AND receipt_id = $1",
      [await receipt.getAttribute('data-receipt-id')],
    );
    expect(refunds.map((r) => Number(r.amount_cents))).toEqual([189]);
    await page.context().close();
  });

  it('shows a line handed over and put back after the receipt as returned and refunded (#13)', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const visit = visitOf(shopper.accountId, CART);
    expect((await uploadOverHttp(visit)).status).toBe('paid');
    const back = {
      returnId: `evt-${visit.visitId}`,
      visitId: visit.visitId,
      sku: 'SKU-0007',
      quantity: 1,
      lane: 'S01-L05',
      returnedAt: 1_700_000_500_000,
    };
    const returned = await fetch(`${baseUrl}/v1/stores/${SAMPLE_STORE_ID}/returns`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${test.credentials[SAMPLE_STORE_ID]}`,
        'idempotency-key': `return:${back.returnId}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(back),
    });
    expect(returned.status).toBe(201);
    const page = await phone();
    await page.goto(`${baseUrl}/app/#signin`);
    await page.fill('#email', shopper.email);
    await page.fill('#password', 'correct horse battery');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=entry-qr]');
    await page.click('a[data-tab=receipts]');
    const receipt = page.locator('[data-testid=receipt]');
    await receipt.waitFor({ timeout: 10_000 });
    const sandwich = receipt.locator('[data-testid=receipt-line][data-sku=SKU-0007]');
    expect(await sandwich.locator('[data-testid=line-returned]').textContent()).toBe(
      '1 returned to the shelf — refunded',
    );
    expect(await sandwich.textContent()).toContain('7.39');
    // nothing left of the line to dispute; the water still can be
    expect(await sandwich.locator('[data-testid=dispute]').count()).toBe(0);
    expect(await receipt.locator('[data-testid=dispute]').count()).toBe(1);
    expect(await receipt.locator('[data-testid=receipt-refunded]').textContent()).toContain('7.39');
    expect(
      await receipt
        .locator('[data-testid=receipt-line][data-sku=SKU-0001] [data-testid=line-returned]')
        .count(),
    ).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/06-returned-after-receipt.png` });
    await page.context().close();
  });

  it('shows a declined shopper why no entry pass is issued', async () => {
    const shopper = await newShopper(test.cloud, 'tok_chargeDeclined');
    expect((await uploadOverHttp(visitOf(shopper.accountId, CART))).status).toBe('declined');
    const page = await phone();
    await page.goto(`${baseUrl}/app/#signin`);
    await page.fill('#email', shopper.email);
    await page.fill('#password', 'correct horse battery');
    await page.click('button[type=submit]');
    const refused = page.locator('[data-testid=entry-refused]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('Your last payment was declined');
    await page.screenshot({ path: `${SCREENSHOTS}/05-entry-refused-declined.png` });
    await page.click('text=Add a card');
    await page.waitForSelector('[data-testid=add-card]');
    await page.context().close();
  });
});
