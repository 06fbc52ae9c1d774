// The payment flow (#18) through the real token endpoint and visit upload, on PGlite and on PostgreSQL: a hold
// before the entry token (declined: no token), the capture at the receipt (less or more than the hold), the
// void of an empty visit, a capture failing into staff collection, a void failing into reconciliation, and
// no hold left open after a normal run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../cloud/billing/reconciliation.ts';
import { waitFor } from '../../support/services.ts';
import {
  asShopper,
  BACKENDS,
  entryTokenId,
  FAST_COLLECTION_JOBS,
  newShopper,
  OTHER_STORE_ID,
  providerCharges,
  SAMPLE_STORE_ID,
  signInStaff,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOn,
} from './cloud-harness.ts';

/** The cloud's default hold: the sample store's config names no entryHoldCents. */
const HOLD = 5000;
// From stores/sample-store.json: SKU-0001 water 189, SKU-0007 sandwich 739.
const CART_TOTAL = 2 * 189 + 739;
const BIG_CART = [{ sku: 'SKU-0007', quantity: 8 }];

interface HoldRow {
  hold_id: string;
  authorisation_id: string;
  status: string;
  amount_cents: unknown;
  captured_cents: unknown;
  visit_id: string | null;
  void_failures: number;
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.unavailable)(`payment holds on ${backend.name}`, () => {
    let test: TestCloud;
    beforeAll(async () => {
      test = await startTestCloud(backend, { jobs: FAST_COLLECTION_JOBS });
    }, 60_000);
    afterAll(async () => {
      await test?.stop();
    });

    const holdsOf = (accountId: string) =>
      test.cloud.db.query<HoldRow>(
        `SELECT hold_id, authorisation_id, status, amount_cents, captured_cents, visit_id, void_failures
         FROM payment_holds WHERE account_id = $1 ORDER BY created_at`,
        [accountId],
      );
    const authorisationsOf = (accountId: string) =>
      test.cloud.db.query<{ status: string; amount_cents: unknown; captured_cents: unknown }>(
        'SELECT status, amount_cents, captured_cents FROM provider_authorisations WHERE customer_ref = $1',
        [accountId],
      );
    const staffSession = () => signInStaff(test.cloud);
    const only = async <T>(rows: Promise<T[]>): Promise<T> => {
      const all = await rows;
      expect(all).toHaveLength(1);
      return all[0] as T;
    };

    it('issues no entry token when the card declines the hold, with a code the app words', async () => {
      const shopper = await newShopper(test.cloud, 'tok_holdDeclined');
      const refused = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', {
        storeId: SAMPLE_STORE_ID,
      });
      expect(refused.statusCode).toBe(402);
      expect(refused.json<{ error: string }>().error).toBe('entry_hold_declined');
      const tokens = await test.cloud.db.query('SELECT jti FROM entry_tokens WHERE account_id = $1', [
        shopper.accountId,
      ]);
      expect(tokens).toEqual([]);
      expect(await holdsOf(shopper.accountId)).toEqual([]);
      expect(await authorisationsOf(shopper.accountId)).toEqual([
        { status: 'declined', amount_cents: expect.anything(), captured_cents: expect.anything() },
      ]);
    });

    it('holds once per entry (a renewed code and a party share it) and captures less than the hold', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const first = await entryTokenId(test, shopper, SAMPLE_STORE_ID, 3);
      const renewed = await entryTokenId(test, shopper, SAMPLE_STORE_ID, 3);
      const hold = await only(holdsOf(shopper.accountId));
      expect(Number(hold.amount_cents)).toBe(HOLD);
      const linked = await test.cloud.db.query<{ hold_id: string }>(
        'SELECT hold_id FROM entry_tokens WHERE jti = ANY($1::text[])',
        [[first, renewed]],
      );
      expect(linked.map((t) => t.hold_id)).toEqual([hold.hold_id, hold.hold_id]);

      const visit = visitOn(shopper, [renewed]);
      const billed = await uploadVisit(test, visit, { admitted: false });
      expect(billed.statusCode).toBe(201);
      expect(billed.json()).toMatchObject({ status: 'paid', totalCents: CART_TOTAL });
      expect(await only(holdsOf(shopper.accountId))).toMatchObject({
        status: 'captured',
        visit_id: visit.visitId,
      });
      expect(Number((await only(holdsOf(shopper.accountId))).captured_cents)).toBe(CART_TOTAL);
      // The provider captured the total on the hold (the rest released) as the visit's one charge.
      const authorisation = await only(authorisationsOf(shopper.accountId));
      expect(authorisation.status).toBe('captured');
      expect(Number(authorisation.captured_cents)).toBe(CART_TOTAL);
      const charges = await providerCharges(test.cloud, visit.visitId);
      expect(charges.map((c) => Number(c.amount_cents))).toEqual([CART_TOTAL]);
      // A second visit on the other token of the same (now captured) hold pays by a plain charge.
      const second = visitOn(shopper, [first]);
      expect((await uploadVisit(test, second, { admitted: false })).json()).toMatchObject({ status: 'paid' });
      expect(await providerCharges(test.cloud, second.visitId)).toHaveLength(1);
    });

    it('captures more than the hold (an over-capture)', async () => {
      const shopper = await newShopper(test.cloud, 'tok_mastercard');
      const visit = visitOn(shopper, [await entryTokenId(test, shopper, SAMPLE_STORE_ID)], BIG_CART);
      const billed = await uploadVisit(test, visit, { admitted: false });
      expect(billed.json()).toMatchObject({ status: 'paid', totalCents: 8 * 739 });
      expect(8 * 739).toBeGreaterThan(HOLD);
      const hold = await only(holdsOf(shopper.accountId));
      expect([hold.status, Number(hold.captured_cents)]).toEqual(['captured', 8 * 739]);
      expect((await providerCharges(test.cloud, visit.visitId)).map((c) => Number(c.amount_cents))).toEqual([
        8 * 739,
      ]);
    });

    it('voids the hold of an empty visit', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOn(shopper, [await entryTokenId(test, shopper, SAMPLE_STORE_ID)], []);
      expect((await uploadVisit(test, visit, { admitted: false })).json()).toMatchObject({
        status: 'paid',
        totalCents: 0,
      });
      expect((await only(holdsOf(shopper.accountId))).status).toBe('voided');
      expect((await only(authorisationsOf(shopper.accountId))).status).toBe('voided');
      expect(await providerCharges(test.cloud, visit.visitId)).toEqual([]);
    });

    it("holds what the store's registered config names (0: nothing), and refuses an invalid amount", async () => {
      const staff = await staffSession();
      const other = { ...test.sampleStore, storeId: OTHER_STORE_ID, name: 'Second Store' };
      const register = (entryHoldCents: number) =>
        asShopper(test.cloud, staff, 'PUT', `/v1/stores/${OTHER_STORE_ID}/config`, {
          config: { ...other, entryHoldCents },
        });
      const invalid = await register(-5);
      expect(invalid.statusCode).toBe(400);
      expect(invalid.body).toContain('entryHoldCents');
      expect((await register(2000)).statusCode).toBe(201);
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const first = visitOn(shopper, [await entryTokenId(test, shopper, OTHER_STORE_ID)]);
      expect(Number((await only(holdsOf(shopper.accountId))).amount_cents)).toBe(2000);
      const upload = { storeId: OTHER_STORE_ID, admitted: false };
      expect((await uploadVisit(test, first, upload)).json()).toMatchObject({ status: 'paid' });
      // A store that holds nothing: the token comes without a hold and the visit is charged as before.
      expect((await register(0)).statusCode).toBe(201);
      const second = visitOn(shopper, [await entryTokenId(test, shopper, OTHER_STORE_ID)]);
      expect(await holdsOf(shopper.accountId)).toHaveLength(1);
      expect((await uploadVisit(test, second, upload)).json()).toMatchObject({ status: 'paid' });
      expect(await providerCharges(test.cloud, second.visitId)).toHaveLength(1);
    });

    it('leaves no hold open after a normal run: reconciliation proves it', async () => {
      const result = await reconcile(test.cloud.db);
      expect(result.holds).toMatchObject({ open: 0, overdue: 0, inCollection: 0 });
      expect(result.holds.provider).toEqual({ openAuthorisations: 0, matches: true });
      expect(result.provider?.matches).toBe(true);
      expect(result.ok).toBe(true);
    });

    it('retries a failing capture, then sends the receipt to staff collection and voids the hold', async () => {
      const shopper = await newShopper(test.cloud, 'tok_captureFails');
      const visit = visitOn(shopper, [await entryTokenId(test, shopper, SAMPLE_STORE_ID)]);
      const during = await uploadVisit(test, visit, { admitted: false });
      expect(during.statusCode).toBe(503);
      expect(during.json<{ error: string }>().error).toBe('payment_provider_unavailable');
      // No redelivery: the charge-retry job tries twice more, then gives the receipt to staff.
      await waitFor(
        'the receipt to go to staff collection',
        async () => {
          const [row] = await test.cloud.db.query<{ status: string }>(
            'SELECT status FROM receipts WHERE visit_id = $1',
            [visit.visitId],
          );
          return row?.status === 'collection' ? true : undefined;
        },
        25_000,
        200,
      );
      const staff = await staffSession();
      expect((await asShopper(test.cloud, shopper, 'GET', '/v1/staff/collections')).statusCode).toBe(403);
      const listed = (await asShopper(test.cloud, staff, 'GET', '/v1/staff/collections')).json<{
        collections: { visitId: string; totalCents: number; paymentAttempts: number; holdId: string }[];
      }>();
      const hold = await only(holdsOf(shopper.accountId));
      expect(listed.collections).toEqual([
        expect.objectContaining({
          visitId: visit.visitId,
          totalCents: CART_TOTAL,
          paymentAttempts: 3,
          holdId: hold.hold_id,
        }),
      ]);
      expect(hold.status).toBe('voided');
      expect(await providerCharges(test.cloud, visit.visitId)).toEqual([]);
      const receipts = (await asShopper(test.cloud, shopper, 'GET', '/v1/me/receipts')).json<{
        receipts: { status: string }[];
      }>();
      expect(receipts.receipts.map((r) => r.status)).toEqual(['collection']);
      // A redelivery answers with the receipt as it stands, and charges nothing.
      expect((await uploadVisit(test, visit, { admitted: false })).json()).toMatchObject({
        status: 'collection',
      });
      expect((await reconcile(test.cloud.db)).holds).toMatchObject({ inCollection: 1, overdue: 0 });
    }, 40_000);

    it('reports a failing void until it succeeds, and voids the holds of tokens never used', async () => {
      const failing = await newShopper(test.cloud, 'tok_voidFails');
      const empty = visitOn(failing, [await entryTokenId(test, failing, SAMPLE_STORE_ID)], []);
      expect((await uploadVisit(test, empty, { admitted: false })).statusCode).toBe(201);
      const stuck = await only(holdsOf(failing.accountId));
      expect([stuck.status, stuck.void_failures]).toEqual(['voiding', 1]);
      // A shopper who took a code and never came in: the hold expires.
      const unused = await newShopper(test.cloud, 'tok_visa');
      await entryTokenId(test, unused, SAMPLE_STORE_ID);
      await test.cloud.db.query('UPDATE payment_holds SET expires_at = 0 WHERE account_id = $1', [
        unused.accountId,
      ]);

      const before = await reconcile(test.cloud.db);
      expect(before.ok).toBe(false);
      expect(before.holds.overdueHolds.map((h) => [h.holdId, h.reason, h.lastError])).toEqual(
        expect.arrayContaining([
          [stuck.hold_id, 'void_due', 'processor_error'],
          [(await only(holdsOf(unused.accountId))).hold_id, 'expired', null],
        ]),
      );

      // The hold-release job (once a minute; sent now) voids the expired hold and retries the failing void.
      await test.cloud.jobs.send('hold-release', {}, { key: 'test' });
      await waitFor(
        'the job to void the expired hold and retry the other',
        async () => {
          const [expired] = await holdsOf(unused.accountId);
          const [retried] = await holdsOf(failing.accountId);
          return expired?.status === 'voided' && (retried?.void_failures ?? 0) >= 2 ? true : undefined;
        },
        20_000,
        200,
      );
      expect((await only(authorisationsOf(unused.accountId))).status).toBe('voided');
      const after = await reconcile(test.cloud.db);
      expect(after.holds.overdueHolds.map((h) => h.holdId)).toEqual([stuck.hold_id]);
      expect(after.holds.provider?.matches).toBe(true);
    }, 30_000);
  });
}
