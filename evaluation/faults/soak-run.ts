// A soak: the store as separate processes (the run's own Mosquitto, a PostgreSQL schema or PGlite, cloud,
// edge) plays busy-hour traffic without pause for N minutes; every completed pass is scored against its
// ground truth (lost, double charges), and the edge is watched from outside for memory growth after a
// warm-up, database growth and event-loop lag.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { GroundTruth } from '../../simulators/scenario/ground-truth.ts';
import { startFaultBroker } from './fault-broker.ts';
import { type CaseDatabase, caseDatabase, DEFAULT_POSTGRES_URL, postgresAnswers } from './fault-database.ts';
import {
  edgeSelfReport,
  growthPct,
  median,
  type ProcessSample,
  rssOf,
  sqliteBytes,
} from './process-sampler.ts';
import { scoreFaultCase } from './score-faults.ts';
import { type SoakStaff, startSoakStaff } from './soak-staff.ts';
import { staffRoutedUnits } from './staff-routed.ts';
import { type SimulatorRun, StoreProcesses } from './store-processes.ts';

export interface SoakOptions {
  store: StoreConfig;
  storeConfigPath: string;
  /** The busy-hour scenario file (scenarios/suite/13-busy-hour.json). */
  busyHourPath: string;
  minutes: number;
  databaseUrl?: string;
  dir?: string;
  progress: (line: string) => void;
}

export interface SoakResult {
  /** Minutes of traffic actually played. */
  minutes: number;
  visits: number;
  lost: number;
  doubleCharges: number;
  /** Edge RSS after the warm-up: median of the last tenth of the samples against the first tenth (%). */
  rssGrowthPct: number;
  /** The same for the edge's V8 heap in use (/metrics): a leak in JavaScript shows here first. */
  heapGrowthPct: number;
  /** Edge RSS, median of the first and of the last tenth after the warm-up (MB). */
  rssMb: { afterWarmup: number; atEnd: number };
  edgeDbGrowthMbPerHour: number;
  eventLoopLagP99Ms: number;
  /** Passes of the traffic completed and scored. */
  passes: number;
  /** Why the traffic ended before the minutes asked (the simulator's last lines). */
  stoppedEarly?: string;
  /** Units sent to staff (several shoppers at a lane and no cameras in a soak): asked about, not lost. */
  toStaff: number;
  /** Exceptions the soak's staff cleared once their receipt had gone without them (soak-staff.ts). */
  staffCleared: number;
  warmupS: number;
  dir: string;
}

const SAMPLE_EVERY_MS = 5000;
/** Staff never decide in a soak: doubtful lines wait this long, then the receipt goes without them. */
const SOAK_EXCEPTION_HOLD_MS = 5000;
/** How often the soak's staff clear the exceptions whose receipt went without them (ms). */
const STAFF_EVERY_MS = 30_000;

interface Shopper {
  id: string;
  script: { at: number; do: string }[];
}

/**
 * The busy hour's first shoppers, as many as arrive within `windowS` (a pass of a few minutes at most), without
 * the cameras (the soak's edge runs without vision: that load is measured by bench:vision).
 */
function writeSoakScenario(options: SoakOptions, dir: string, windowS: number): string {
  const busy = JSON.parse(readFileSync(options.busyHourPath, 'utf8')) as {
    seed: number;
    noise?: string;
    shoppers: Shopper[];
  };
  const shoppers = busy.shoppers.filter((s) => (s.script[0]?.at ?? 0) < windowS);
  const path = join(dir, 'soak.scenario.json');
  const scenario = {
    name: 'soak-busy-hour',
    description: `npm run soak: the first ${shoppers.length} shoppers of the busy hour, again and again`,
    store: options.storeConfigPath,
    seed: busy.seed,
    noise: busy.noise ?? 'standard',
    shoppers,
  };
  writeFileSync(path, `${JSON.stringify(scenario, null, 2)}\n`);
  return path;
}

