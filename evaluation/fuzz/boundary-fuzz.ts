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
import { CloudAppClient } from '../../simulators/app/cloud-app-client.ts';
import { runScenario } from '../../simulators/scenario/run-scenario.ts';
import type { Scenario } from '../../simulators/scenario/scenario-schema.ts';
import { SHOPPER_PASSWORD, shopperEmail } from '../../simulators/scenario/simulator.ts';
import { deviceConnection, type StoreStack, startStoreStack } from '../harness/store-stack.ts';
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
        description?: string;
      };
      // a Server-Sent Events stream answers for as long as the client stays: one request would never end
      // (its refusals are tested by test/integration/cloud/live-cart-stream.test.ts)
      if (operation.description?.startsWith('text/event-stream') === true) continue;
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

/** Cases per target, crashes, and the first few problems to act on. */
class FuzzTally {
  /** by target */
  readonly counts = new Map<string, TargetCount>();
  readonly problems: string[] = [];
  crashes = 0;

  count(target: string): TargetCount {
    let entry = this.counts.get(target);
    if (entry === undefined) {
      entry = { target, cases: 0, refused: 0, serverErrors: 0 };
      this.counts.set(target, entry);
    }
    entry.cases += 1;
    return entry;
  }

  /** Kept among the first ten only. */
  note(problem: string): void {
    if (this.problems.length < 10) this.problems.push(problem);
  }
}

interface TopicTarget {
  name: string;
  user: string;
  topic: string;
  valid: unknown;
  client: MqttClient;
}

/** A fuzzing shopper, and the credential each kind of route is given when the case sends the right one. */
interface HttpCredentials {
  app: CloudAppClient;
  shopper: { email: string; password: string; name: string };
  bearer: Record<Route['auth'], string | undefined>;
}

export async function runBoundaryFuzz(options: BoundaryFuzzOptions): Promise<BoundaryFuzzResult> {
  const started = performance.now();
  const tally = new FuzzTally();
  const onCrash = (err: unknown) => {
    tally.crashes += 1;
    tally.note(`crash: ${err instanceof Error ? err.stack : String(err)}`);
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const stack = await startStoreStack({ store: options.store });
  const clients: MqttClient[] = [];
  try {
    const topicTargets = await connectTopicTargets(stack, options, clients);
    const routes = cloudRoutes(stack);
    const credentials = await httpCredentials(stack);
    const rejectedBefore = await rejectedTotal(stack);
    const mqttCases = Math.round(options.cases * (options.mqttShare ?? 0.5));
    const httpCases = options.cases - mqttCases;
    await fuzzTopics(topicTargets, mqttCases, options.seed, tally);
    await fuzzRoutes(stack, routes, credentials, options.store.storeId, httpCases, options.seed + 1, tally);
    await checkEdgeAnswers(stack, tally);
    const edgeRejected = (await rejectedTotal(stack)) - rejectedBefore;
    await Promise.all(clients.map((c) => c.endAsync(true)));
    clients.length = 0;

    const visitAfterExact = await playNormalVisit(stack, options).catch((err: unknown) => {
      tally.problems.push(
        `normal visit afterwards failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return false;
    });
    const targets = [...tally.counts.values()].sort((a, b) => a.target.localeCompare(b.target));
    const serverErrors = targets.reduce((s, t) => s + t.serverErrors, 0);
    return {
      cases: mqttCases + httpCases,
      mqttCases,
      httpCases,
      crashes: tally.crashes,
      serverErrors,
      edgeRejected,
      visitAfterExact,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      targets,
      problems: tally.problems,
    };
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await stack.stop();
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}

/** The device topics fuzzed, each with a client logged in as the device that owns it (added to `clients`). */
async function connectTopicTargets(
  stack: StoreStack,
  options: BoundaryFuzzOptions,
  clients: MqttClient[],
): Promise<TopicTarget[]> {
  const { store, scenario } = options;
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
  return Promise.all(
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
}

async function httpCredentials(stack: StoreStack): Promise<HttpCredentials> {
  const app = new CloudAppClient(stack.cloudUrl);
  const shopper = {
    email: `fuzz-${randomUUID()}@example.com`,
    password: 'fuzz-password-1234',
    name: 'Fuzz',
  };
  const signedIn = await app.signUpOrIn(shopper);
  const bearer = { shopper: signedIn.token, store: stack.storeCredential, shop: undefined, none: undefined };
  return { app, shopper, bearer };
}

/** MQTT: QoS 0 as devices stream; awaited in small groups so the broker's queue limits are not the test. */
async function fuzzTopics(
  targets: TopicTarget[],
  cases: number,
  seed: number,
  tally: FuzzTally,
): Promise<void> {
  const sample = fc.sample(
    fc
      .tuple(fc.nat({ max: targets.length - 1 }), fc.constant(null))
      .chain(([i]) => hostilePayloads((targets[i] ?? targets[0])?.valid).map((p) => ({ i, p }))),
    { numRuns: cases, seed },
  );
  for (let at = 0; at < sample.length; at += 50) {
    await Promise.all(
      sample.slice(at, at + 50).map(async ({ i, p }) => {
        const target = targets[i];
        if (target === undefined) return;
        tally.count(`mqtt ${target.name}`);
        await target.client.publishAsync(target.topic, p.bytes, { qos: 0 }).catch(() => undefined);
      }),
    );
  }
}

/** HTTP: every route, through the whole fastify pipeline (schemas, auth, rate limits, handlers). */
async function fuzzRoutes(
  stack: StoreStack,
  routes: Route[],
  credentials: HttpCredentials,
  storeId: string,
  cases: number,
  seed: number,
  tally: FuzzTally,
): Promise<void> {
  const { app, shopper, bearer } = credentials;
  const sample = fc.sample(
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
    { numRuns: cases, seed },
  );
  for (const c of sample) {
    const route = routes[c.i];
    if (route === undefined) continue;
    const entry = tally.count(`http ${route.method} ${route.url}`);
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
      bearer.shopper = (await app.signUpOrIn(shopper)).token;
    if (response.statusCode >= 500) {
      entry.serverErrors += 1;
      tally.note(`${route.method} ${url} → ${response.statusCode}: ${response.body.slice(0, 200)}`);
    } else if (response.statusCode >= 400) entry.refused += 1;
  }
}

/** The edge must still be up and answering after the fuzzing: otherwise that is a crash. */
async function checkEdgeAnswers(stack: StoreStack, tally: FuzzTally): Promise<void> {
  const health = await fetch(`${stack.edge.httpUrl ?? ''}/health`).then(
    (r) => r.status,
    () => 0,
  );
  if (health !== 200) {
    tally.crashes += 1;
    tally.problems.push(`edge /health answered ${health} after the fuzzing`);
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
