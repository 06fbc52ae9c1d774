// Runs fault cases on real processes: for each case a fresh broker (the run's own Mosquitto, or aedes), a
// fresh cloud database (a PostgreSQL schema, or PGlite), then cloud, edge and simulator as separate
// processes; the fault is injected while the visit plays; every receipt is then checked against the ground
// truth. Logs of every process stay in the case's directory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { GroundTruth } from '../../simulators/scenario/ground-truth.ts';
import { MOSQUITTO_BINARY } from '../harness/local-ports.ts';
import { type FaultBroker, startFaultBroker } from './fault-broker.ts';
import type { FaultCase } from './fault-case.ts';
import { FAULT_CASES } from './fault-cases.ts';
import { type CaseDatabase, caseDatabase, DEFAULT_POSTGRES_URL, postgresAnswers } from './fault-database.ts';
import { writeFaultScenario } from './fault-scenarios.ts';
import { type FaultCaseScore, scoreFaultCase } from './score-faults.ts';
import { StoreProcesses } from './store-processes.ts';

export interface FaultRunOptions {
  store: StoreConfig;
  storeConfigPath: string;
  /** Case names to run (default all). */
  only?: readonly string[];
  /** A broker to use instead of the run's own (it cannot be restarted: the outage case is skipped). */
  mqttUrl?: string;
  /** PostgreSQL URL (default the local `test` database when it answers, else PGlite). */
  databaseUrl?: string;
  /** Root of the run's logs and data (default var/faults/<run id>). */
  dir?: string;
  progress: (line: string) => void;
}

export interface FaultCaseResult extends Omit<FaultCaseScore, 'problems'> {
  name: string;
  fault: string;
  seconds: number;
  /** Why the case did not run, when it did not. */
  skipped?: string;
  /** An error that stopped the case (a process that did not come back, a timeout). */
  error?: string;
  problems: string[];
}

export interface FaultRunResult {
  broker: string;
  database: string;
  dir: string;
  cases: FaultCaseResult[];
  overall: { lost: number; doubleCharges: number; exact: boolean; failed: number };
}

/** How long receipts may take after the simulator is done (a cloud restart and the outbox's backoff). */
const RECEIPTS_TIMEOUT_MS = 60_000;
/** PGlite: how long the outbox gets before the cloud is stopped and read. */
const PGLITE_SETTLE_MS = 15_000;

export function selectCases(only: readonly string[] | undefined): FaultCase[] {
  if (only === undefined || only.length === 0) return [...FAULT_CASES];
  const unknown = only.filter((n) => !FAULT_CASES.some((c) => c.name === n));
  if (unknown.length > 0)
    throw new RangeError(
      `unknown case ${unknown.join(', ')}; cases are ${FAULT_CASES.map((c) => c.name).join(', ')}`,
    );
  return FAULT_CASES.filter((c) => only.includes(c.name));
}

