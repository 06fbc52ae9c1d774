// The live cart end to end (#18): real edge, cloud and simulated store devices. Alice's two phones (one
// account: a party shares its cart) follow her cart over the cloud's event stream while she picks three
// products and puts one back; Bob, signed in elsewhere, never sees any of it. Alice flags a
// line "I didn't take this"; it reaches the floor's exception queue, a supervisor removes it, and the receipt
// is pushed to her phones without it; the visit records the flag as removed.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceConnection, type StoreStack, startStoreStack } from '../../evaluation/harness/store-stack.ts';
import type { LiveCartUpdate } from '../../shared/schemas/live-cart.ts';
import { CartStreamClient, type StreamedEvent } from '../../simulators/app/cart-stream-client.ts';
import { CloudAppClient } from '../../simulators/app/cloud-app-client.ts';
import { runScenario } from '../../simulators/scenario/run-scenario.ts';
import { loadScenario, parseScenario } from '../../simulators/scenario/scenario-loader.ts';
import { SHOPPER_PASSWORD } from '../../simulators/scenario/simulator.ts';
import { RecordingApp } from '../support/recording-app.ts';
import { waitFor } from '../support/services.ts';

const { store } = loadScenario('scenarios/skeleton-one-shopper.json');
const skuOf = (lane: string) => {
  for (const shelf of store.shelves) for (const l of shelf.lanes) if (l.id === lane) return l.sku;
  throw new Error(`no lane ${lane}`);
};
// lanes of the aisle next to the gates: a short walk between the picks
const [CHOCOLATE, PASTA_SALAD, CHEDDAR] = ['S05-L02', 'S01-L02', 'S01-L09'].map(skuOf);
const scenario = parseScenario(
  {
    name: 'livecart',
    store: '../stores/sample-store.json',
    seed: 11,
    noise: 'standard',
    shoppers: [
      {
        id: 'alice',
        card: 'tok_visa',
        script: [
          { at: 0.5, do: 'enter' },
          { at: 3, do: 'pick', lane: 'S05-L02', count: 1 },
          { at: 6, do: 'pick', lane: 'S01-L02', count: 1 },
          { at: 9, do: 'pick', lane: 'S01-L09', count: 1 },
          { at: 12, do: 'put-back', lane: 'S01-L02', count: 1 },
          { at: 26, do: 'exit' },
        ],
      },
    ],
  },
  store,
);

const carts = (c: CartStreamClient) =>
  c.events.filter((e) => e.event === 'cart').map((e) => e.data as LiveCartUpdate);

