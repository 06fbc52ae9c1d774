// The whole store, for real: broker, cloud, edge and simulated devices. One shopper enters, picks three
// products of different weights, puts one back, takes two of one product at once and leaves; the cloud
// must hold exactly one paid receipt with the right lines and total within 3 s of the exit scan.
// Runs on aedes + PGlite, and on Mosquitto + PostgreSQL when the real services are configured.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StoreStack, startStoreStack } from '../../evaluation/harness/store-stack.ts';
import type { SessionEvent } from '../../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { CloudAppClient } from '../../simulators/app/cloud-app-client.ts';
import type { GroundTruth } from '../../simulators/scenario/ground-truth.ts';
import { runScenario } from '../../simulators/scenario/run-scenario.ts';
import { loadScenario } from '../../simulators/scenario/scenario-loader.ts';
import { SHOPPER_PASSWORD, shopperEmail } from '../../simulators/scenario/simulator.ts';
import { realMosquitto, realPostgres } from '../support/services.ts';

const { scenario, store } = loadScenario('scenarios/skeleton-one-shopper.json');
const mosquitto = realMosquitto();
const postgres = realPostgres();

interface Stack {
  name: string;
  unavailable: boolean;
  mqttUrl: string | undefined;
  databaseUrl: string | undefined;
}

const stacks: Stack[] = [
  { name: 'aedes + PGlite', unavailable: false, mqttUrl: undefined, databaseUrl: undefined },
  {
    name: 'Mosquitto + PostgreSQL',
    unavailable: mosquitto.url === undefined || postgres.url === undefined,
    mqttUrl: mosquitto.url,
    databaseUrl: postgres.url,
  },
];

for (const stack of stacks) {
  describe.skipIf(stack.unavailable)(`a shopper walks out (${stack.name})`, () => {
    const schema = `e2e_${randomBytes(5).toString('hex')}`;
    let running: StoreStack;
    let truth: GroundTruth;
    /** wall time at which the edge saw the cloud acknowledge each visit, by session id */
    const delivered = new Map<string, number>();
    const sessions: SessionEvent[] = [];
    const shelfEvents: ShelfEvent[] = [];

    beforeAll(async () => {
      running = await startStoreStack({
        store,
        mqttUrl: stack.mqttUrl,
        databaseUrl: stack.databaseUrl,
        postgresSchema: stack.databaseUrl === undefined ? undefined : schema,
      });
      running.edge.onEvent((event) => {
        if ('lane' in event) shelfEvents.push(event);
        if (!('accountId' in event)) return;
        sessions.push(event);
        if (event.kind === 'receipt-delivered') delivered.set(event.sessionId, Date.now());
      });
      truth = await runScenario({
        scenario,
        store,
        mqttUrl: running.mqttUrl,
        auth: running.auth,
        gateCommandKeyPem: running.edge.gateCommandPublicKeyPem,
        app: new CloudAppClient(running.cloudUrl),
        logger: pino({ level: 'silent' }),
        settleS: 3,
      });
    }, 120_000);

    afterAll(async () => {
      await running?.stop();
      if (stack.databaseUrl !== undefined) {
        const client = new pg.Client({ connectionString: stack.databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    });

    it('plays the scripted visit (ground truth)', () => {
      const [alice] = truth.shoppers;
      expect(alice?.entryResult).toBe('open');
      expect(truth.events.map((e) => `${e.kind} ${e.count}×${e.sku}`)).toHaveLength(5);
      expect(alice?.expectedLines.length).toBeGreaterThan(0);
    });

    it('detects every pick and put-back on the right lane, with the right product and count, and nothing else', () => {
      const seen = shelfEvents.map(
        (e) => `${e.kind} ${e.lane} ${e.hypotheses[0]?.count}×${e.hypotheses[0]?.sku} ${e.attribution}`,
      );
      const expected = truth.events.map((e) => `${e.kind} ${e.lane} ${e.count}×${e.sku} sole-session`);
      expect(seen).toEqual(expected);
      for (const [i, event] of shelfEvents.entries()) {
        const real = truth.events[i];
        // the detected change starts within the true interaction
        expect(event.startTs).toBeGreaterThanOrEqual((real?.startTs ?? 0) - 50);
        expect(event.startTs).toBeLessThanOrEqual(real?.endTs ?? 0);
      }
    });

    it('bills exactly one receipt with the right lines and total within 3 s of the exit scan', async () => {
      const [alice] = truth.shoppers;
      if (alice?.exitedAt == null || alice.accountId === null)
        throw new Error('shopper did not complete the visit');
      const app = new CloudAppClient(running.cloudUrl);
      const session = await app.signUpOrIn({
        email: shopperEmail(scenario.name, alice.id, truth.nonce),
        password: SHOPPER_PASSWORD,
        name: 'Alice Example',
      });
      const receipts = await app.receipts(session);
      expect(receipts).toHaveLength(1);
      const [receipt] = receipts;
      expect(receipt?.status).toBe('paid');
      expect(receipt?.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }))).toEqual(alice.expectedLines);
      const prices = new Map(store.catalog.map((p) => [p.sku, p.priceCents]));
      const expectedTotal = alice.expectedLines.reduce(
        (sum, l) => sum + (prices.get(l.sku) ?? Number.NaN) * l.quantity,
        0,
      );
      expect(receipt?.totalCents).toBe(expectedTotal);

      const exit = sessions.find((e) => e.kind === 'exited');
      if (exit === undefined) throw new Error('edge never saw the exit');
      const deliveredAt = delivered.get(exit.sessionId);
      if (deliveredAt === undefined) throw new Error('receipt never acknowledged by the cloud');
      // the simulator runs at speed 1, so device time is wall time
      expect(deliveredAt - alice.exitedAt).toBeLessThan(3000);
      expect(running.edge.state().outbox).toEqual({ pending: 0, held: 0, delivered: 1, failed: 0 });
    });
  });
}