export async function runFaults(options: FaultRunOptions): Promise<FaultRunResult> {
  const cases = selectCases(options.only);
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dir = resolve(options.dir ?? join('var', 'faults', runId));
  mkdirSync(dir, { recursive: true });
  const postgresUrl = options.databaseUrl ?? DEFAULT_POSTGRES_URL;
  const havePostgres = await postgresAnswers(postgresUrl);
  if (options.databaseUrl !== undefined && !havePostgres)
    throw new Error(`no PostgreSQL answers at ${options.databaseUrl}`);
  const database = havePostgres
    ? `PostgreSQL ${postgresUrl.replace(/\/\/[^@]*@/, '//…@')} (a schema per case)`
    : `embedded PGlite on disk (no PostgreSQL at ${postgresUrl})`;
  const broker =
    options.mqttUrl !== undefined
      ? `the broker at ${options.mqttUrl} (not restartable: broker cases skipped)`
      : MOSQUITTO_BINARY !== undefined
        ? `Mosquitto (${MOSQUITTO_BINARY}, the run's own per case on a free port, the store's broker policy)`
        : "embedded aedes with the store's broker policy (no mosquitto binary)";
  options.progress(`broker: ${broker}`);
  options.progress(`database: ${database}`);
  options.progress(`logs: ${dir}`);
  const results: FaultCaseResult[] = [];
  for (const [i, faultCase] of cases.entries()) {
    options.progress(`[${i + 1}/${cases.length}] ${faultCase.name}: ${faultCase.fault}`);
    const result = await runCase(faultCase, {
      ...options,
      dir: join(dir, faultCase.name),
      runId,
      postgresUrl: havePostgres ? postgresUrl : undefined,
      seed: 15 + i,
    });
    const verdict =
      result.skipped !== undefined
        ? `skipped: ${result.skipped}`
        : `${result.visits} visit(s), lost ${result.lost}, double charges ${result.doubleCharges}, exact ${result.exact ? 'yes' : 'NO'} (${result.seconds} s)`;
    options.progress(`  → ${verdict}`);
    for (const p of result.problems) options.progress(`    problem: ${p}`);
    if (result.error !== undefined) options.progress(`    error: ${result.error.split('\n')[0]}`);
    results.push(result);
  }
  const ran = results.filter((r) => r.skipped === undefined);
  return {
    broker,
    database,
    dir,
    cases: results,
    overall: {
      lost: ran.reduce((n, r) => n + r.lost, 0),
      doubleCharges: ran.reduce((n, r) => n + r.doubleCharges, 0),
      exact: ran.every((r) => r.exact),
      failed: ran.filter((r) => !r.exact || r.error !== undefined).length,
    },
  };
}

interface CaseSettings extends FaultRunOptions {
  dir: string;
  runId: string;
  postgresUrl: string | undefined;
  seed: number;
}

async function runCase(faultCase: FaultCase, settings: CaseSettings): Promise<FaultCaseResult> {
  const started = Date.now();
  const base = { name: faultCase.name, fault: faultCase.fault, visits: 0, lost: 0, doubleCharges: 0 };
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  if (faultCase.needs.includes('restartable-broker') && settings.mqttUrl !== undefined)
    return {
      ...base,
      exact: false,
      seconds: 0,
      skipped: "needs the run's own broker (drop --mqtt)",
      problems: [],
    };
  mkdirSync(settings.dir, { recursive: true });
  const say = (line: string) => settings.progress(`  ${seconds().toFixed(1).padStart(5)} s  ${line}`);
  let broker: FaultBroker | undefined;
  let db: CaseDatabase | undefined;
  let processes: StoreProcesses | undefined;
  let truth: GroundTruth | undefined;
  try {
    broker = await startFaultBroker(settings.store, join(settings.dir, 'broker'), settings.mqttUrl);
    db = caseDatabase(settings.postgresUrl, settings.runId, faultCase.name, settings.dir);
    const setup = faultCase.setup ?? {};
    const clockStepFile = setup.clockStep === true ? join(settings.dir, 'clock-step-ms') : undefined;
    processes = await StoreProcesses.create({
      dir: settings.dir,
      storeConfigPath: settings.storeConfigPath,
      broker,
      cloudDatabaseEnv: db.env,
      ...(setup.edgeEnv === undefined ? {} : { edgeEnv: setup.edgeEnv }),
      ...(setup.cloudLink === true ? { cloudLink: true } : {}),
      ...(clockStepFile === undefined ? {} : { clockStepFile }),
    });
    await processes.startCloud();
    await processes.startEdge();
    say(`cloud ${processes.cloudUrl}, edge ${processes.edgeUrl} and broker up; playing the visit`);
    const scenarioPath = writeFaultScenario(
      settings.dir,
      faultCase.name,
      faultCase.timeline,
      settings.storeConfigPath,
      settings.seed,
    );
    const run = processes.startSimulator(scenarioPath, faultCase.name);
    const stopEcho = run.service.onEachLine((line) => {
      if (/ (picks|puts back|scans at) |^shelf controllers:/.test(line)) say(`sim: ${line.trim()}`);
    });
    const stepClocks = clockStepper(faultCase.name, clockStepFile);
    const injected = faultCase.inject({ processes, broker, db, simulator: run.service, say, stepClocks });
    const [, code] = await Promise.all([injected, run.service.whenExited()]);
    stopEcho();
    if (code !== 0) throw new Error(`simulator exited with ${code}:\n${run.service.lastLines()}`);
    truth = JSON.parse(readFileSync(run.truthPath, 'utf8')) as GroundTruth;
    const score = await awaitReceipts(truth, db, processes, say, setup.receiptsTimeoutMs);
    return { ...base, ...score, seconds: seconds() };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    let score: FaultCaseScore | undefined;
    if (truth !== undefined && db !== undefined) {
      await processes?.cloud.stop();
      score = await billedScore(truth, db).catch(() => undefined);
    }
    return {
      ...base,
      ...(score ?? {}),
      exact: false,
      seconds: seconds(),
      error: message,
      problems: score?.problems ?? [],
    };
  } finally {
    await processes?.stop();
    await broker?.stop();
    await db?.drop().catch(() => undefined);
  }
}

