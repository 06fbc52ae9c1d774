// Runs one scenario through the whole pipeline (simulator → broker → edge → cloud) on a running store stack and
// collects, per visit, what the cloud billed, what went to staff and how long the receipt took, plus every
// shelf event the edge decided. Lockstep (the default of the eval) gives the same result on any machine;
// real time shows what a loaded machine does to the numbers (frames dropped).
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../../shared/clock.ts';
import type { SessionEvent } from '../../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { SteppedTime } from '../../shared/timers.ts';
import { CloudAppClient } from '../app/cloud-app-client.ts';
import { runScenarioLockstep } from '../harness/lockstep-run.ts';
import { deviceConnection, type StoreStack } from '../harness/store-stack.ts';
import type { GroundTruth } from '../scenario/ground-truth.ts';
import type { LoadedScenario } from '../scenario/scenario-loader.ts';
import { SHOPPER_PASSWORD, Simulator, shopperEmail } from '../scenario/simulator.ts';
import type { VisitOutcome } from './score-visits.ts';

/** One app request's longest wait in an evaluation: dozens of sign-ups hash passwords at once on a busy machine. */
const EVAL_REQUEST_TIMEOUT_MS = 60_000;

export type Pace =
  /** Virtual time shared with the stack (started with `lockstep: time`). */
  | { mode: 'lockstep'; time: SteppedTime }
  /** Wall time: `clock` is the devices' time, `speed` times faster than the wall. */
  | { mode: 'realtime'; speed: number; clock: Clock };

export interface ScenarioRun {
  name: string;
  /** Exceptions that needed staff: sent to staff and not settled by the cameras at the exit. */
  staffExceptions: number;
  outcomes: VisitOutcome[];
  truth: GroundTruth;
  /** Every shelf event as the edge finally decided it (a later decision replaces the first). */
  events: ShelfEvent[];
  /** Scenario shopper id by session id. */
  shopperOfSession: Record<string, string>;
  /** By exception id: the sessions it named; whether the cameras settled it at the exit. */
  exceptions: Array<{ exceptionId: string; eventId: string; candidates: string[]; settledByVision: boolean }>;
  /** Real time only: frames the cameras could not render in time plus frames the edge dropped. */
  framesDropped: number;
  /** Camera frames the edge's detector ran on, and those its motion gate skipped. */
  frames: { inferred: number; skipped: number };
}

