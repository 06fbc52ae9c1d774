// Concurrent visit uploads share their lookup and write statements (StatementBatcher): one bad visit in a
// batch fails alone, a refused claim refuses only its visit, and deliveries of one visit arriving together
// make one receipt from one request to the provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargeRequest, PaymentProvider } from '../../../cloud/billing/payment-provider.ts';
import { SandboxPaymentProvider } from '../../../cloud/billing/sandbox-payment-provider.ts';
import type { Database } from '../../../cloud/db/database.ts';
import { type BatchedStatement, StatementBatcher } from '../../../cloud/db/statement-batcher.ts';
import { evidenceEvents, summariseBehaviour } from '../../../cloud/profile/behaviour-summary.ts';
import { storeVisitStatement, type VisitToStore } from '../../../cloud/receipts/store-visit.ts';
import { visitLookupStatement } from '../../../cloud/receipts/visit-lookup.ts';
import { type Clock, systemClock } from '../../../shared/clock.ts';
import type { VisitUpload } from '../../../shared/schemas/visit.ts';
import {
  admit,
  newShopper,
  outageProvider,
  PRIMARY_BACKEND,
  providerCharges,
  SAMPLE_STORE_ID,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from './cloud-harness.ts';

// From stores/sample-store.json: SKU-0001 water 189.
const CART = [{ sku: 'SKU-0001', quantity: 2 }];
const BATCH = { maxItems: 64, maxInFlight: 1 };

/** The sandbox provider, counting the charges asked of it by idempotency key. */
function countingProvider(asked: Map<string, number>): (db: Database, clock: Clock) => PaymentProvider {
  const make = outageProvider({ down: false });
  return (db, clock) => {
    const sandbox = make(db, clock);
    return {
      attachCard: (token) => sandbox.attachCard(token),
      charge: (request: ChargeRequest) => {
        asked.set(request.idempotencyKey, (asked.get(request.idempotencyKey) ?? 0) + 1);
        return sandbox.charge(request);
      },
      refund: (request) => sandbox.refund(request),
      authorise: (request) => sandbox.authorise(request),
      capture: (request) => sandbox.capture(request),
      void: (request) => sandbox.void(request),
    };
  };
}

/** `statement`, noting the size of each batch it runs in `batches`. */
function recording<In, Out>(
  statement: BatchedStatement<In, Out>,
  batches: number[],
): BatchedStatement<In, Out> {
  return {
    ...statement,
    run: (items) => {
      batches.push(items.length);
      return statement.run(items);
    },
  };
}

/** What ingest would store for `visit`, priced at 189 a unit and already paid. */
function paidVisit(visit: VisitUpload): VisitToStore {
  const lines = visit.lines.map((line) => ({
    sku: line.sku,
    name: 'Water',
    quantity: line.quantity,
    unitPriceCents: 189,
    totalCents: 189 * line.quantity,
  }));
  const totalCents = lines.reduce((sum, line) => sum + line.totalCents, 0);
  return {
    storeId: SAMPLE_STORE_ID,
    visit,
    entryTokenIds: visit.entryTokenIds ?? [],
    fingerprint: `fp-${visit.visitId}`,
    receiptId: `rcpt-${visit.visitId}`,
    lines,
    totalCents,
    currency: 'EUR',
    status: 'paid',
    paymentMethodToken: 'tok_visa',
    chargeId: `ch-${visit.visitId}`,
    declineCode: null,
    points: 3,
    evidence: evidenceEvents(visit.events, visit.lines),
    behaviour: summariseBehaviour(visit, () => undefined),
    floor: undefined,
    now: Date.now(),
  };
}

describe.skipIf(PRIMARY_BACKEND.unavailable)(`batched visit ingest on ${PRIMARY_BACKEND.name}`, () => {
  let test: TestCloud;
  const asked = new Map<string, number>();
  beforeAll(async () => {
    test = await startTestCloud(PRIMARY_BACKEND, { paymentProvider: countingProvider(asked) });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('stores the others of a batch when one visit fails the batch statement, and fails that one alone', async () => {
    const shoppers = await Promise.all([1, 2, 3].map(() => newShopper(test.cloud, 'tok_visa')));
    const visits = shoppers.map((s) => visitOf(s.accountId, CART));
    // PostgreSQL's jsonb refuses a NUL character: this visit's events fail the statement that stores them.
    const bad = visits[1] as VisitUpload;
    visits[1] = { ...bad, events: bad.events.map((e) => ({ ...e, eventId: 'e\u0000' })) };
    const batches: number[] = [];
    const statement = storeVisitStatement(test.cloud.db);
    const writes = new StatementBatcher(recording(statement, batches), BATCH);
    const settled = await Promise.allSettled(visits.map((visit) => writes.run(paidVisit(visit))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 'created' });
    // One statement for all three, which failed; then each alone.
    expect(batches).toEqual([3, 1, 1, 1]);
    const stored = await test.cloud.db.query<{ visit_id: string }>(
      'SELECT visit_id FROM receipts WHERE visit_id = ANY($1::text[]) ORDER BY visit_id',
      [visits.map((v) => v.visitId)],
    );
    expect(stored.map((r) => r.visit_id)).toEqual([visits[0]?.visitId, visits[2]?.visitId].sort());
  });

  it('claims the tokens of the others of a lookup batch when one names a token never issued', async () => {
    const shoppers = await Promise.all([1, 2, 3].map(() => newShopper(test.cloud, 'tok_visa')));
    const visits = shoppers.map((s) => visitOf(s.accountId, CART));
    for (const visit of visits) await admit(test.cloud, visit);
    const ownToken = visits[1]?.entryTokenIds ?? [];
    visits[1] = { ...(visits[1] as VisitUpload), entryTokenIds: ['jti-never-issued'] };
    const batches: number[] = [];
    const statement = visitLookupStatement(test.cloud.db);
    const lookups = new StatementBatcher(recording(statement, batches), BATCH);
    const now = Date.now();
    const settled = await Promise.allSettled(
      visits.map((v) =>
        lookups.run({
          visit: v,
          claim: {
            visitId: v.visitId,
            storeId: SAMPLE_STORE_ID,
            accountId: v.accountId,
            oldest: now - 60_000,
            now,
          },
          jtis: v.entryTokenIds ?? [],
        }),
      ),
    );
    expect(batches).toEqual([3]);
    expect(
      settled.map((s) => (s.status === 'fulfilled' ? 'claimed' : (s.reason as { code?: string }).code)),
    ).toEqual(['claimed', 'entry_token_unknown', 'claimed']);
    const tokens = [visits[0], visits[2]].flatMap((v) => v?.entryTokenIds ?? []);
    const bound = await test.cloud.db.query<{ jti: string; visit_id: string | null }>(
      'SELECT jti, visit_id FROM entry_tokens WHERE jti = ANY($1::text[]) ORDER BY jti',
      [[...tokens, ...ownToken]],
    );
    const expected = [
      { jti: tokens[0], visit_id: visits[0]?.visitId },
      { jti: tokens[1], visit_id: visits[2]?.visitId },
      { jti: ownToken[0], visit_id: null },
    ].sort((x, y) => String(x.jti).localeCompare(String(y.jti)));
    expect(bound).toEqual(expected);
  });

  it('bills every good visit of concurrent uploads over HTTP and refuses only the bad one', async () => {
    const shoppers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => newShopper(test.cloud, 'tok_visa')));
    const visits = shoppers.map((s) => visitOf(s.accountId, CART));
    for (const visit of visits) await admit(test.cloud, visit);
    visits[2] = { ...(visits[2] as VisitUpload), entryTokenIds: ['jti-never-issued'] };
    const answers = await Promise.all(visits.map((v) => uploadVisit(test, v, { admitted: false })));
    expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 403, 201, 201, 201]);
    expect(answers[2]?.json()).toMatchObject({ error: 'entry_token_unknown' });
    for (const at of [0, 1, 3, 4, 5]) {
      expect(answers[at]?.json()).toMatchObject({ status: 'paid', totalCents: 378 });
    }
    expect(await providerCharges(test.cloud, visits[2]?.visitId ?? '')).toEqual([]);
  });

  it('answers a visit delivered 5 times at once with one receipt, asking the provider for one charge', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const visit = visitOf(shopper.accountId, CART);
    await admit(test.cloud, visit);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => uploadVisit(test, visit, { admitted: false })),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((r) => r.json<{ receiptId: string }>().receiptId)).size).toBe(1);
    expect(asked.get(`charge:visit:${visit.visitId}`)).toBe(1);
    expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(1);
  });

  it("records the sandbox's charges of one turn together: a repeated key gets the same charge, a reused one is refused", async () => {
    const sandbox = new SandboxPaymentProvider(test.cloud.db, systemClock);
    const key = (n: number) => `charge:batch-test:${n}-${Date.now()}`;
    const [k1, k2] = [key(1), key(2)];
    const ask = (idempotencyKey: string, amountCents: number) =>
      sandbox.charge({
        idempotencyKey,
        customerRef: 'acct-batch',
        paymentMethodToken: 'tok_visa',
        amountCents,
        currency: 'EUR',
      });
    const settled = await Promise.allSettled([ask(k1, 500), ask(k1, 500), ask(k2, 700), ask(k1, 999)]);
    const [first, repeat, other, reused] = settled;
    if (first?.status !== 'fulfilled' || repeat?.status !== 'fulfilled' || other?.status !== 'fulfilled') {
      throw new Error(`charges failed: ${JSON.stringify(settled)}`);
    }
    expect(repeat.value).toEqual(first.value);
    expect(other.value).toMatchObject({ status: 'succeeded' });
    expect(other.value.chargeId).not.toBe(first.value.chargeId);
    expect(reused).toMatchObject({ status: 'rejected', reason: { code: 'idempotency_key_reused' } });
    const rows = await test.cloud.db.query<{ idempotency_key: string; amount_cents: unknown }>(
      'SELECT idempotency_key, amount_cents FROM provider_charges WHERE idempotency_key = ANY($1::text[]) ORDER BY 1',
      [[k1, k2]],
    );
    expect(rows.map((r) => [r.idempotency_key, Number(r.amount_cents)])).toEqual([
      [k1, 500],
      [k2, 700],
    ]);
  });
});
