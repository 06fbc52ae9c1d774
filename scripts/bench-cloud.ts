// npm run bench:cloud [-- --json] [--seconds N] [--concurrency N] [--replicas N] [--only postgres|embedded]:
// visits ingested and billed per second over real HTTP on loopback, on the embedded database and on
// PostgreSQL (or only one of them), with 10 % of visits
// delivered 2–3 times concurrently, and CPU ms per receipt; with --replicas N, also N cloud processes behind
// haproxy on one PostgreSQL with one killed half-way; prints a table (and, with --json, one JSON line last).
// The load runs in a forked process so it does not share the cloud's event loop.
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import pg from 'pg';
import { reconcile } from '../cloud/billing/reconciliation.ts';
import type { Database } from '../cloud/db/database.ts';
import { openDatabase } from '../cloud/db/open-database.ts';
import { jobsSchemaOf } from '../cloud/jobs/open-job-queue.ts';
import { createCloud } from '../cloud/server.ts';
import { startCloudReplicas } from '../evaluation/harness/cloud-replicas.ts';
import { percentile } from '../evaluation/store-eval/percentile.ts';
import type { VisitUpload } from '../shared/schemas/visit.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import { commandLine } from './cli/command-line.ts';

const DUPLICATE_SHARE = 0.1;
const SHOPPERS = 200;

const USAGE = `usage: npm run bench:cloud -- [--json] [--seconds N] [--concurrency N] [--replicas N]
                                [--only postgres|embedded]
  --seconds N       measured seconds per backend (default 6)
  --concurrency N   edges posting visits at once (default 48)
  --replicas N      also N cloud processes behind haproxy on one PostgreSQL, one killed half-way
                    (default 0: none)
  --only BACKEND    only postgres, or only embedded (PGlite); the other's JSON fields are then absent
  --json            last line: one JSON object
PostgreSQL is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).`;

const cli = commandLine({
  command: 'bench:cloud',
  usage: USAGE,
  options: {
    json: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '48' },
    replicas: { type: 'string', default: '0' },
    only: { type: 'string' },
    // internal: the forked load generator (loadInChild), not for people
    'load-child': { type: 'boolean', default: false },
  },
});

interface LoadPlan {
  url: string;
  storeId: string;
  credential: string;
  accountIds: string[];
  skus: string[];
  seconds: number;
  concurrency: number;
  /** Visit n is admitted on token bench-<firstToken + n>; at most `tokens` visits. */
  firstToken: number;
  tokens: number;
  /** Times a request is sent again after a lost connection or a 502/503/504 (0: never). */
  retries: number;
}

interface LoadResult {
  visits: number;
  billed: number;
  requests: number;
  /** Visits that got no receipt even after the retries. */
  failures: number;
  /** Requests sent again after a lost connection or a 502/503/504. */
  retries: number;
  firstFailure: string | undefined;
  elapsedMs: number;
  latenciesMs: number[];
  /** CPU the load process itself used, ms. */
  cpuMs: number;
}

interface BackendResult {
  name: string;
  receiptsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  visits: number;
  requests: number;
  failures: number;
  doubleCharges: number;
  reconciled: boolean;
  /** CPU ms per billed receipt: cloud process (with PGlite inside it) + PostgreSQL backends. */
  cloudCpuMsPerReceipt: number;
  /** The PostgreSQL backends' share of it (0 on PGlite, which runs inside the cloud process). */
  serverCpuMsPerReceipt: number;
  /** The machine's 1-minute load average when the run ended: what else was competing for the cores. */
  loadAverage: number;
  /** CPU ms per billed receipt of the load generator (a separate process on the same cores; not in the above). */
  loadCpuMsPerReceipt: number;
}

// ---------------------------------------------------------------- load generator (forked child process)

/** Visit n is admitted on its own token, issued before the run to its account (see seedEntryTokens). */
const entryTokenIdOf = (plan: LoadPlan, n: number) => `bench-${plan.firstToken + n}`;

function visitFor(plan: LoadPlan, n: number): VisitUpload {
  const accountId = plan.accountIds[(plan.firstToken + n) % plan.accountIds.length] as string;
  const lines = Array.from({ length: 1 + (n % 4) }, (_, i) => ({
    sku: plan.skus[(n * 7 + i * 13) % plan.skus.length] as string,
    quantity: 1 + ((n + i) % 3),
  }));
  const t0 = 1_700_000_000_000 + n * 1000;
  return {
    visitId: `bench-${randomUUID()}`,
    accountId,
    entryTokenIds: [entryTokenIdOf(plan, n)],
    enteredAt: t0,
    exitedAt: t0 + 300_000,
    party: 1,
    lines,
    events: lines.map((line, i) => ({
      eventId: `e-${i}`,
      kind: 'pick' as const,
      sku: line.sku,
      count: line.quantity,
      lane: `lane-${i}`,
      ts: t0 + 1000 * (i + 1),
    })),
  };
}

