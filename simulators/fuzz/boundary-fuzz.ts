// Fuzzes a whole store at its boundaries (#14): hostile payloads on every topic the edge subscribes to,
// published through the secured broker with the owning device's own login, and hostile bodies on every
// cloud route, generated from the route's registered schema; then a normal visit must still bill exactly.
// Crashes are uncaught errors or an edge that stops answering; server errors are 5xx answers to bad input.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { connectAsync, type MqttClient } from 'mqtt';
import pino from 'pino';
import { mqttAuthOptions } from '../../shared/broker/broker-credentials.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import { topics } from '../../shared/topics.ts';
import { CloudAppClient } from '../app/cloud-app-client.ts';
import { deviceConnection, type StoreStack, startStoreStack } from '../harness/store-stack.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import type { Scenario } from '../scenario/scenario-schema.ts';
import { SHOPPER_PASSWORD, shopperEmail } from '../scenario/simulator.ts';
import { type FuzzPayload, hostileBodies, hostilePayloads, type JsonSchemaLike } from './fuzz-payloads.ts';

export interface BoundaryFuzzOptions {
  store: StoreConfig;
  /** The normal visit played afterwards (its shelves are left out of the shelf fuzzing, see below). */
  scenario: Scenario;
  cases: number;
  seed: number;
  /** Share of the cases sent to MQTT topics (the rest go to cloud routes). */
  mqttShare?: number;
}

export interface TargetCount {
  target: string;
  cases: number;
  /** Answers 4xx (cloud) or messages the edge counted as rejected (topic totals are per kind). */
  refused: number;
  serverErrors: number;
}

export interface BoundaryFuzzResult {
  cases: number;
  mqttCases: number;
  httpCases: number;
  crashes: number;
  serverErrors: number;
  /** The edge's walkout_edge_messages_rejected_total grew by this much. */
  edgeRejected: number;
  visitAfterExact: boolean;
  seconds: number;
  targets: TargetCount[];
  /** The first few 5xx answers or crashes, to act on. */
  problems: string[];
}

interface Route {
  method: string;
  url: string;
  body: JsonSchemaLike | undefined;
  auth: 'shopper' | 'store' | 'shop' | 'none';
}

/** Every route the cloud registered, with its body schema, from its own OpenAPI document. */
function cloudRoutes(stack: StoreStack): Route[] {
  const app = stack.cloud.app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } };
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(app.swagger().paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const operation = op as {
        requestBody?: { content?: Record<string, { schema?: JsonSchemaLike }> };
        security?: Record<string, unknown>[];
      };
      const scheme = Object.keys(operation.security?.[0] ?? {})[0];
      routes.push({
        method: method.toUpperCase(),
        url: path,
        body: operation.requestBody?.content?.['application/json']?.schema,
        auth:
          scheme === 'storeCredential'
            ? 'store'
            : scheme === 'onlineShopCredential'
              ? 'shop'
              : scheme === undefined
                ? 'none'
                : 'shopper',
      });
    }
  }
  return routes;
}

