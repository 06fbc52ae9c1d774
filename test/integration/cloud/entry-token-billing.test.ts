// Cloud trust (#14): a visit is billed only to the account its entry token was issued to, at the store it was
// issued for, once — through the real token endpoint and visit upload (PostgreSQL in CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock.ts';
import type { VisitUpload } from '../../../shared/schemas/visit.ts';
import {
  entryTokenId,
  newShopper,
  OTHER_STORE_ID,
  PRIMARY_BACKEND,
  providerCharges,
  SAMPLE_STORE_ID,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOn,
} from './cloud-harness.ts';

// visitOn's cart, from stores/sample-store.json (both test stores share its catalog): SKU-0001 water 189 ×2,
// SKU-0007 739.
const CART_TOTAL = 2 * 189 + 739;

async function receiptCount(test: TestCloud, accountId: string): Promise<number> {
  const rows = await test.cloud.db.query<{ n: unknown }>(
    'SELECT count(*) AS n FROM receipts WHERE account_id = $1',
    [accountId],
  );
  return Number(rows[0]?.n);
}

const backend = PRIMARY_BACKEND;
describe(`billing on entry tokens on ${backend.name}`, () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(backend);
  });
  afterAll(async () => {
    await test?.stop();
  });

  it("store A's credential cannot bill an account admitted at store B", async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const atB = await entryTokenId(test, shopper, OTHER_STORE_ID);
    const visit = visitOn(shopper, [atB]);
    const refused = await uploadVisit(test, visit, { storeId: SAMPLE_STORE_ID, admitted: false });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: string }>().error).toBe('entry_token_wrong_store');
    expect(await providerCharges(test.cloud, visit.visitId)).toEqual([]);
    expect(await receiptCount(test, shopper.accountId)).toBe(0);
    // Store B itself bills it.
    const billed = await uploadVisit(test, visit, { storeId: OTHER_STORE_ID, admitted: false });
    expect(billed.statusCode).toBe(201);
    expect(billed.json()).toMatchObject({ status: 'paid', totalCents: CART_TOTAL });
  });

  it('refuses, and charges nothing for, a visit without a matching entry token', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const someoneElse = await newShopper(test.cloud, 'tok_visa');
    const cases: [VisitUpload, number, string][] = [
      [visitOn(shopper, undefined), 400, 'entry_token_required'],
      [visitOn(shopper, ['jti-never-issued-by-this-cloud']), 403, 'entry_token_unknown'],
      // A real token, but issued to someone else: a store cannot move a visit to another account.
      [
        visitOn(shopper, [await entryTokenId(test, someoneElse, SAMPLE_STORE_ID)]),
        403,
        'entry_token_wrong_account',
      ],
    ];
    for (const [visit, status, error] of cases) {
      const response = await uploadVisit(test, visit, { admitted: false });
      expect({ status: response.statusCode, error: response.json<{ error: string }>().error }).toEqual({
        status,
        error,
      });
      expect(await providerCharges(test.cloud, visit.visitId)).toEqual([]);
    }
    expect(await receiptCount(test, shopper.accountId)).toBe(0);
    expect(await receiptCount(test, someoneElse.accountId)).toBe(0);
  });

  it('bills a token once: the same visit again gets the same receipt, another visit on it is refused', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const jti = await entryTokenId(test, shopper, SAMPLE_STORE_ID);
    const visit = visitOn(shopper, [jti]);
    const first = await uploadVisit(test, visit, { admitted: false });
    expect(first.statusCode).toBe(201);
    const again = await uploadVisit(test, visit, { admitted: false });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());

    const second = visitOn(shopper, [jti]);
    const reused = await uploadVisit(test, second, { admitted: false });
    expect(reused.statusCode).toBe(409);
    expect(reused.json<{ error: string }>().error).toBe('entry_token_used');
    expect(await providerCharges(test.cloud, second.visitId)).toEqual([]);
    expect(await receiptCount(test, shopper.accountId)).toBe(1);
    const stored = await test.cloud.db.query<{ entry_token_ids: string[] }>(
      'SELECT entry_token_ids FROM visits WHERE visit_id = $1',
      [visit.visitId],
    );
    expect(stored[0]?.entry_token_ids).toEqual([jti]);
  });

  it('lets exactly one of two different visits racing on one token be billed', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const jti = await entryTokenId(test, shopper, SAMPLE_STORE_ID);
    const racing = [visitOn(shopper, [jti]), visitOn(shopper, [jti]), visitOn(shopper, [jti])];
    const answers = await Promise.all(racing.map((v) => uploadVisit(test, v, { admitted: false })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
    expect(await receiptCount(test, shopper.accountId)).toBe(1);
  });
});

describe('entry-token retention and the development opt-out', () => {
  const clock = new ManualClock(Date.now());
  let test: TestCloud;
  const retentionMs = 3_600_000;
  beforeAll(async () => {
    test = await startTestCloud(PRIMARY_BACKEND, {
      clock,
      entryTokenRegistry: { retentionMs, pruneEveryMs: 0 },
      visitsWithoutEntryToken: 'allow-missing',
    });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('refuses a token older than the retention and prunes its row at the next issue', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const old = await entryTokenId(test, shopper, SAMPLE_STORE_ID);
    clock.advance(retentionMs + 1);
    const refused = await uploadVisit(test, visitOn(shopper, [old]), { admitted: false });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: string }>().error).toBe('entry_token_unknown');
    await entryTokenId(test, shopper, SAMPLE_STORE_ID);
    const rows = await test.cloud.db.query('SELECT jti FROM entry_tokens WHERE jti = $1', [old]);
    expect(rows).toEqual([]);
  });

  it("with 'allow-missing' bills an upload naming no token, but still checks a named one", async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const legacy = await uploadVisit(test, visitOn(shopper, undefined), { admitted: false });
    expect(legacy.statusCode).toBe(201);
    expect(legacy.json()).toMatchObject({ status: 'paid', totalCents: CART_TOTAL });
    const forged = await uploadVisit(test, visitOn(shopper, ['jti-never-issued']), { admitted: false });
    expect(forged.json<{ error: string }>().error).toBe('entry_token_unknown');
  });
});