type Attempt = { status: string } | { failure: string; retryable: boolean };

/** One POST of a visit: its receipt status, or why it failed and whether an edge would send it again. */
function postOnce(agent: Agent, target: URL, plan: LoadPlan, visit: VisitUpload, latenciesMs: number[]) {
  return new Promise<Attempt>((resolve) => {
    const body = JSON.stringify(visit);
    const started = performance.now();
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${plan.credential}`,
          'idempotency-key': `visit:${visit.visitId}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          latenciesMs.push(performance.now() - started);
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 200 || res.statusCode === 201) {
            resolve({ status: (JSON.parse(text) as { status: string }).status });
          } else {
            const retryable = res.statusCode === 502 || res.statusCode === 503 || res.statusCode === 504;
            resolve({ failure: `HTTP ${res.statusCode}: ${text.slice(0, 200)}`, retryable });
          }
        });
      },
    );
    req.on('error', (err) => resolve({ failure: err.message, retryable: true }));
    req.end(body);
  });
}

async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const target = new URL(`/v1/stores/${plan.storeId}/visits`, plan.url);
  const latenciesMs: number[] = [];
  let failures = 0;
  let retries = 0;
  let firstFailure: string | undefined;
  const attempt = (visit: VisitUpload) => postOnce(agent, target, plan, visit, latenciesMs);
  /** As the edge's outbox does: a lost connection or a 502/503/504 is sent again (same idempotency key). */
  const post = async (visit: VisitUpload): Promise<string | undefined> => {
    for (let tries = 0; ; tries += 1) {
      const result = await attempt(visit);
      if ('status' in result) return result.status;
      if (!result.retryable || tries >= plan.retries) {
        failures += 1;
        firstFailure ??= result.failure;
        return undefined;
      }
      retries += 1;
      await new Promise((r) => setTimeout(r, 50 * 2 ** tries));
    }
  };
  const deadline = performance.now() + plan.seconds * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let next = 0;
  let visits = 0;
  let billed = 0;
  let requests = 0;
  const worker = async () => {
    while (performance.now() < deadline && next < plan.tokens) {
      const n = next++;
      const visit = visitFor(plan, n);
      // Every tenth visit arrives 2 or 3 times at once, as a retrying edge or a duplicated network path would.
      const copies = n % Math.round(1 / DUPLICATE_SHARE) === 0 ? 2 + (n % 2) : 1;
      const statuses = await Promise.all(Array.from({ length: copies }, () => post(visit)));
      requests += copies;
      visits += 1;
      if (statuses.some((status) => status === 'paid')) billed += 1;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return {
    visits,
    billed,
    requests,
    failures,
    retries,
    firstFailure,
    elapsedMs,
    latenciesMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

// ---------------------------------------------------------------- the cloud side

async function seedShoppers(db: Database, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.query(
    `INSERT INTO accounts (account_id, email, name, password_hash, created_at)
     SELECT id, 'bench-' || id || '@example.com', 'Bench', 'scrypt$x', 0 FROM unnest($1::text[]) AS id`,
    [ids],
  );
  await db.query(
    `INSERT INTO payment_methods (payment_method_id, account_id, provider_token, brand, last4, created_at)
     SELECT 'pm-' || id, id, 'tok_visa', 'visa', '4242', 0 FROM unnest($1::text[]) AS id`,
    [ids],
  );
  return ids;
}

/**
 * Issues `count` entry tokens for the load (visit n's to accountIds[n % length]), as POST /v1/me/entry-tokens
 * would, so every upload goes through the token claim. The load stops early if it runs out.
 */
async function seedEntryTokens(db: Database, storeId: string, accountIds: string[], count: number) {
  await db.query(
    `INSERT INTO entry_tokens (jti, account_id, store_id, party, issued_at, expires_at)
     SELECT 'bench-' || n, ($1::text[])[1 + n % cardinality($1::text[])], $2, 1, $3::bigint, $3::bigint + 60000
     FROM generate_series(0, $4::int - 1) AS n`,
    [accountIds, storeId, Date.now(), count],
  );
}

/** CPU ms the processes `pids` have used so far (Linux /proc; 0 for one unreadable or gone). */
function cpuMsOfPids(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    } catch {
      // Not on this machine (remote PostgreSQL) or already gone: counted as 0.
    }
  }
  return ticks * 10;
}

/** CPU ms the cloud's PostgreSQL backends have used so far (Linux /proc; 0 where unreadable). */
async function postgresCpuMs(db: Database, schema: string | undefined): Promise<number> {
  if (schema === undefined) return 0;
  const rows = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [`walkout-cloud:${schema}`],
  );
  return cpuMsOfPids(rows.map((row) => row.pid));
}