async function rejectedTotal(stack: StoreStack): Promise<number> {
  const metric = await stack.edge.metrics.messagesRejected.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

export async function runBoundaryFuzz(options: BoundaryFuzzOptions): Promise<BoundaryFuzzResult> {
  const started = performance.now();
  const problems: string[] = [];
  let crashes = 0;
  const onCrash = (err: unknown) => {
    crashes += 1;
    if (problems.length < 10) problems.push(`crash: ${err instanceof Error ? err.stack : String(err)}`);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const { store, scenario } = options;
  const stack = await startStoreStack({ store });
  const clients: MqttClient[] = [];
  try {
    const storeId = store.storeId;
    // The normal visit afterwards uses some shelves: a shelf controller's own hostile batches may legitimately
    // disturb its own shelf's readings (its login is the one that may write them), so those are left out.
    const usedShelves = new Set(
      scenario.shoppers.flatMap((s) =>
        s.script.flatMap((step) => ('lane' in step ? [String(step.lane).split('-')[0]] : [])),
      ),
    );
    const shelves = store.shelves.map((s) => s.id).filter((id) => !usedShelves.has(id));
    const gate = store.gates[0]?.id ?? 'G-IN';
    const connect = async (username: string) => {
      const client = await connectAsync(stack.mqttUrl, {
        clientId: `fuzz-${username}-${randomUUID().slice(0, 8)}`,
        reconnectPeriod: 200,
        ...mqttAuthOptions(stack.auth(username)),
      });
      // An oversized message makes the broker drop the connection: the client reconnects and goes on.
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    };
    const now = Date.now();
    const validBatch = (shelf: string) => ({
      v: 1,
      device: shelf,
      seq: 1,
      t0: now,
      periodMs: 16.667,
      cells: [{ id: `${shelf}-L01`, grams: [100, 100.5, null] }],
    });
    const topicTargets = await Promise.all(
      [
        ...shelves.slice(0, 3).map((shelf) => ({
          name: 'shelf weights',
          user: shelf,
          topic: topics.shelfWeights(storeId, shelf),
          valid: validBatch(shelf),
        })),
        ...shelves.slice(0, 2).map((shelf) => ({
          name: 'device status',
          user: shelf,
          topic: topics.deviceStatus(storeId, shelf),
          valid: { v: 1, state: 'online', ts: now },
        })),
        {
          name: 'gate scan',
          user: gate,
          topic: topics.gateScan(storeId, gate),
          valid: { v: 1, scanId: 'scan-1', token: 'eyJhbGciOiJFZERTQSJ9.e30.sig', ts: now },
        },
      ].map(async (t) => ({ ...t, client: await connect(t.user) })),
    );
    const routes = cloudRoutes(stack);
    const app = new CloudAppClient(stack.cloudUrl);
    const fuzzShopper = {
      email: `fuzz-${randomUUID()}@example.com`,
      password: 'fuzz-password-1234',
      name: 'Fuzz',
    };
    const shopper = await app.signUpOrIn(fuzzShopper);
    const bearer: Record<Route['auth'], string | undefined> = {
      shopper: shopper.token,
      store: stack.storeCredential,
      shop: undefined,
      none: undefined,
    };

    const counts = new Map<string, TargetCount>();
    const count = (target: string) => {
      let entry = counts.get(target);
      if (entry === undefined) {
        entry = { target, cases: 0, refused: 0, serverErrors: 0 };
        counts.set(target, entry);
      }
      entry.cases += 1;
      return entry;
    };
    const rejectedBefore = await rejectedTotal(stack);
    const mqttCases = Math.round(options.cases * (options.mqttShare ?? 0.5));
    const httpCases = options.cases - mqttCases;

    // MQTT: QoS 0 as devices stream; awaited in small groups so the broker's queue limits are not the test.
    const mqttSample = fc.sample(
      fc
        .tuple(fc.nat({ max: topicTargets.length - 1 }), fc.constant(null))
        .chain(([i]) => hostilePayloads((topicTargets[i] ?? topicTargets[0])?.valid).map((p) => ({ i, p }))),
      { numRuns: mqttCases, seed: options.seed },
    );
    for (let at = 0; at < mqttSample.length; at += 50) {
      await Promise.all(
        mqttSample.slice(at, at + 50).map(async ({ i, p }) => {
          const target = topicTargets[i];
          if (target === undefined) return;
          count(`mqtt ${target.name}`);
          await target.client.publishAsync(target.topic, p.bytes, { qos: 0 }).catch(() => undefined);
        }),
      );
    }

    // HTTP: every route, through the whole fastify pipeline (schemas, auth, rate limits, handlers).
    const httpSample = fc.sample(
      fc.tuple(fc.nat({ max: routes.length - 1 }), fc.constant(null)).chain(([i]) =>
        fc
          .record({
            payload: hostileBodies(routes[i]?.body),
            param: fc.oneof(fc.string({ maxLength: 80 }), fc.constant(storeId), fc.uuid()),
            authMode: fc.constantFrom('right', 'none', 'garbage'),
            contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'x/y'),
            ip: fc.ipV4(),
          })
          .map((r) => ({ i, ...r })),
      ),
      { numRuns: httpCases, seed: options.seed + 1 },
    );
    for (const c of httpSample) {
      const route = routes[c.i];
      if (route === undefined) continue;
      const entry = count(`http ${route.method} ${route.url}`);
      const url = route.url.replace(/\{[^}]+\}/g, encodeURIComponent(c.param) || 'x');
      const token =
        c.authMode === 'right' ? bearer[route.auth] : c.authMode === 'garbage' ? 'garbage-token' : undefined;
      const response = await stack.cloud.app.inject({
        method: route.method as 'GET',
        url,
        remoteAddress: c.ip,
        headers: {
          'content-type': c.contentType,
          'idempotency-key': `visit:${c.param}`,
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        ...(route.method === 'GET' ? {} : { payload: (c.payload as FuzzPayload).bytes }),
      });
      // Signing out with the fuzz shopper's token revokes it (as it should): sign in again to keep coverage.
      if (route.url === '/v1/auth/sessions/current' && response.statusCode === 204)
        bearer.shopper = (await app.signUpOrIn(fuzzShopper)).token;
      if (response.statusCode >= 500) {
        entry.serverErrors += 1;
        if (problems.length < 10)
          problems.push(`${route.method} ${url} → ${response.statusCode}: ${response.body.slice(0, 200)}`);
      } else if (response.statusCode >= 400) entry.refused += 1;
    }

    // The edge must still be up and answering, and must have counted what it dropped.
    const health = await fetch(`${stack.edge.httpUrl ?? ''}/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (health !== 200) {
      crashes += 1;
      problems.push(`edge /health answered ${health} after the fuzzing`);
    }
    const edgeRejected = (await rejectedTotal(stack)) - rejectedBefore;
    await Promise.all(clients.map((c) => c.endAsync(true)));
    clients.length = 0;

    const visitAfterExact = await playNormalVisit(stack, options).catch((err: unknown) => {
      problems.push(`normal visit afterwards failed: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    });
    const targets = [...counts.values()].sort((a, b) => a.target.localeCompare(b.target));
    const serverErrors = targets.reduce((s, t) => s + t.serverErrors, 0);
    return {
      cases: mqttCases + httpCases,
      mqttCases,
      httpCases,
      crashes,
      serverErrors,
      edgeRejected,
      visitAfterExact,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      targets,
      problems,
    };
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await stack.stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}

/** Plays the scenario for real and checks its shopper's receipt: exactly the expected lines and total. */
async function playNormalVisit(stack: StoreStack, options: BoundaryFuzzOptions): Promise<boolean> {
  const { scenario, store } = options;
  const truth = await runScenario({
    scenario,
    store,
    ...deviceConnection(stack),
    app: new CloudAppClient(stack.cloudUrl),
    logger: pino({ level: 'silent' }),
    settleS: 3,
  });
  const prices = new Map(store.catalog.map((p) => [p.sku, p.priceCents]));
  const app = new CloudAppClient(stack.cloudUrl);
  for (const shopper of truth.shoppers) {
    const session = await app.signUpOrIn({
      email: shopperEmail(scenario.name, shopper.id, truth.nonce),
      password: SHOPPER_PASSWORD,
      name: shopper.id,
    });
    const deadline = Date.now() + 15_000;
    let receipts = await app.receipts(session);
    while (receipts.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      receipts = await app.receipts(session);
    }
    const [receipt] = receipts;
    const expectedTotal = shopper.expectedLines.reduce(
      (sum, l) => sum + (prices.get(l.sku) ?? Number.NaN) * l.quantity,
      0,
    );
    const lines = receipt?.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
    if (
      receipts.length !== 1 ||
      receipt?.status !== 'paid' ||
      JSON.stringify(lines) !== JSON.stringify(shopper.expectedLines) ||
      receipt.totalCents !== expectedTotal
    )
      return false;
  }
  return truth.shoppers.length > 0;
}
