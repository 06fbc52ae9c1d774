// A short scenario against the embedded broker: the shelf controllers' batches arrive on their topics and
// validate, the gates are answered over MQTT, and the ground truth lists the scripted events and lines.
import { resolve } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../shared/broker/embedded-broker.ts';
import { DeviceStatusSchema } from '../../../shared/schemas/device-status.ts';
import { type GateCommand, GateScanSchema } from '../../../shared/schemas/gate.ts';
import { type LoadCellBatch, LoadCellBatchSchema } from '../../../shared/schemas/load-cell-batch.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { parseTopic, topicFilters, topics } from '../../../shared/topics.ts';
import { compileValidator, parseJson } from '../../../shared/validator.ts';
import type {
  Credentials,
  EntryTokenResult,
  Receipt,
  ShopperApp,
  ShopperSession,
} from '../../../simulators/app/shopper-app.ts';
import { runScenario } from '../../../simulators/scenario/run-scenario.ts';
import { parseScenario } from '../../../simulators/scenario/scenario-loader.ts';
import { waitFor } from '../../support/services.ts';

const store = loadStoreConfig(resolve(import.meta.dirname, '../../../stores/sample-store.json'));
const STORE = store.storeId;
const validators = {
  batch: compileValidator(LoadCellBatchSchema),
  scan: compileValidator(GateScanSchema),
  status: compileValidator(DeviceStatusSchema),
};

/** The cloud as far as the simulator needs it: dummy tokens, a card-less account gets 402. */
class InTestApp implements ShopperApp {
  readonly emails: string[] = [];
  /** by account id */
  private readonly cards = new Map<string, string>();
  private issued = 0;
  async signUpOrIn(c: Credentials): Promise<ShopperSession> {
    this.emails.push(c.email);
    return { accountId: `acct-${c.email.split('-')[1] ?? ''}`, token: `bearer-${c.email}` };
  }
  async addCard(session: ShopperSession, cardToken: string): Promise<void> {
    if (cardToken === 'tok_chargeDeclined') throw new Error('402 card_declined');
    this.cards.set(session.accountId, cardToken);
  }
  async entryToken(session: ShopperSession): Promise<EntryTokenResult> {
    if (!this.cards.has(session.accountId)) return { ok: false, reason: 'payment-required' };
    this.issued += 1;
    return { ok: true, token: `entry-${session.accountId}-${this.issued}`, expiresAt: 0 };
  }
  async receipts(): Promise<Receipt[]> {
    return [];
  }
}

const scenario = parseScenario(
  {
    name: 'integration',
    store: '../stores/sample-store.json',
    seed: 5,
    noise: 'standard',
    shoppers: [
      {
        id: 'alice',
        card: 'tok_visa',
        script: [
          { at: 0.2, do: 'enter' },
          { at: 1, do: 'pick', lane: 'S04-L08' },
          { at: 2.5, do: 'pick', lane: 'S01-L05', count: 2 },
          { at: 4, do: 'put-back', lane: 'S01-L05' },
          { at: 5, do: 'pick', lane: 'S16-L09', count: 6 },
          { at: 6, do: 'exit' },
        ],
      },
      {
        id: 'bob',
        card: 'tok_chargeDeclined',
        script: [
          { at: 0.5, do: 'enter' },
          { at: 2, do: 'pick', lane: 'S02-L01' },
        ],
      },
    ],
  },
  store,
);