/** Charges beyond one per visit, at the provider and in the ledger (0 when billing is exactly-once). */
async function countDoubleCharges(db: Database): Promise<number> {
  const [charges] = await db.query<{
    provider: unknown;
    visits: unknown;
    ledger: unknown;
    receipts: unknown;
  }>(
    `SELECT (SELECT count(*) FROM provider_charges WHERE idempotency_key LIKE 'charge:visit:%') AS provider,
            (SELECT count(DISTINCT substr(idempotency_key, 14)) FROM provider_charges
             WHERE idempotency_key LIKE 'charge:visit:%') AS visits,
            (SELECT count(*) FROM ledger_entries WHERE kind = 'charge') AS ledger,
            (SELECT count(DISTINCT receipt_id) FROM ledger_entries WHERE kind = 'charge') AS receipts`,
  );
  return (
    Number(charges?.provider ?? 0) -
    Number(charges?.visits ?? 0) +
    (Number(charges?.ledger ?? 0) - Number(charges?.receipts ?? 0))
  );
}

function loadInChild(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1] as string, ['--load-child'], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (message) => {
      resolve(message as LoadResult);
      child.kill();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) reject(new Error(`load process exited with ${code}`));
    });
    child.send(plan);
  });
}

async function benchBackend(
  name: string,
  databaseUrl: string | undefined,
  seconds: number,
  concurrency: number,
): Promise<BackendResult> {
  const config = loadStoreConfig('stores/sample-store.json');
  const credential = `bench-${randomBytes(16).toString('hex')}`;
  const schema = databaseUrl === undefined ? undefined : `bench_${randomBytes(6).toString('hex')}`;
  const cloud = await createCloud({
    databaseUrl,
    ...(schema === undefined ? {} : { postgresSchema: schema }),
    stores: [{ config, credential }],
    rateLimit: { scale: 0 },
  });
  try {
    const accountIds = await seedShoppers(cloud.db, SHOPPERS);
    const url = await cloud.start(0, '127.0.0.1');
    // Enough tokens for 1,500 receipts a second, several times what either backend reaches here.
    const perSecond = 1500;
    await seedEntryTokens(cloud.db, config.storeId, accountIds, (seconds + 1) * perSecond);
    const plan = { url, storeId: config.storeId, credential, accountIds, concurrency };
    const skus = config.catalog.map((p) => p.sku);
    // A short warm-up (JIT, prepared statements, pool), then the measured run.
    await loadInChild({ ...plan, skus, seconds: 1, firstToken: 0, tokens: perSecond, retries: 0 });
    const cpuBefore = process.cpuUsage();
    const pgBefore = await postgresCpuMs(cloud.db, schema);
    const load = await loadInChild({
      ...plan,
      skus,
      seconds,
      firstToken: perSecond,
      tokens: seconds * perSecond,
      retries: 0,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const pgMs = (await postgresCpuMs(cloud.db, schema)) - pgBefore;
    const cloudCpuMs = (cpu.user + cpu.system) / 1000 + pgMs;
    const doubleCharges = await countDoubleCharges(cloud.db);
    const reconciliation = await reconcile(cloud.db);
    const sorted = [...load.latenciesMs].sort((a, b) => a - b);
    if (load.firstFailure !== undefined) console.error(`[${name}] first failure: ${load.firstFailure}`);
    return {
      name,
      receiptsPerSec: Math.round(load.billed / (load.elapsedMs / 1000)),
      p50Ms: Math.round(percentile(sorted, 0.5) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 0.99) * 10) / 10,
      visits: load.visits,
      requests: load.requests,
      failures: load.failures,
      doubleCharges,
      reconciled: reconciliation.ok,
      cloudCpuMsPerReceipt: Math.round((cloudCpuMs / Math.max(1, load.billed)) * 100) / 100,
      serverCpuMsPerReceipt: Math.round((pgMs / Math.max(1, load.billed)) * 100) / 100,
      loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      loadCpuMsPerReceipt: Math.round((load.cpuMs / Math.max(1, load.billed)) * 100) / 100,
    };
  } finally {
    await cloud.stop();
    if (databaseUrl !== undefined && schema !== undefined) {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin
        .query(`DROP SCHEMA IF EXISTS ${schema}, ${jobsSchemaOf(schema)} CASCADE`)
        .finally(() => admin.end());
    }
  }
}

interface ReplicaResult {
  replicas: number;
  receiptsPerSec: number;
  replicaKilledMidRun: boolean;
  failedVisits: number;
  doubleCharges: number;
  retries: number;
  reconciled: boolean;
  cpuMsPerReceipt: number;
}

/**
 * `replicas` cloud processes behind haproxy on one PostgreSQL schema; replica 0 is SIGKILLed half-way and the
 * load's edges retry through the balancer. Seeded in-process first (migrations, store, shoppers, tokens).
 */
async function benchReplicas(
  databaseUrl: string,
  seconds: number,
  concurrency: number,
  replicas: number,
): Promise<ReplicaResult> {
  const config = loadStoreConfig('stores/sample-store.json');
  const credential = `bench-${randomBytes(16).toString('hex')}`;
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const perSecond = 1500;
  const seed = await createCloud({ databaseUrl, postgresSchema: schema, stores: [{ config, credential }] });
  const accountIds = await seedShoppers(seed.db, SHOPPERS);
  await seedEntryTokens(seed.db, config.storeId, accountIds, (seconds + 1) * perSecond);
  await seed.stop();
  const db = await openDatabase(databaseUrl, schema, 2);
  const group = await startCloudReplicas({
    databaseUrl,
    schema,
    storeConfigPath: 'stores/sample-store.json',
    storeCredential: credential,
    replicas,
  });
  try {
    const plan = { url: group.url, storeId: config.storeId, credential, accountIds, concurrency, retries: 6 };
    const skus = config.catalog.map((p) => p.sku);
    await loadInChild({ ...plan, skus, seconds: 1, firstToken: 0, tokens: perSecond });
    const cpuBefore = cpuMsOfPids(group.pids) + (await postgresCpuMs(db, schema));
    let loadDone = false;
    const load = loadInChild({ ...plan, skus, seconds, firstToken: perSecond, tokens: seconds * perSecond });
    void load.finally(() => {
      loadDone = true;
    });
    await new Promise((r) => setTimeout(r, (seconds * 1000) / 2));
    const killedMidRun = !loadDone;
    const cpuOfKilled = cpuMsOfPids(group.pids.slice(0, 1));
    await group.kill(0);
    const result = await load;
    const cpuMs =
      cpuOfKilled + cpuMsOfPids(group.pids.slice(1)) + (await postgresCpuMs(db, schema)) - cpuBefore;
    if (result.firstFailure !== undefined) console.error(`[replicas] first failure: ${result.firstFailure}`);
    return {
      replicas,
      receiptsPerSec: Math.round(result.billed / (result.elapsedMs / 1000)),
      replicaKilledMidRun: killedMidRun,
      failedVisits: result.visits - result.billed,
      doubleCharges: await countDoubleCharges(db),
      retries: result.retries,
      reconciled: (await reconcile(db)).ok,
      cpuMsPerReceipt: Math.round((cpuMs / Math.max(1, result.billed)) * 100) / 100,
    };
  } finally {
    await group.stop();
    await db.query(`DROP SCHEMA IF EXISTS ${schema}, ${jobsSchemaOf(schema)} CASCADE`).catch(() => {});
    await db.close();
  }
}

async function main(): Promise<void> {
  const json = cli.values.json;
  const seconds = cli.positiveNumber('seconds');
  const concurrency = cli.integer('concurrency', { min: 1 });
  const replicaCount = cli.integer('replicas', { min: 0 });
  const postgresUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  // --only postgres|embedded: one backend (the other's JSON fields are then absent).
  const onlyOne = cli.values.only;
  if (onlyOne !== undefined && onlyOne !== 'postgres' && onlyOne !== 'embedded')
    cli.fail(`--only must be postgres or embedded, got ${onlyOne}`);
  const results: BackendResult[] = [];
  if (onlyOne !== 'postgres')
    results.push(await benchBackend('embedded (PGlite)', undefined, seconds, concurrency));
  if (onlyOne !== 'embedded')
    results.push(await benchBackend('PostgreSQL', postgresUrl, seconds, concurrency));
  const replicated =
    replicaCount > 0 ? await benchReplicas(postgresUrl, seconds, concurrency, replicaCount) : undefined;
  const rows = results.map((r) =>
    [
      r.name.padEnd(18),
      String(r.receiptsPerSec).padStart(10),
      String(r.p50Ms).padStart(8),
      String(r.p99Ms).padStart(8),
      String(r.visits).padStart(7),
      String(r.requests).padStart(9),
      String(r.failures).padStart(9),
      String(r.doubleCharges).padStart(14),
      (r.reconciled ? 'yes' : 'NO').padStart(11),
      String(r.cloudCpuMsPerReceipt).padStart(13),
      String(r.serverCpuMsPerReceipt).padStart(10),
      String(Math.round(2000 / Math.max(0.01, r.cloudCpuMsPerReceipt))).padStart(14),
      String(r.loadAverage).padStart(5),
      String(r.loadCpuMsPerReceipt).padStart(12),
    ].join(' '),
  );
  console.log(
    `\nbench:cloud — ${seconds} s per backend, ${concurrency} concurrent edges, ${DUPLICATE_SHARE * 100} % of visits delivered 2–3× at once\n`,
  );
  console.log(
    `${'backend'.padEnd(18)} ${'receipts/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'visits'.padStart(7)} ${'requests'.padStart(9)} ${'failures'.padStart(9)} ${'double charges'.padStart(14)} ${'reconciled'.padStart(11)} ${'cpu ms/rcpt'.padStart(13)} ${'of it, db'.padStart(10)} ${'2-core ceiling'.padStart(14)} ${'load'.padStart(5)} ${'load gen ms'.padStart(12)}`,
  );
  for (const row of rows) console.log(row);
  console.log(
    '\ncpu ms/rcpt: CPU the cloud (and, for PostgreSQL, its server backends: "of it, db") spent per billed receipt,\n' +
      'whatever else shares the machine; 2-core ceiling = 2000 / that, the rate two idle cores could bill (load\n' +
      'generator excluded); load: the 1-minute load average at the end of the run (other jobs on the machine);\n' +
      'load gen ms: CPU the load generator (another process on the same cores) spent per billed receipt.',
  );
  if (replicated !== undefined) printReplicas(replicated);
  const embedded = results.find((r) => r.name.startsWith('embedded'));
  const postgres = results.find((r) => r.name === 'PostgreSQL');
  const doubleCharges =
    results.reduce((sum, r) => sum + r.doubleCharges, 0) + (replicated?.doubleCharges ?? 0);
  const backendJson = (r: BackendResult | undefined) => ({
    receiptsPerSec: r?.receiptsPerSec,
    p99Ms: r?.p99Ms,
    cpuMsPerReceipt: r?.cloudCpuMsPerReceipt,
    serverCpuMsPerReceipt: r?.serverCpuMsPerReceipt,
    loadAverage: r?.loadAverage,
    loadCpuMsPerReceipt: r?.loadCpuMsPerReceipt,
  });
  if (json) {
    const { replicas, receiptsPerSec, replicaKilledMidRun, failedVisits } = replicated ?? {};
    console.log(
      JSON.stringify({
        embedded: backendJson(embedded),
        postgres: backendJson(postgres),
        doubleCharges,
        ...(replicated === undefined ? {} : { replicas, receiptsPerSec, replicaKilledMidRun, failedVisits }),
      }),
    );
  }
  const replicasFailed = replicated !== undefined && (replicated.failedVisits > 0 || !replicated.reconciled);
  if (doubleCharges > 0 || replicasFailed || results.some((r) => !r.reconciled || r.failures > 0))
    process.exitCode = 1;
}

function printReplicas(r: ReplicaResult): void {
  console.log(
    `\n${r.replicas} cloud replicas behind haproxy on one PostgreSQL, replica 0 killed (SIGKILL) half-way` +
      `${r.replicaKilledMidRun ? '' : ' — NOT mid-run: the load ended first'}; edges retry through the balancer\n`,
  );
  console.log(
    `${'replicas'.padStart(8)} ${'receipts/s'.padStart(10)} ${'failed visits'.padStart(13)} ${'retries'.padStart(8)} ${'double charges'.padStart(14)} ${'reconciled'.padStart(11)} ${'cpu ms/rcpt'.padStart(12)}`,
  );
  console.log(
    [
      String(r.replicas).padStart(8),
      String(r.receiptsPerSec).padStart(10),
      String(r.failedVisits).padStart(13),
      String(r.retries).padStart(8),
      String(r.doubleCharges).padStart(14),
      (r.reconciled ? 'yes' : 'NO').padStart(11),
      String(r.cpuMsPerReceipt).padStart(12),
    ].join(' '),
  );
}

if (cli.values['load-child']) {
  process.once('message', (plan) => {
    runLoad(plan as LoadPlan).then(
      (result) => process.send?.(result),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
} else {
  await main();
}