/** How long the traffic plays, how long one pass of it lasts, and the warm-up before growth is read. */
function soakTiming(minutes: number): { durationMs: number; windowS: number; warmupMs: number } {
  const durationMs = minutes * 60_000;
  // a pass takes about a third of the run (at most the busy hour's 32 shoppers) so several complete
  const windowS = Math.max(15, Math.min(170, (minutes * 60) / 3 - 30));
  // warm-up: the first quarter, at most 10 min (about two passes of the traffic: V8's old space, the SQLite
  // page cache and malloc's arenas have reached their working size by then)
  const warmupMs = Math.min(10 * 60_000, Math.max(20_000, durationMs * 0.25));
  return { durationMs, windowS, warmupMs };
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  if (!(options.minutes > 0)) throw new RangeError(`minutes must be > 0, got ${options.minutes}`);
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dir = resolve(options.dir ?? join('var', 'soak', runId));
  mkdirSync(dir, { recursive: true });
  const { progress } = options;
  const { durationMs, windowS, warmupMs } = soakTiming(options.minutes);
  const postgresUrl = options.databaseUrl ?? DEFAULT_POSTGRES_URL;
  const havePostgres = await postgresAnswers(postgresUrl);
  const broker = await startFaultBroker(options.store, join(dir, 'broker'));
  const db = caseDatabase(havePostgres ? postgresUrl : undefined, runId, 'soak', dir);
  progress(
    `soak — ${options.minutes} min of busy-hour traffic; broker: ${broker.kind}; database: ${db.kind}`,
  );
  progress(`logs: ${dir}`);
  const processes = await StoreProcesses.create({
    dir,
    storeConfigPath: options.storeConfigPath,
    broker,
    cloudDatabaseEnv: db.env,
    edgeEnv: { EXCEPTION_HOLD_MS: String(SOAK_EXCEPTION_HOLD_MS), LOG_LEVEL: 'warn' },
  });
  const truths: GroundTruth[] = [];
  const samples: ProcessSample[] = [];
  let staff: SoakStaff | undefined;
  try {
    await processes.startCloud();
    await processes.startEdge();
    const scenarioPath = writeSoakScenario(options, dir, windowS);
    const run = processes.startSimulator(scenarioPath, 'soak', true);
    staff = startSoakStaff({
      edgeUrl: processes.edgeUrl,
      everyMs: STAFF_EVERY_MS,
      olderThanMs: SOAK_EXCEPTION_HOLD_MS + STAFF_EVERY_MS,
    });
    const started = Date.now();
    collectPasses(run, dir, truths, started, progress);
    const stoppedEarly = await watchTraffic(run.service, processes, {
      started,
      durationMs,
      samples,
      truths,
      progress,
    });
    await run.service.stop();
    await staff.stop();
    const playedMin = Math.round((Date.now() - started) / 6000) / 10;
    progress(`traffic stopped after ${playedMin} min; waiting for the last receipts`);
    const { visits, lost, doubleCharges, toStaff } = await scoreAfterLastReceipts(
      truths,
      processes,
      db,
      progress,
    );
    // every sample, for a second look at the growth (another warm-up, another window)
    writeFileSync(join(dir, 'samples.json'), `${JSON.stringify({ warmupMs, samples })}\n`);
    return {
      minutes: playedMin,
      ...(stoppedEarly === undefined ? {} : { stoppedEarly }),
      visits,
      lost,
      doubleCharges,
      ...growthFigures(samples, warmupMs),
      passes: truths.length,
      toStaff,
      staffCleared: staff.dropped,
      warmupS: Math.round(warmupMs / 1000),
      dir,
    };
  } finally {
    await staff?.stop();
    await processes.stop();
    await broker.stop();
    await db.drop().catch(() => undefined);
  }
}

/** Keeps a copy of each pass's ground truth as the simulator writes it (soak-truth-N.json), in `truths`. */
function collectPasses(
  run: SimulatorRun,
  dir: string,
  truths: GroundTruth[],
  started: number,
  progress: (line: string) => void,
): void {
  run.service.onEachLine((line) => {
    if (!line.startsWith('ground truth written')) return;
    const copy = join(dir, `soak-truth-${truths.length + 1}.json`);
    copyFileSync(run.truthPath, copy);
    truths.push(JSON.parse(readFileSync(copy, 'utf8')) as GroundTruth);
    progress(`  pass ${truths.length} done at ${Math.round((Date.now() - started) / 1000)} s`);
  });
}

/** Waits for the last completed pass's receipts, then scores every pass (the cloud stopped first on PGlite). */
async function scoreAfterLastReceipts(
  truths: GroundTruth[],
  processes: StoreProcesses,
  db: CaseDatabase,
  progress: (line: string) => void,
): Promise<{ visits: number; lost: number; doubleCharges: number; toStaff: number }> {
  // the last completed pass's receipts: outbox, cloud and the doubtful lines' hold
  await new Promise((r) => setTimeout(r, SOAK_EXCEPTION_HOLD_MS + 10_000));
  const toStaffByAccount = staffRoutedUnits(processes.edgeDbPath);
  if (db.kind === 'pglite') await processes.cloud.stop();
  return scorePasses(truths, db, toStaffByAccount, progress);
}

