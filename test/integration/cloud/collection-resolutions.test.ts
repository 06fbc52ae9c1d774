// Staff resolve a receipt in collection (#18): collected by another means or written off, with a note; the
// receipt's status follows, the resolution keeps who, when and why, a repeat (even a concurrent one) resolves
// it once, anything not in collection is refused, and reconciliation counts what was collected and lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionResolution as Resolution } from '../../../cloud/billing/collection-resolutions.ts';
import { reconcile } from '../../../cloud/billing/reconciliation.ts';
import { waitFor } from '../../support/services.ts';
import {
  asShopper,
  entryTokenId,
  FAST_COLLECTION_JOBS,
  newShopper,
  PRIMARY_BACKEND,
  SAMPLE_STORE_ID,
  type Shopper,
  signInStaff,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOn,
} from './cloud-harness.ts';

// From stores/sample-store.json: SKU-0001 water 189, SKU-0007 sandwich 739 (visitOn's default lines).
const CART_TOTAL = 2 * 189 + 739;
describe.skipIf(PRIMARY_BACKEND.unavailable)(`collection resolutions on ${PRIMARY_BACKEND.name}`, () => {
  let test: TestCloud;
  let staff: { token: string; accountId: string };
  /** Receipts whose capture failed into collection, and a paid one. */
  let owed: { shopper: Shopper; receiptId: string }[] = [];
  let paidReceiptId: string;

  const receiptOf = async (visitId: string) => {
    const [row] = await test.cloud.db.query<{ receipt_id: string; status: string }>(
      'SELECT receipt_id, status FROM receipts WHERE visit_id = $1',
      [visitId],
    );
    return row;
  };
  const resolve = (receiptId: string, body: object, as: { token: string } = staff) =>
    asShopper(test.cloud, as, 'POST', `/v1/staff/collections/${receiptId}/resolution`, body);
  const listed = async () =>
    (await asShopper(test.cloud, staff, 'GET', '/v1/staff/collections'))
      .json<{ collections: { receiptId: string }[] }>()
      .collections.map((c) => c.receiptId);

  beforeAll(async () => {
    test = await startTestCloud(PRIMARY_BACKEND, { jobs: FAST_COLLECTION_JOBS });
    staff = await signInStaff(test.cloud);
    owed = await Promise.all(
      [0, 1].map(async () => {
        const shopper = await newShopper(test.cloud, 'tok_captureFails');
        const visit = visitOn(shopper, [await entryTokenId(test, shopper, SAMPLE_STORE_ID)]);
        expect((await uploadVisit(test, visit, { admitted: false })).statusCode).toBe(503);
        const receiptId = await waitFor(
          'the receipt to go to staff collection',
          async () => {
            const row = await receiptOf(visit.visitId);
            return row?.status === 'collection' ? row.receipt_id : undefined;
          },
          25_000,
          200,
        );
        return { shopper, receiptId };
      }),
    );
    const payer = await newShopper(test.cloud, 'tok_visa');
    const paid = visitOn(payer, [await entryTokenId(test, payer, SAMPLE_STORE_ID)]);
    expect((await uploadVisit(test, paid, { admitted: false })).json()).toMatchObject({ status: 'paid' });
    paidReceiptId = (await receiptOf(paid.visitId))?.receipt_id ?? '';
  }, 60_000);
  afterAll(async () => {
    await test?.stop();
  });

  it('lets staff only resolve, and refuses an empty note', async () => {
    const [first] = owed;
    if (first === undefined) throw new Error('no receipt in collection');
    const asShopperItself = await resolve(
      first.receiptId,
      { outcome: 'collected', note: 'paid' },
      first.shopper,
    );
    expect(asShopperItself.statusCode).toBe(403);
    const noNote = await resolve(first.receiptId, { outcome: 'collected', note: '' });
    expect(noNote.statusCode).toBe(400);
    const badOutcome = await resolve(first.receiptId, { outcome: 'forgiven', note: 'nice' });
    expect(badOutcome.statusCode).toBe(400);
    expect(await statusOf(first.receiptId)).toBe('collection');
  });

  it('marks a receipt collected once, however often (and concurrently) staff send it', async () => {
    const [first] = owed;
    if (first === undefined) throw new Error('no receipt in collection');
    const body = { outcome: 'collected', note: 'Paid cash at the till', reference: 'till-7/0042' };
    const answers = await Promise.all([resolve(first.receiptId, body), resolve(first.receiptId, body)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
    const [a, b] = answers.map((x) => x.json<Resolution>());
    expect(a).toEqual(b);
    expect(a).toEqual({
      receiptId: first.receiptId,
      outcome: 'collected',
      amountCents: CART_TOTAL,
      currency: 'EUR',
      note: 'Paid cash at the till',
      reference: 'till-7/0042',
      resolvedBy: staff.accountId,
      resolvedAt: expect.any(Number),
    });
    // a later repeat with another note still answers the first resolution
    const repeat = await resolve(first.receiptId, { outcome: 'collected', note: 'again' });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json<Resolution>().note).toBe('Paid cash at the till');
    const other = await resolve(first.receiptId, { outcome: 'written_off', note: 'changed my mind' });
    expect(other.statusCode).toBe(409);
    expect(other.json<{ error: string }>().error).toBe('collection_already_resolved');

    expect(await listed()).not.toContain(first.receiptId);
    const mine = (await asShopper(test.cloud, first.shopper, 'GET', '/v1/me/receipts')).json<{
      receipts: { receiptId: string; status: string }[];
    }>();
    expect(mine.receipts.map((r) => [r.receiptId, r.status])).toEqual([[first.receiptId, 'collected']]);
    const rows = await test.cloud.db.query('SELECT 1 FROM collection_resolutions WHERE receipt_id = $1', [
      first.receiptId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('writes a receipt off, and refuses what is not in collection', async () => {
    const [, second] = owed;
    if (second === undefined) throw new Error('no second receipt in collection');
    const written = await resolve(second.receiptId, { outcome: 'written_off', note: 'Shopper unreachable' });
    expect(written.statusCode).toBe(201);
    expect(written.json<Resolution>()).toMatchObject({ outcome: 'written_off', reference: null });
    expect(await listed()).toEqual([]);

    const paid = await resolve(paidReceiptId, { outcome: 'collected', note: 'paid twice?' });
    expect(paid.statusCode).toBe(409);
    expect(paid.json<{ error: string }>().error).toBe('not_in_collection');
    const unknown = await resolve('no-such-receipt', { outcome: 'written_off', note: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ error: string }>().error).toBe('receipt_not_found');
  });

  it('reconciles: collected and written off counted, nothing owed, no hold open, the ledger untouched', async () => {
    const result = await reconcile(test.cloud.db);
    expect(result.collections).toEqual({
      currencies: [
        {
          currency: 'EUR',
          open: 0,
          openCents: 0,
          collected: 1,
          collectedCents: CART_TOTAL,
          writtenOff: 1,
          writtenOffCents: CART_TOTAL,
        },
      ],
      mismatches: [],
    });
    expect(result.holds).toMatchObject({ open: 0, overdue: 0, inCollection: 0 });
    // only the paid receipt's charge is in the ledger: money collected by other means never went through it
    expect(result.currencies).toEqual([
      expect.objectContaining({ chargesCents: CART_TOTAL, differenceCents: 0 }),
    ]);
    expect(result.provider?.matches).toBe(true);
    expect(result.ok).toBe(true);

    // a resolved receipt whose status was changed behind the API's back fails the check
    const [first] = owed;
    await test.cloud.db.query("UPDATE receipts SET status = 'paid' WHERE receipt_id = $1", [
      first?.receiptId,
    ]);
    const broken = await reconcile(test.cloud.db);
    expect(broken.collections.mismatches).toEqual([first?.receiptId]);
    expect(broken.ok).toBe(false);
    await test.cloud.db.query("UPDATE receipts SET status = 'collected' WHERE receipt_id = $1", [
      first?.receiptId,
    ]);
  });

  async function statusOf(receiptId: string): Promise<string | undefined> {
    const [row] = await test.cloud.db.query<{ status: string }>(
      'SELECT status FROM receipts WHERE receipt_id = $1',
      [receiptId],
    );
    return row?.status;
  }
});