describe('live cart over the cloud stream', () => {
  let stack: StoreStack;
  /** by shopper id: their open apps */
  const apps = new Map<string, CartStreamClient[]>();
  let app: RecordingApp;
  let bob: CartStreamClient;

  beforeAll(async () => {
    stack = await startStoreStack({ store, exceptionHoldMs: 60_000 });
    app = new RecordingApp(stack.cloudUrl, async (shopperId, session, credentials) => {
      const phones = [new CartStreamClient({ cloudUrl: stack.cloudUrl, token: session.token })];
      if (shopperId === 'alice') {
        // her second phone (the party's other member): another sign-in of the same account
        const signIn = await fetch(`${stack.cloudUrl}/v1/auth/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: credentials.email, password: SHOPPER_PASSWORD }),
        });
        const { token } = (await signIn.json()) as { token: string };
        phones.push(new CartStreamClient({ cloudUrl: stack.cloudUrl, token }));
      }
      await Promise.all(phones.map((p) => p.start()));
      apps.set(shopperId, phones);
    });
    const bobSession = await new CloudAppClient(stack.cloudUrl).signUpOrIn({
      email: 'bob@live-cart.test',
      password: SHOPPER_PASSWORD,
      name: 'Bob',
    });
    bob = new CartStreamClient({ cloudUrl: stack.cloudUrl, token: bobSession.token });
    await bob.start();
  }, 60_000);

  afterAll(async () => {
    for (const phones of apps.values()) for (const p of phones) await p.stop();
    await bob?.stop();
    await stack?.stop();
  });

  it('pushes each change, flags a line to staff, and pushes the receipt without the removed line', async () => {
    const run = runScenario({
      scenario,
      store,
      ...deviceConnection(stack),
      app,
      logger: pino({ level: 'silent' }),
      settleS: 2,
    });
    run.catch(() => {});
    await waitFor('alice signed in', () => apps.has('alice') || undefined, 15_000);
    const [phone] = apps.get('alice') as CartStreamClient[];
    if (phone === undefined) throw new Error('no phone');
    // after the put-back: chocolate and cheddar counted, the pasta salad gone
    const settled = await phone.waitFor((e) => {
      if (e.event !== 'cart') return false;
      const cart = e.data as LiveCartUpdate;
      return cart.change?.kind === 'put-back' && cart.lines.length === 2;
    }, 60_000);
    const cart = settled.data as LiveCartUpdate;
    expect(cart.lines.map((l) => [l.sku, l.count, l.status])).toEqual(
      [
        [CHOCOLATE, 1, 'counted'],
        [CHEDDAR, 1, 'counted'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(cart.totalCents).toBe(cart.lines.reduce((s, l) => s + l.lineCents, 0));
    // every pick and the put-back came as its own change, in order
    const changes = carts(phone).flatMap((c) =>
      c.change === undefined ? [] : [[c.change.kind, c.change.sku]],
    );
    expect(changes).toEqual([
      ['pick', CHOCOLATE],
      ['pick', PASTA_SALAD],
      ['pick', CHEDDAR],
      ['put-back', PASTA_SALAD],
    ]);
    const seqs = carts(phone).map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // "I didn't take this": the cheddar
    const session = app.sessions.get('alice');
    const flagged = await fetch(`${stack.cloudUrl}/v1/me/cart/flags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session?.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: cart.sessionId, sku: CHEDDAR }),
    });
    expect(flagged.status).toBe(201);
    await waitFor(
      'the flag in the exception queue',
      () => stack.edge.exceptions.list().some((x) => x.reason === 'shopper-flag') || undefined,
      10_000,
    );
    const checking = await phone.waitFor(
      (e) => e.event === 'cart' && (e.data as LiveCartUpdate).change?.kind === 'flagged',
      5000,
    );
    expect((checking.data as LiveCartUpdate).lines.find((l) => l.sku === CHEDDAR)).toMatchObject({
      status: 'checking',
      flagged: true,
    });
    // the receipt waits for staff even after she left
    await waitFor('alice left', () => stack.edge.state().inStore.length === 0 || undefined, 20_000);
    expect(phone.events.some((e) => e.event === 'receipt')).toBe(false);

    // a supervisor removes the line on the floor
    const login = (await (
      await fetch(`${stack.edge.httpUrl}/floor/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'manager', password: 'walkout-demo' }),
      })
    ).json()) as { token: string };
    const x = stack.edge.exceptions.list().find((e) => e.reason === 'shopper-flag');
    const dropped = await fetch(`${stack.edge.httpUrl}/floor/api/exceptions/${x?.exceptionId}/drop`, {
      method: 'POST',
      headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'the shopper is right: not taken' }),
    });
    expect(dropped.status).toBe(200);
    const pushed = (await phone.waitFor((e) => e.event === 'receipt', 10_000)) as StreamedEvent & {
      data: { receiptId: string; totalCents: number };
    };
    const receipt = (await (
      await fetch(`${stack.cloudUrl}/v1/me/receipts/${pushed.data.receiptId}`, {
        headers: { authorization: `Bearer ${session?.token}` },
      })
    ).json()) as { lines: { sku: string }[]; totalCents: number };
    expect(receipt.lines.map((l) => l.sku)).toEqual([CHOCOLATE]);
    expect(pushed.data.totalCents).toBe(receipt.totalCents);
    const rows = await stack.cloud.db.query<{ shopper_flags: unknown }>(
      'SELECT shopper_flags FROM visits WHERE visit_id = $1',
      [cart.sessionId],
    );
    expect(rows[0]?.shopper_flags).toMatchObject([{ sku: CHEDDAR, outcome: 'removed' }]);
    const metrics = await stack.edge.metrics.registry.getSingleMetricAsString(
      'walkout_edge_shopper_flags_total',
    );
    expect(metrics).toContain('outcome="removed"} 1');

    await run;
    // Bob had his app open all along: nothing of Alice's visit reached it
    expect(bob.events).toEqual([]);
    expect(carts(phone).every((c) => c.sessionId === cart.sessionId)).toBe(true);
    expect(phone.events.filter((e) => e.event === 'receipt')).toHaveLength(1);
    // her other phone saw the same cart and the same receipt
    const other = apps.get('alice')?.[1];
    expect(other && carts(other).at(-1)?.seq).toBe(carts(phone).at(-1)?.seq);
    expect(other?.events.find((e) => e.event === 'receipt')?.id).toBe(pushed.id);
  }, 180_000);
});