interface TrafficWatch {
  /** wall time the traffic started, ms */
  started: number;
  durationMs: number;
  /** the edge as seen from outside, appended every SAMPLE_EVERY_MS */
  samples: ProcessSample[];
  /** passes completed so far (appended as the simulator writes them) */
  truths: GroundTruth[];
  progress: (line: string) => void;
}

/** Samples the edge until the run's minutes are over; why the traffic ended early, if it did. */
async function watchTraffic(
  service: SimulatorRun['service'],
  processes: StoreProcesses,
  watch: TrafficWatch,
): Promise<string | undefined> {
  const { started, durationMs, samples, truths, progress } = watch;
  while (Date.now() - started < durationMs) {
    await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
    if (!service.running) {
      // the traffic died (e.g. the cloud too slow to sign a pass's shoppers up): score what was played
      const stoppedEarly = service.lastLines().split('\n').slice(-3).join(' / ');
      progress(`  simulator exited early at ${Math.round((Date.now() - started) / 1000)} s: ${stoppedEarly}`);
      return stoppedEarly;
    }
    const pid = processes.edge.pid;
    const rss = pid === undefined ? undefined : rssOf(pid);
    if (rss === undefined) throw new Error(`edge is not running:\n${processes.edge.lastLines()}`);
    const report = await edgeSelfReport(`${processes.edgeUrl}/metrics`);
    const sample: ProcessSample = {
      atMs: Date.now() - started,
      rssBytes: rss,
      dbBytes: sqliteBytes(processes.edgeDbPath),
      ...report,
    };
    samples.push(sample);
    if (samples.length % 6 === 0)
      progress(
        `  ${Math.round(sample.atMs / 1000)} s: edge rss ${(sample.rssBytes / 1e6).toFixed(1)} MB, heap ${((sample.heapUsedBytes ?? 0) / 1e6).toFixed(1)} MB, db ${(sample.dbBytes / 1e6).toFixed(2)} MB, lag p99 ${sample.lagP99Ms?.toFixed(1) ?? '?'} ms, ${truths.length} pass(es)`,
      );
  }
  return undefined;
}

/** Every completed pass against the cloud's receipts: visits, lost lines, double charges, units sent to staff. */
async function scorePasses(
  truths: GroundTruth[],
  db: CaseDatabase,
  toStaffByAccount: Map<string, number>,
  progress: (line: string) => void,
): Promise<{ visits: number; lost: number; doubleCharges: number; toStaff: number }> {
  let visits = 0;
  let lost = 0;
  let doubleCharges = 0;
  let toStaff = 0;
  for (const truth of truths) {
    const accounts = truth.shoppers.flatMap((s) => (s.accountId === null ? [] : [s.accountId]));
    const score = scoreFaultCase(truth, await db.billed(accounts), toStaffByAccount);
    visits += score.visits;
    lost += score.lost;
    doubleCharges += score.doubleCharges;
    for (const a of accounts) toStaff += toStaffByAccount.get(a) ?? 0;
    for (const p of score.problems.slice(0, 5)) progress(`  problem (${truth.nonce}): ${p}`);
  }
  return { visits, lost, doubleCharges, toStaff };
}

/** Memory and database growth after the warm-up, and the worst event-loop lag. */
function growthFigures(samples: ProcessSample[], warmupMs: number) {
  const after = samples.filter((s) => s.atMs >= warmupMs);
  const rss = after.map((s) => s.rssBytes);
  const tenth = Math.max(3, Math.floor(rss.length / 10));
  const heaps = after.flatMap((s) => (s.heapUsedBytes === undefined ? [] : [s.heapUsedBytes]));
  const first = after[0];
  const last = after.at(-1);
  const hours = first === undefined || last === undefined ? 0 : (last.atMs - first.atMs) / 3_600_000;
  const lags = samples.flatMap((s) => (s.lagP99Ms === undefined ? [] : [s.lagP99Ms]));
  return {
    rssGrowthPct: round(growthPct(rss), 2),
    heapGrowthPct: round(growthPct(heaps), 2),
    rssMb: {
      afterWarmup: round(median(rss.slice(0, tenth)) / 1e6, 1),
      atEnd: round(median(rss.slice(-tenth)) / 1e6, 1),
    },
    edgeDbGrowthMbPerHour:
      hours > 0 && first !== undefined && last !== undefined
        ? round((last.dbBytes - first.dbBytes) / 1e6 / hours, 2)
        : 0,
    eventLoopLagP99Ms: round(lags.length === 0 ? Number.NaN : Math.max(...lags), 1),
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
