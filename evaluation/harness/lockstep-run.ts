// Plays a scenario against a running store in lockstep: virtual time moves only once the edge has taken every
// device message of the step and finished the work they started (frames inferred, decisions made, receipts
// delivered), so the outcome is the same on a quiet machine and on a loaded one — only slower on the latter.
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { AuthByUsername } from '../../shared/broker/broker-credentials.ts';
import type { SteppedTime } from '../../shared/timers.ts';
import type { ShopperApp } from '../../simulators/app/shopper-app.ts';
import type { GroundTruth } from '../../simulators/scenario/ground-truth.ts';
import type { LoadedScenario } from '../../simulators/scenario/scenario-loader.ts';
import { Simulator, type SimulatorSteps } from '../../simulators/scenario/simulator.ts';

/** The edge as a lockstep driver sees it. */
export interface LockstepEdge {
  messagesReceived(kind: 'shelfWeights' | 'cameraFrame'): number;
  /** Resolves once the edge has taken `count` messages of this kind off the broker since start. */
  whenReceived(kind: 'shelfWeights' | 'cameraFrame', count: number): Promise<void>;
  /** Finishes the work of the messages taken: load-cell batches in a fixed order, then frames, deliveries. */
  settle(): Promise<void>;
}

export interface LockstepRunOptions {
  loaded: LoadedScenario;
  mqttUrl: string;
  /** Each device's broker credential (the stack's). */
  auth?: AuthByUsername;
  /** SPKI PEM of the edge's gate-command key. */
  gateCommandKeyPem?: string;
  app: ShopperApp;
  time: SteppedTime;
  edge: LockstepEdge;
  logger: Logger;
  /** Device time between two device steps (ms); default the camera frame period, at most 100 ms. */
  stepMs?: number;
  /** Device seconds the devices keep streaming after the last action (default 2). */
  settleS?: number;
  /** After that, keep stepping until this is true or `afterS` more device seconds have passed. */
  done?: () => boolean;
  afterS?: number;
  /** Wall ms the edge may take to receive a step's messages before the run is declared stalled. */
  stallMs?: number;
  onEvent?: (line: string) => void;
  nonce?: string;
}

export class LockstepStallError extends Error {
  readonly code = 'LOCKSTEP_STALL';
}

export interface LockstepRunResult {
  truth: GroundTruth;
  /** Device steps played (each one: messages out, edge settled). */
  steps: number;
  /** Device messages the edge took, by kind. */
  sent: { shelfWeights: number; cameraFrame: number };
}

export async function runScenarioLockstep(options: LockstepRunOptions): Promise<LockstepRunResult> {
  const { loaded, time, edge } = options;
  const simulator = new Simulator({
    scenario: loaded.scenario,
    store: loaded.store,
    mqttUrl: options.mqttUrl,
    auth: options.auth,
    gateCommandKeyPem: options.gateCommandKeyPem,
    app: options.app,
    lockstep: time,
    logger: options.logger,
    onEvent: options.onEvent,
    nonce: options.nonce,
  });
  await simulator.start();
  try {
    const steps = simulator.steps();
    const stepMs = options.stepMs ?? Math.min(100, steps.framePeriodMs ?? 100);
    const driver = new StepDriver(steps, edge, time, stepMs, options.stallMs ?? 20_000);
    let outcome: { truth: GroundTruth } | { error: unknown } | undefined;
    simulator.play().then(
      (truth) => {
        outcome = { truth };
      },
      (error: unknown) => {
        outcome = { error };
      },
    );
    while (outcome === undefined) await driver.next();
    if ('error' in outcome) throw outcome.error;
    const settleUntil = time.now() + (options.settleS ?? 2) * 1000;
    while (time.now() < settleUntil) await driver.tick();
    const giveUpAt = time.now() + (options.afterS ?? 15) * 1000;
    while (options.done?.() === false && time.now() < giveUpAt) await driver.tick();
    return { truth: { ...outcome.truth, endedAt: time.now() }, steps: driver.steps, sent: driver.sent };
  } finally {
    await simulator.stop();
  }
}

/** Advances virtual time one event at a time: the next script wake-up or the next device step. */
class StepDriver {
  steps = 0;
  readonly sent = { shelfWeights: 0, cameraFrame: 0 };
  private nextStepTs: number;

  constructor(
    private readonly sim: SimulatorSteps,
    private readonly edge: LockstepEdge,
    private readonly time: SteppedTime,
    private readonly stepMs: number,
    private readonly stallMs: number,
  ) {
    this.nextStepTs = time.now() + stepMs;
  }

  /** One move while scripts are playing: wake the scripts due next, or play a device step. */
  async next(): Promise<void> {
    await this.sim.time.quiet();
    await this.edge.settle();
    const wake = this.sim.time.nextWakeTs();
    // nobody sleeps yet: the shoppers are still signing up (time stands still meanwhile)
    if (wake === undefined) return void (await yieldToIo());
    if (wake < this.nextStepTs) {
      this.time.advanceTo(wake);
      await this.edge.settle();
      await this.sim.time.wakeDue(wake);
      return;
    }
    await this.tick();
  }

  /**
   * One device step: time to the step's end, its load-cell batches (the edge takes them in a fixed order,
   * whatever order the broker delivered them in), then its frames, then settle.
   */
  async tick(): Promise<void> {
    const ts = this.nextStepTs;
    this.nextStepTs += this.stepMs;
    this.time.advanceTo(ts);
    await this.edge.settle();
    const batches = this.sim.dueShelfBatches(ts);
    if (batches.length > 0) {
      await Promise.all(batches.map((send) => send()));
      this.sent.shelfWeights += batches.length;
      await this.received('shelfWeights');
      await this.edge.settle();
    }
    const frames = await this.sim.dueFrames(ts);
    await Promise.all(frames.map((f) => f.send()));
    this.sent.cameraFrame += frames.length;
    await this.received('cameraFrame');
    await this.edge.settle();
    await this.sim.time.quiet();
    this.steps++;
  }

  /** Waits until the edge has taken every message of this kind sent so far; a wall-clock deadline for stalls. */
  private async received(kind: 'shelfWeights' | 'cameraFrame'): Promise<void> {
    const sent = this.sent[kind];
    let stalled: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.edge.whenReceived(kind, sent),
        new Promise<never>((_, reject) => {
          stalled = setTimeout(
            () =>
              reject(
                new LockstepStallError(
                  `lockstep stalled: the edge received ${this.edge.messagesReceived(kind)} of ${sent} ${kind} messages within ${this.stallMs} ms — is the broker dropping messages (queue limits)?`,
                ),
              ),
            this.stallMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(stalled);
    }
  }
}