describe('runScenario over the embedded broker', () => {
  let broker: EmbeddedBroker;
  let observer: MqttClient;
  /** by shelf id */
  const batches = new Map<string, LoadCellBatch[]>();
  /** by device id, every status in arrival order */
  const statuses = new Map<string, string[]>();
  const invalid: string[] = [];
  const commands: GateCommand[] = [];

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    observer = await connectAsync(broker.url, { clientId: 'test-observer' });
    observer.on('message', (topic, payload) => {
      const parsed = parseTopic(topic);
      if (parsed?.device === undefined) return;
      if (parsed.kind === 'shelfWeights') {
        const checked = parseJson(validators.batch, payload);
        if (!checked.ok) return void invalid.push(`${topic}: ${checked.errors.join('; ')}`);
        if (checked.value.device !== parsed.device) invalid.push(`${topic}: device ${checked.value.device}`);
        batches.set(parsed.device, [...(batches.get(parsed.device) ?? []), checked.value]);
      } else if (parsed.kind === 'deviceStatus') {
        const checked = parseJson(validators.status, payload);
        if (!checked.ok) return void invalid.push(`${topic}: ${checked.errors.join('; ')}`);
        statuses.set(parsed.device, [...(statuses.get(parsed.device) ?? []), checked.value.state]);
      } else if (parsed.kind === 'gateScan') {
        // Plays the edge: every valid scan opens the gate it came from.
        const checked = parseJson(validators.scan, payload);
        if (!checked.ok) return void invalid.push(`${topic}: ${checked.errors.join('; ')}`);
        const command: GateCommand = {
          v: 1,
          scanId: checked.value.scanId,
          action: 'open',
          admit: 1,
          message: 'Welcome',
          ts: checked.value.ts,
        };
        commands.push(command);
        observer.publish(topics.gateCommand(STORE, parsed.device), JSON.stringify(command), { qos: 1 });
      }
    });
    await observer.subscribeAsync(
      [topicFilters.shelfWeights(STORE), topicFilters.deviceStatus(STORE), topicFilters.gateScan(STORE)],
      { qos: 1 },
    );
  });

  afterAll(async () => {
    await observer?.endAsync();
    await broker?.stop();
  });

  it('streams valid batches per shelf and records what happened', async () => {
    const app = new InTestApp();
    const lines: string[] = [];
    const truth = await runScenario({
      scenario,
      store,
      mqttUrl: broker.url,
      app,
      speed: 5,
      settleS: 1.5,
      logger: pino({ level: 'silent' }),
      onEvent: (line) => lines.push(line),
      nonce: 'n1',
    });

    expect(invalid).toEqual([]);
    expect(app.emails).toEqual([
      'integration-alice-n1@sim.walkout.test',
      'integration-bob-n1@sim.walkout.test',
    ]);

    // Every shelf streamed, each with consecutive sequence numbers and 200 ms between batches.
    expect([...batches.keys()].sort()).toEqual(store.shelves.map((s) => s.id).sort());
    for (const shelf of store.shelves) {
      const received = batches.get(shelf.id) ?? [];
      expect(received.length).toBeGreaterThan(30);
      received.forEach((b, i) => {
        expect(b.seq).toBe(i);
        expect(b.cells.map((c) => c.id)).toEqual(shelf.lanes.map((l) => l.loadCell));
        if (i > 0) expect(b.t0 - (received[i - 1]?.t0 ?? 0)).toBeCloseTo(200, 1);
      });
    }
    // Devices said online (retained) and offline on a clean stop.
    // The broker acknowledged the offline publishes; their delivery to us may still be on the way.
    const devices = [...store.shelves.map((s) => s.id), 'G-IN', 'G-OUT'];
    await waitFor('offline from every device', () =>
      devices.every((d) => statuses.get(d)?.length === 2) ? true : undefined,
    );
    for (const device of devices) expect(statuses.get(device)).toEqual(['online', 'offline']);

    expect(truth.shoppers).toEqual([
      expect.objectContaining({
        id: 'alice',
        accountId: 'acct-alice',
        entryResult: 'open',
        expectedLines: [
          { sku: 'SKU-0003', quantity: 1 },
          { sku: 'SKU-0055', quantity: 1 },
        ],
      }),
      expect.objectContaining({
        id: 'bob',
        entryResult: 'deny',
        denyReason: 'payment-required',
        cardError: '402 card_declined',
        enteredAt: null,
        expectedLines: [],
      }),
    ]);
    const alice = truth.shoppers[0];
    expect(alice?.enteredAt).toBeGreaterThanOrEqual(truth.startedAt + 200);
    expect(alice?.exitedAt).toBeGreaterThan(alice?.enteredAt ?? Number.POSITIVE_INFINITY);
    expect(truth.events.map((e) => [e.shopper, e.kind, e.lane, e.sku, e.count])).toEqual([
      ['alice', 'pick', 'S04-L08', 'SKU-0003', 1],
      ['alice', 'pick', 'S01-L05', 'SKU-0055', 2],
      ['alice', 'put-back', 'S01-L05', 'SKU-0055', 1],
    ]);
    expect(truth.refusals).toEqual([
      expect.objectContaining({ shopper: 'alice', kind: 'pick', lane: 'S16-L09', count: 6 }),
    ]);
    expect(truth.gates.map((g) => [g.shopper, g.gate, g.action])).toEqual([
      ['alice', 'G-IN', 'open'],
      ['alice', 'G-OUT', 'open'],
    ]);
    expect(truth.gates.map((g) => g.scanId)).toEqual(commands.map((c) => c.scanId));
    expect(truth.endedAt).toBeGreaterThan((truth.events.at(-1)?.endTs ?? 0) + 1000);
    expect(lines.some((l) => l.includes('alice picks 1 × Northfield Milk Chocolate Bar (SKU-0003)'))).toBe(
      true,
    );

    // The chocolate bar's pick is in the signal: the lane's level drops by its true weight.
    const pick = truth.events[0];
    if (pick === undefined) throw new Error('no pick');
    const samples = (batches.get('S04') ?? []).flatMap((b) =>
      (b.cells.find((c) => c.id === 'S04-LC08')?.grams ?? []).map((g, i) => ({
        ts: b.t0 + i * b.periodMs,
        g,
      })),
    );
    const level = (from: number, to: number) => {
      const xs = samples.filter((s) => s.ts >= from && s.ts < to && s.g !== null).map((s) => s.g ?? 0);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const drop = level(pick.startTs - 700, pick.startTs) - level(pick.endTs + 100, pick.endTs + 1100);
    expect(drop).toBeGreaterThan(pick.grams - 4);
    expect(drop).toBeLessThan(pick.grams + 4);
  });
});