export async function evaluateScenario(
  stack: StoreStack,
  loaded: LoadedScenario,
  options: { pace: Pace; receiptWaitMs: number; logger: Logger },
): Promise<ScenarioRun> {
  const { scenario, store } = loaded;
  const { pace } = options;
  // latency in the run's own time: virtual in lockstep (the edge's waits, not this machine's speed)
  const clock = pace.mode === 'lockstep' ? pace.time : systemClock;
  /** by session id */
  const exitedAt = new Map<string, number>();
  const deliveredAt = new Map<string, number>();
  /** by account id: its sessions in the order they entered (a shopper may come back) */
  const sessionsOfAccount = new Map<string, string[]>();
  /** by event id: the last decision */
  const events = new Map<string, ShelfEvent>();
  /** by exception id */
  const exceptions = new Map<
    string,
    { exceptionId: string; eventId: string; candidates: string[]; settledByVision: boolean }
  >();
  const offEvents = stack.edge.onEvent((event) => {
    if ('lane' in event) {
      events.set(event.eventId, event);
      return;
    }
    const e = event as SessionEvent;
    if (e.kind === 'entered')
      sessionsOfAccount.set(e.accountId, [...(sessionsOfAccount.get(e.accountId) ?? []), e.sessionId]);
    if (e.kind === 'exited') exitedAt.set(e.sessionId, clock.now());
    if (e.kind === 'receipt-delivered') deliveredAt.set(e.sessionId, clock.now());
  });
  const offHub = stack.edge.hub.connect((text) => {
    const message = JSON.parse(text) as {
      type: string;
      data: { exceptionId?: string; candidateSessions?: string[]; by?: string; event?: { eventId?: string } };
    };
    const id = message.data.exceptionId ?? '';
    if (message.type === 'exception')
      exceptions.set(id, {
        exceptionId: id,
        eventId: message.data.event?.eventId ?? '',
        candidates: message.data.candidateSessions ?? [],
        settledByVision: false,
      });
    const known = exceptions.get(id);
    if (message.type === 'exception-closed' && known !== undefined && message.data.by?.startsWith('vision:'))
      known.settledByVision = true;
  });
  try {
    const app = new CloudAppClient(stack.cloudUrl, undefined, EVAL_REQUEST_TIMEOUT_MS);
    let truth: GroundTruth;
    let framesDropped = 0;
    const visitorSessions = () => [...sessionsOfAccount.values()].flat();
    if (pace.mode === 'lockstep') {
      const run = await runScenarioLockstep({
        loaded,
        ...deviceConnection(stack),
        app,
        time: pace.time,
        edge: stack.edge,
        logger: options.logger,
        settleS: 2,
        afterS: options.receiptWaitMs / 1000,
        done: () => visitorSessions().every((id) => deliveredAt.has(id)),
      });
      truth = run.truth;
    } else {
      const simulator = new Simulator({
        scenario,
        store,
        ...deviceConnection(stack),
        app,
        speed: pace.speed,
        clock: pace.clock,
        logger: options.logger,
      });
      await simulator.start();
      try {
        truth = await simulator.play();
        await simulator.idle(2);
        truth = { ...truth, endedAt: simulator.now() };
        framesDropped = simulator.cameraStats().skipped;
      } finally {
        await simulator.stop();
      }
      const deadline = Date.now() + options.receiptWaitMs;
      while (visitorSessions().some((id) => !deliveredAt.has(id)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      framesDropped += stack.edge.visionFramesDropped();
    }
    const outcomes = await collectOutcomes(app, loaded, truth, sessionsOfAccount, exitedAt, deliveredAt);
    const settled = new Set(
      [...exceptions.values()].filter((x) => x.settledByVision).map((x) => x.exceptionId),
    );
    for (const outcome of outcomes) {
      const sessionId = outcome.sessionId;
      outcome.toStaff = [...exceptions.values()].filter(
        (x) => !settled.has(x.exceptionId) && sessionId !== undefined && x.candidates.includes(sessionId),
      ).length;
    }
    const shopperOfSession: Record<string, string> = {};
    for (const shopper of truth.shoppers)
      for (const id of sessionsOfAccount.get(shopper.accountId ?? '') ?? [])
        shopperOfSession[id] = shopper.id;
    return {
      name: scenario.name,
      staffExceptions: exceptions.size - settled.size,
      outcomes,
      truth,
      events: [...events.values()],
      shopperOfSession,
      exceptions: [...exceptions.values()],
      framesDropped,
      frames: stack.edge.visionFrameCounts(),
    };
  } finally {
    offEvents();
    offHub();
  }
}

/** One outcome per time a shopper went through the gate: the k-th visit is the k-th session the edge opened. */
async function collectOutcomes(
  app: CloudAppClient,
  loaded: LoadedScenario,
  truth: GroundTruth,
  sessionsOfAccount: ReadonlyMap<string, string[]>,
  exitedAt: ReadonlyMap<string, number>,
  deliveredAt: ReadonlyMap<string, number>,
): Promise<Array<VisitOutcome & { sessionId: string | undefined }>> {
  const outcomes: Array<VisitOutcome & { sessionId: string | undefined }> = [];
  const visitors = truth.shoppers.filter((s) => s.entryResult === 'open' && s.accountId !== null);
  for (const shopper of visitors) {
    const signedIn = await app.signUpOrIn({
      email: shopperEmail(loaded.scenario.name, shopper.id, truth.nonce),
      password: SHOPPER_PASSWORD,
      name: shopper.id,
    });
    const receipts = await app.receipts(signedIn);
    const ofShopper = sessionsOfAccount.get(shopper.accountId ?? '') ?? [];
    for (const [k, visit] of shopper.visits.entries()) {
      const sessionId = ofShopper[k];
      const receipt = receipts.find((r) => r.visitId === sessionId);
      const exited = sessionId === undefined ? undefined : exitedAt.get(sessionId);
      const delivered = sessionId === undefined ? undefined : deliveredAt.get(sessionId);
      outcomes.push({
        shopper: shopper.visits.length > 1 ? `${shopper.id}#${k + 1}` : shopper.id,
        sessionId,
        expected: visit.expectedLines,
        billed: receipt?.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        toStaff: 0,
        receiptLatencyMs: exited !== undefined && delivered !== undefined ? delivered - exited : undefined,
      });
    }
  }
  return outcomes;
}
