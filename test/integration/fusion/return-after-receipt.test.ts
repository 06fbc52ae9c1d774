// An item handed over and put back after the giver's receipt was issued (#13), on the real pipeline
// (simulator → Mosquitto → edge → cloud on PGlite, lockstep, no cameras so it runs in seconds): leo picks alone
// and hands the item to finn, leo scans out and is billed, then finn — alone, so the put-back is his by the
// sole-session rule, though his cart never held it — puts it back. The edge gives the put-back to leo's closed
// cart and the cloud refunds the line: leo pays nothing, and a replay still rebuilds the lines he was billed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../../edge/checkout/session-store.ts';
import { replayVisit } from '../../../edge/checkout/visit-replay.ts';
import { openEdgeDatabase } from '../../../edge/db/edge-database.ts';
import { Outbox } from '../../../edge/outbox/outbox.ts';
import type { ScenarioRun } from '../../../evaluation/store-eval/evaluate-scenario.ts';
import { runInFreshStore } from '../../../evaluation/store-eval/run-in-fresh-store.ts';
import { scoreVisits } from '../../../evaluation/store-eval/score-visits.ts';
import type { VisitUpload } from '../../../shared/schemas/visit.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { parseScenario } from '../../../simulators/scenario/scenario-loader.ts';
import { realMosquitto } from '../../support/services.ts';

const STORE_PATH = 'stores/sample-store.json';
const store = loadStoreConfig(STORE_PATH);
const scenario = parseScenario(
  {
    name: 'return-after-receipt',
    description: 'leo picks alone, hands the item to finn and leaves; finn puts it back once leo is billed',
    store: `../../${STORE_PATH}`,
    seed: 13,
    noise: 'standard',
    shoppers: [
      {
        id: 'leo',
        card: 'tok_visa',
        script: [
          { at: 0.5, do: 'enter' },
          { at: 3, do: 'pick', lane: 'S01-L05' },
          { at: 9, do: 'hand-over', to: 'finn', sku: 'SKU-0055' },
          { at: 10, do: 'exit' },
        ],
      },
      {
        id: 'finn',
        card: 'tok_visa',
        script: [
          { at: 6, do: 'enter' },
          { at: 15, do: 'put-back', lane: 'S01-L05' },
          { at: 18, do: 'exit' },
        ],
      },
    ],
  },
  store,
);
const mosquitto = realMosquitto();

describe.skipIf(mosquitto.url === undefined)('a put-back after the holder’s receipt (Mosquitto)', () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'walkout-return-')), 'edge.sqlite');
  let run: ScenarioRun;

  beforeAll(async () => {
    run = await runInFreshStore(
      { scenario, store, storePath: STORE_PATH },
      { mqttUrl: mosquitto.url, edgeDbPath: dbPath, receiptWaitMs: 20_000 },
    );
  }, 120_000);

  const putBackId = () => run.events.find((e) => e.kind === 'put-back')?.eventId ?? '';

  it('refunds the giver: his receipt ends with the line returned, and nobody is billed for it', () => {
    const putBack = run.events.find((e) => e.kind === 'put-back');
    expect(putBack?.evidence?.rule).toBe('sole-session+returned-after-receipt');
    expect(run.shopperOfSession[putBack?.sessionId ?? '']).toBe('leo');
    const byShopper = Object.fromEntries(run.outcomes.map((o) => [o.shopper, o]));
    expect(byShopper.leo?.expected).toEqual([]);
    expect(byShopper.leo?.billed).toEqual([]);
    expect(byShopper.finn?.billed).toEqual([]);
    const score = scoreVisits(run.outcomes);
    expect(score.wrongConfident).toBe(0);
    expect(score.visitsExact).toBe(1);
  });

  it('kept the return as delivered, and replays leo’s visit to the lines he was billed', () => {
    const db = openEdgeDatabase(dbPath);
    try {
      const sessions = new SessionStore(db);
      const outbox = new Outbox(db);
      const leo = Object.entries(run.shopperOfSession).find(([, shopper]) => shopper === 'leo')?.[0] ?? '';
      const uploaded = outbox.bodyOf(`visit:${leo}`) as VisitUpload;
      expect(uploaded.lines).toEqual([{ sku: 'SKU-0055', quantity: 1 }]);
      const returns = outbox
        .list(['pending', 'held', 'dead', 'delivered'], 100)
        .filter((r) => r.kind === 'return');
      expect(returns.map((r) => [r.key, r.state])).toEqual([[`return:${putBackId()}`, 'delivered']]);
      const replay = replayVisit(leo, sessions.eventsOf(leo), uploaded.lines);
      expect(replay.differences).toEqual([]);
    } finally {
      db.close();
    }
  });
});
