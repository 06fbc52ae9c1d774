// Runs one scenario through the whole pipeline (simulator → broker → edge → cloud) on a running store stack and
// collects, per visit, what the cloud billed, what went to staff and how long the receipt took, plus every
// shelf event the edge decided. Lockstep (the default of the eval) gives the same result on any machine;
// real time shows what a loaded machine does to the numbers (frames dropped).
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../../shared/clock.ts';
import type { SessionEvent } from '../../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { SteppedTime } from '../../shared/timers.ts';
import { CloudAppClient } from '../../simulators/app/cloud-app-client.ts';
import type { GroundTruth } from '../../simulators/scenario/ground-truth.ts';
import type { LoadedScenario } from '../../simulators/scenario/scenario-loader.ts';
import { SHOPPER_PASSWORD, Simulator, shopperEmail } from '../../simulators/scenario/simulator.ts';
import { runScenarioLockstep } from '../harness/lockstep-run.ts';
import { deviceConnection, type StoreStack } from '../harness/store-stack.ts';
import type { ReceiptWaitedFor, VisitOutcome } from './score-visits.ts';

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
  /**
   * By exception id: the sessions it named; whether the cameras settled it at the exit; why it went to staff
   * (the attributor's rule, e.g. `close-call`, or the exception's reason when no rule refused it, e.g.
   * `age-check`).
   */
  exceptions: Array<{
    exceptionId: string;
    eventId: string;
    candidates: string[];
    settledByVision: boolean;
    why: string;
  }>;
  /** Real time only: frames the cameras could not render in time plus frames the edge dropped. */
  framesDropped: number;
  /** Camera frames the edge's detector ran on, and those its motion gate skipped. */
  frames: { inferred: number; skipped: number };
}

type ExceptionSeen = ScenarioRun['exceptions'][number];

/** What the edge said during a run, gathered from its events and its floor hub. */
interface RunWatch {
  /** by session id */
  exitedAt: Map<string, number>;
  deliveredAt: Map<string, number>;
  /** by session id: what the edge held its receipt for last */
  waitedFor: Map<string, ReceiptWaitedFor>;
  /** by account id: its sessions in the order they entered (a shopper may come back) */
  sessionsOfAccount: Map<string, string[]>;
  /** by event id: the last decision */
  events: Map<string, ShelfEvent>;
  /** by exception id */
  exceptions: Map<string, ExceptionSeen>;
  stop(): void;
}

type RunOptions = { pace: Pace; receiptWaitMs: number; logger: Logger };

export async function evaluateScenario(
  stack: StoreStack,
  loaded: LoadedScenario,
  options: RunOptions,
): Promise<ScenarioRun> {
  const { pace } = options;
  // latency in the run's own time: virtual in lockstep (the edge's waits, not this machine's speed)
  const watch = watchEdge(stack, pace.mode === 'lockstep' ? pace.time : systemClock);
  try {
    const app = new CloudAppClient(stack.cloudUrl, undefined, EVAL_REQUEST_TIMEOUT_MS);
    const visitorSessions = () => [...watch.sessionsOfAccount.values()].flat();
    // every receipt delivered, and every refund of an item put back after its receipt (#13) with it
    const allDelivered = () =>
      visitorSessions().every((id) => watch.deliveredAt.has(id)) && stack.edge.returnsOwed() === 0;
    const { truth, framesDropped } =
      pace.mode === 'lockstep'
        ? {
            truth: await playLockstep(stack, loaded, pace.time, app, options, allDelivered),
            framesDropped: 0,
          }
        : await playRealtime(stack, loaded, pace, app, options, allDelivered);
    const { sessionsOfAccount, exceptions } = watch;
    const outcomes = await collectOutcomes(app, loaded, truth, watch);
    const settled = countToStaff(outcomes, exceptions);
    const shopperOfSession: Record<string, string> = {};
    for (const shopper of truth.shoppers)
      for (const id of sessionsOfAccount.get(shopper.accountId ?? '') ?? [])
        shopperOfSession[id] = shopper.id;
    return {
      name: loaded.scenario.name,
      staffExceptions: exceptions.size - settled.size,
      outcomes,
      truth,
      events: [...watch.events.values()],
      shopperOfSession,
      exceptions: [...exceptions.values()],
      framesDropped,
      frames: stack.edge.visionFrameCounts(),
    };
  } finally {
    watch.stop();
  }
}