/**
 * A case's `stepClocks`: adds `ms` to the step written in `clockStepFile`, which the cloud's and the edge's
 * clock-step preload read (clock-step.ts); throws for a case without `setup.clockStep`.
 */
function clockStepper(caseName: string, clockStepFile: string | undefined): (ms: number) => Promise<void> {
  let stepped = 0;
  return async (ms) => {
    if (clockStepFile === undefined) throw new Error(`${caseName} has no setup.clockStep`);
    stepped += ms;
    writeFileSync(clockStepFile, String(stepped));
    // every process reads the file every 100 ms
    await new Promise((r) => setTimeout(r, 500));
  };
}

/** Visits the edge's outbox has delivered (read-only, beside the running edge). */
function deliveredVisits(edgeDbPath: string): number {
  const db = new Database(edgeDbPath, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'visit' AND delivered_at IS NOT NULL")
      .get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

async function billedScore(truth: GroundTruth, db: CaseDatabase): Promise<FaultCaseScore> {
  const accounts = truth.shoppers.flatMap((s) => (s.accountId === null ? [] : [s.accountId]));
  return scoreFaultCase(truth, await db.billed(accounts));
}

/**
 * Waits until every visit has a settled receipt (PostgreSQL: polled; PGlite: a fixed wait, then the cloud is
 * stopped so its data directory can be read), then scores. A receipt still missing at the deadline
 * is lost.
 */
async function awaitReceipts(
  truth: GroundTruth,
  db: CaseDatabase,
  processes: StoreProcesses,
  say: (line: string) => void,
  timeoutMs = RECEIPTS_TIMEOUT_MS,
): Promise<FaultCaseScore> {
  const accounts = truth.shoppers.flatMap((s) => (s.accountId === null ? [] : [s.accountId]));
  const expected = truth.shoppers.reduce((n, s) => n + s.visits.filter((v) => v.exitedAt !== null).length, 0);
  const deadline = Date.now() + timeoutMs;
  if (db.kind === 'postgres') {
    for (;;) {
      const billed = await db.billed(accounts);
      const settled = billed.length >= expected && billed.every((b) => b.status !== 'pending_payment');
      if (settled || Date.now() > deadline) {
        say(`${billed.length} receipt(s) for ${expected} visit(s)`);
        // a second receipt for one visit would come from a redelivery: give it a moment to show
        await new Promise((r) => setTimeout(r, 1500));
        return billedScore(truth, db);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  // PGlite is one process's: wait until the edge has delivered every visit (at least PGLITE_SETTLE_MS, at most
  // the deadline), then stop the cloud and read its directory
  const settled = Date.now() + PGLITE_SETTLE_MS;
  while (Date.now() < deadline && (Date.now() < settled || deliveredVisits(processes.edgeDbPath) < expected))
    await new Promise((r) => setTimeout(r, 500));
  await processes.cloud.stop();
  return billedScore(truth, db);
}
