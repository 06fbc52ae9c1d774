// Line disputes through the HTTP API (PostgreSQL in CI): small ones refunded at once (partial refund,
// idempotent), larger ones reviewed by staff; the ledger and points follow, and after a mixed workload the
// reconciliation proves charges − refunds = receipts − disputes granted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../cloud/billing/reconciliation.ts';
import {
  asShopper,
  newShopper,
  PRIMARY_BACKEND,
  type Shopper,
  STAFF_LOGIN,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from './cloud-harness.ts';

// From stores/sample-store.json: SKU-0001 water 189, SKU-0007 sandwich 739.
const CART = [
  { sku: 'SKU-0001', quantity: 2 },
  { sku: 'SKU-0007', quantity: 2 },
];

const backend = PRIMARY_BACKEND;
describe(`disputes, ledger and reconciliation on ${backend.name}`, () => {
  let test: TestCloud;
  let staff: { token: string };
  beforeAll(async () => {
    test = await startTestCloud(backend);
    const signIn = await test.cloud.app.inject({
      method: 'POST',
      url: '/v1/auth/sessions',
      payload: { email: STAFF_LOGIN.email, password: STAFF_LOGIN.password },
    });
    expect(signIn.json()).toMatchObject({ role: 'staff' });
    staff = signIn.json<{ token: string }>();
  });
  afterAll(async () => {
    await test?.stop();
  });

  async function paidReceipt(shopper: Shopper, cart = CART) {
    const upload = await uploadVisit(test, visitOf(shopper.accountId, cart));
    expect(upload.json()).toMatchObject({ status: 'paid' });
    return upload.json<{ receiptId: string; totalCents: number }>();
  }

  const dispute = (shopper: Shopper, receiptId: string, lineNo: number, body: object = {}) =>
    asShopper(test.cloud, shopper, 'POST', `/v1/me/receipts/${receiptId}/lines/${lineNo}/disputes`, body);

  it('refunds a dispute under 10.00 at once, partially, once however often it is sent', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const { receiptId } = await paidReceipt(shopper);
    const first = await dispute(shopper, receiptId, 1, { quantity: 1 });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ disputeId: expect.any(String), status: 'refunded', amountCents: 189 });
    const again = await dispute(shopper, receiptId, 1, { quantity: 1 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());

    const receipt = (await asShopper(test.cloud, shopper, 'GET', `/v1/me/receipts/${receiptId}`)).json<{
      totalCents: number;
      refundedCents: number;
      pointsEarned: number;
      lines: { lineNo: number; dispute?: { status: string; amountCents: number } }[];
    }>();
    expect(receipt.totalCents).toBe(1856);
    expect(receipt.refundedCents).toBe(189);
    // 18 points for 18.56, then 16 for the 16.67 kept.
    expect(receipt.pointsEarned).toBe(16);
    expect(receipt.lines[0]?.dispute).toMatchObject({ status: 'refunded', amountCents: 189 });
    expect(receipt.lines[1]?.dispute).toBeUndefined();
    const refunds = await test.cloud.db.query<{ amount_cents: unknown }>(
      `SELECT amount_cents FROM provider_refunds WHERE idempotency_key = $1`,
      [`refund:dispute:${first.json<{ disputeId: string }>().disputeId}`],
    );
    expect(refunds.map((r) => Number(r.amount_cents))).toEqual([189]);
    expect((await asShopper(test.cloud, shopper, 'GET', '/v1/me/history')).json()).toMatchObject({
      points: 16,
    });
  });

  it('queues a dispute of 10.00 or more for staff with the visit evidence; approval refunds it', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const { receiptId } = await paidReceipt(shopper);
    const opened = await dispute(shopper, receiptId, 2, { reason: 'Only took one sandwich' });
    expect(opened.json()).toMatchObject({ status: 'pending_review', amountCents: 1478 });
    const { disputeId } = opened.json<{ disputeId: string }>();

    expect((await asShopper(test.cloud, shopper, 'GET', '/v1/staff/disputes')).statusCode).toBe(403);
    expect((await test.cloud.app.inject({ method: 'GET', url: '/v1/staff/disputes' })).statusCode).toBe(401);
    const queue = (await asShopper(test.cloud, staff, 'GET', '/v1/staff/disputes')).json<{
      disputes: {
        disputeId: string;
        reason: string;
        evidence: { productEvents: { sku: string }[]; party: number };
      }[];
    }>();
    const item = queue.disputes.find((d) => d.disputeId === disputeId);
    expect(item?.reason).toBe('Only took one sandwich');
    expect(item?.evidence.party).toBe(1);
    expect(item?.evidence.productEvents.map((e) => e.sku)).toEqual(['SKU-0007']);

    const approved = await asShopper(test.cloud, staff, 'POST', `/v1/staff/disputes/${disputeId}/decision`, {
      decision: 'approve',
      note: 'Camera shows one',
    });
    expect(approved.json()).toEqual({ disputeId, status: 'refunded' });
    const twice = await asShopper(test.cloud, staff, 'POST', `/v1/staff/disputes/${disputeId}/decision`, {
      decision: 'reject',
    });
    expect(twice.statusCode).toBe(409);
    const mine = (await asShopper(test.cloud, shopper, 'GET', '/v1/me/disputes')).json<{
      disputes: { disputeId: string; status: string; decisionNote: string }[];
    }>();
    expect(mine.disputes).toEqual([
      expect.objectContaining({ disputeId, status: 'refunded', decisionNote: 'Camera shows one' }),
    ]);
  });

  it('lets staff reject a dispute: no refund, the shopper sees it rejected', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const { receiptId } = await paidReceipt(shopper);
    const { disputeId } = (await dispute(shopper, receiptId, 2)).json<{ disputeId: string }>();
    const rejected = await asShopper(test.cloud, staff, 'POST', `/v1/staff/disputes/${disputeId}/decision`, {
      decision: 'reject',
    });
    expect(rejected.json()).toEqual({ disputeId, status: 'rejected' });
    const receipt = (await asShopper(test.cloud, shopper, 'GET', `/v1/me/receipts/${receiptId}`)).json<{
      refundedCents: number;
      lines: { dispute?: { status: string } }[];
    }>();
    expect(receipt.refundedCents).toBe(0);
    expect(receipt.lines[1]?.dispute?.status).toBe('rejected');
  });

  it('refuses disputes of unpaid receipts, foreign receipts and too many units', async () => {
    const decliner = await newShopper(test.cloud, 'tok_chargeDeclined');
    const declined = (await uploadVisit(test, visitOf(decliner.accountId, CART))).json<{
      receiptId: string;
    }>();
    expect((await dispute(decliner, declined.receiptId, 1)).json()).toMatchObject({
      error: 'receipt_not_paid',
    });
    const owner = await newShopper(test.cloud, 'tok_visa');
    const { receiptId } = await paidReceipt(owner);
    const stranger = await newShopper(test.cloud, 'tok_visa');
    expect((await dispute(stranger, receiptId, 1)).statusCode).toBe(404);
    expect((await dispute(owner, receiptId, 3)).statusCode).toBe(404);
    expect((await dispute(owner, receiptId, 1, { quantity: 3 })).json()).toMatchObject({
      error: 'quantity_exceeds_line',
    });
  });

  it('reconciles after a mixed workload, and detects a ledger that disagrees', async () => {
    const shoppers = await Promise.all([1, 2, 3].map(() => newShopper(test.cloud, 'tok_visa')));
    for (const [i, shopper] of shoppers.entries()) {
      const visit = visitOf(shopper.accountId, CART.slice(0, 1 + (i % 2)));
      await Promise.all([uploadVisit(test, visit), uploadVisit(test, visit), uploadVisit(test, visit)]);
      const { receiptId } = (await uploadVisit(test, visit)).json<{ receiptId: string }>();
      await Promise.all([
        dispute(shopper, receiptId, 1, { quantity: 1 }),
        dispute(shopper, receiptId, 1, { quantity: 1 }),
      ]);
    }
    await uploadVisit(test, visitOf((await newShopper(test.cloud, 'tok_insufficientFunds')).accountId, CART));
    await uploadVisit(test, visitOf((await newShopper(test.cloud)).accountId, CART));
    await uploadVisit(test, visitOf(shoppers[0]?.accountId ?? '', []));

    const result = await reconcile(test.cloud.db);
    expect(result.receiptMismatches).toEqual([]);
    expect(result.provider?.matches).toBe(true);
    expect(result.ok).toBe(true);
    const [eur] = result.currencies;
    expect(eur?.differenceCents).toBe(0);
    expect(eur?.chargesCents).toBeGreaterThan(0);
    expect(eur?.refundsCents).toBe(eur?.disputesGrantedCents);
    const [sums] = await test.cloud.db.query<{ paid: unknown; granted: unknown }>(
      `SELECT (SELECT sum(total_cents) FROM receipts WHERE status = 'paid') AS paid,
                (SELECT sum(amount_cents) FROM disputes WHERE status = 'refunded') AS granted`,
    );
    expect(eur?.receiptsCents).toBe(Number(sums?.paid));
    expect(eur?.disputesGrantedCents).toBe(Number(sums?.granted));

    // A refund the ledger never recorded (e.g. made by hand at the provider) is a mismatch.
    const [someCharge] = await test.cloud.db.query<{ provider_ref: string; receipt_id: string }>(
      "SELECT provider_ref, receipt_id FROM ledger_entries WHERE kind = 'charge' LIMIT 1",
    );
    await test.cloud.db.query(
      `INSERT INTO ledger_entries (provider_ref, receipt_id, kind, amount_cents, currency, created_at)
         VALUES ('re_manual', $1, 'refund', 1, 'EUR', 0)`,
      [someCharge?.receipt_id],
    );
    const broken = await reconcile(test.cloud.db);
    expect(broken.ok).toBe(false);
    expect(broken.receiptMismatches.map((m) => m.receiptId)).toEqual([someCharge?.receipt_id]);
    await test.cloud.db.query("DELETE FROM ledger_entries WHERE provider_ref = 're_manual'");
  });
});