/** Listens to the edge's events and floor hub for the run's sessions, decisions and exceptions. */
function watchEdge(stack: StoreStack, clock: Clock): RunWatch {
  const watch: Omit<RunWatch, 'stop'> = {
    exitedAt: new Map(),
    deliveredAt: new Map(),
    waitedFor: new Map(),
    sessionsOfAccount: new Map(),
    events: new Map(),
    exceptions: new Map(),
  };
  const { exitedAt, deliveredAt, waitedFor, sessionsOfAccount, events, exceptions } = watch;
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
    if (e.kind === 'receipt-queued' && e.waitedFor !== undefined) waitedFor.set(e.sessionId, e.waitedFor);
  });
  const offHub = stack.edge.hub.connect((text) => {
    const message = JSON.parse(text) as {
      type: string;
      data: {
        exceptionId?: string;
        candidateSessions?: string[];
        by?: string;
        reason?: string;
        event?: { eventId?: string; evidence?: { rule?: string } };
      };
    };
    const id = message.data.exceptionId ?? '';
    if (message.type === 'exception')
      exceptions.set(id, {
        exceptionId: id,
        eventId: message.data.event?.eventId ?? '',
        candidates: message.data.candidateSessions ?? [],
        settledByVision: false,
        why: whyToStaff(message.data),
      });
    const known = exceptions.get(id);
    // a candidate shown not to have done it (the exit's alibi) is no longer asked about
    if (message.type === 'exception-updated' && known !== undefined)
      known.candidates = message.data.candidateSessions ?? known.candidates;
    if (message.type === 'exception-closed' && known !== undefined && message.data.by?.startsWith('vision:'))
      known.settledByVision = true;
  });
  return {
    ...watch,
    stop: () => {
      offEvents();
      offHub();
    },
  };
}

/** Why an exception went to staff: the rule that refused its event, else the exception's reason. */
function whyToStaff(data: { reason?: string; event?: { evidence?: { rule?: string } } }): string {
  const rule = data.event?.evidence?.rule;
  if (data.reason === 'unattributed' && typeof rule === 'string') return rule;
  return data.reason ?? 'unknown';
}

/** Lockstep: the run in virtual time, until every visitor's receipt is delivered (or the wait is over). */
async function playLockstep(
  stack: StoreStack,
  loaded: LoadedScenario,
  time: SteppedTime,
  app: CloudAppClient,
  options: RunOptions,
  done: () => boolean,
): Promise<GroundTruth> {
  const run = await runScenarioLockstep({
    loaded,
    ...deviceConnection(stack),
    app,
    time,
    edge: stack.edge,
    logger: options.logger,
    settleS: 2,
    afterS: options.receiptWaitMs / 1000,
    done,
  });
  return run.truth;
}

/** Real time: the simulator plays against the wall clock; frames it or the edge could not keep up with are dropped. */
async function playRealtime(
  stack: StoreStack,
  loaded: LoadedScenario,
  pace: Extract<Pace, { mode: 'realtime' }>,
  app: CloudAppClient,
  options: RunOptions,
  allDelivered: () => boolean,
): Promise<{ truth: GroundTruth; framesDropped: number }> {
  const simulator = new Simulator({
    scenario: loaded.scenario,
    store: loaded.store,
    ...deviceConnection(stack),
    app,
    speed: pace.speed,
    clock: pace.clock,
    logger: options.logger,
  });
  let truth: GroundTruth;
  let framesDropped = 0;
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
  while (!allDelivered() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  framesDropped += stack.edge.visionFramesDropped();
  return { truth, framesDropped };
}

/** Sets each outcome's exceptions that went to staff (not settled by the cameras); returns the settled ones. */
function countToStaff(
  outcomes: Array<VisitOutcome & { sessionId: string | undefined }>,
  exceptions: Map<string, ExceptionSeen>,
): Set<string> {
  const settled = new Set(
    [...exceptions.values()].filter((x) => x.settledByVision).map((x) => x.exceptionId),
  );
  for (const outcome of outcomes) {
    const sessionId = outcome.sessionId;
    outcome.toStaff = [...exceptions.values()].filter(
      (x) => !settled.has(x.exceptionId) && sessionId !== undefined && x.candidates.includes(sessionId),
    ).length;
  }
  return settled;
}

/** One outcome per time a shopper went through the gate: the k-th visit is the k-th session the edge opened. */
async function collectOutcomes(
  app: CloudAppClient,
  loaded: LoadedScenario,
  truth: GroundTruth,
  seen: Pick<RunWatch, 'sessionsOfAccount' | 'exitedAt' | 'deliveredAt' | 'waitedFor'>,
): Promise<Array<VisitOutcome & { sessionId: string | undefined }>> {
  const { sessionsOfAccount, exitedAt, deliveredAt, waitedFor } = seen;
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
        // what the shopper pays in the end: units put back after the receipt were refunded (#13)
        billed: receipt?.lines.flatMap((l) => {
          const quantity = l.quantity - (l.returnedQuantity ?? 0);
          return quantity > 0 ? [{ sku: l.sku, quantity }] : [];
        }),
        toStaff: 0,
        receiptLatencyMs: exited !== undefined && delivered !== undefined ? delivered - exited : undefined,
        receiptWaitedFor: sessionId === undefined ? undefined : waitedFor.get(sessionId),
      });
    }
  }
  return outcomes;
}
