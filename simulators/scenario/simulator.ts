// The running simulator: the store world, every shelf controller streaming load cells and every gate
// scanner online from start() to stop(); play() runs the scenario's shopper scripts once over them.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { AuthByUsername } from '../../shared/broker/broker-credentials.ts';
import { type Clock, ScaledClock, systemClock } from '../../shared/clock.ts';
import { indexStore, type StoreConfig, type StoreIndex } from '../../shared/store-config.ts';
import type { SteppedTime } from '../../shared/timers.ts';
import type { ShopperApp } from '../app/shopper-app.ts';
import { GateEmulator } from '../devices/gate-emulator.ts';
import { LoadCellEmulator } from '../devices/load-cell-emulator.ts';
import { NOISE_PROFILES } from '../devices/noise-profiles.ts';
import { type DeviceSend, ShelfControllers } from '../devices/shelf-controllers.ts';
import { CameraRig, type DueFrame } from '../vision/camera-emulator.ts';
import { memberId, planScenario } from '../vision/motion-plan.ts';
import { visionPlanner } from '../vision/scenario-frames.ts';
import { deriveRandom } from '../world/derived-random.ts';
import { StoreWorld } from '../world/store-world.ts';
import { type DeviceTime, LockstepDeviceTime, RealtimeDeviceTime } from './device-time.ts';
import { type GroundTruth, GroundTruthRecorder } from './ground-truth.ts';
import type { Scenario } from './scenario-schema.ts';
import { playShopperScript } from './shopper-script.ts';

export interface SimulatorOptions {
  scenario: Scenario;
  store: StoreConfig;
  mqttUrl: string;
  /** Each device's own broker credential, by device id; undefined: anonymous (an open broker). */
  auth?: AuthByUsername;
  /** SPKI PEM of the edge's gate-command key: the gates open only for commands it signed. */
  gateCommandKeyPem?: string;
  app: ShopperApp;
  /** Device time source; must run `speed` times faster than wall time. Default: a ScaledClock. */
  clock?: Clock;
  /** Scenario seconds per wall second (default 1). */
  speed?: number;
  /**
   * Lockstep: device time is this virtual time, devices keep no timers and a driver (evaluation/lockstep-run)
   * advances the time, wakes the scripts and publishes what the devices produce. Overrides `clock`/`speed`.
   */
  lockstep?: SteppedTime;
  logger: Logger;
  /** Receives a human-readable line per scripted step. */
  onEvent?: (line: string) => void;
  /** Run nonce in the shoppers' emails; default random, so reruns against one cloud never collide. */
  nonce?: string;
  /**
   * Devices keep persistent broker sessions under stable client ids, as a store's do (the simulator as its
   * own process, `npm run simulate`); default off, so several simulators can share one broker in tests.
   */
  persistentSessions?: boolean;
}

export const SHOPPER_PASSWORD = 'walkout-sim-password';

/** Email of a scenario's shopper in one run. */
export function shopperEmail(scenario: string, shopperId: string, nonce: string): string {
  return `${scenario}-${shopperId}-${nonce}@sim.walkout.test`.toLowerCase();
}

/** What a lockstep driver needs from a started simulator. */
export interface SimulatorSteps {
  time: LockstepDeviceTime;
  /** Shelf batches due by `ts`, in a fixed order. */
  dueShelfBatches(ts: number): DeviceSend[];
  /** Camera frames captured by `ts`, rendered, in capture order. */
  dueFrames(ts: number): Promise<DueFrame[]>;
  /** Frame period of the cameras (ms), when the scenario has cameras. */
  framePeriodMs: number | undefined;
}

interface Running {
  index: StoreIndex;
  clock: Clock;
  time: DeviceTime;
  world: StoreWorld;
  loadCells: LoadCellEmulator;
  shelves: ShelfControllers;
  /** by gate id */
  gates: Map<string, GateEmulator>;
  /** Ceiling cameras, when the scenario turns them on. */
  cameras: CameraRig | undefined;
  abort: AbortController;
}

export class Simulator {
  private running: Running | undefined;
  private playing = false;
  private plays = 0;

  constructor(private readonly options: SimulatorOptions) {}

  get speed(): number {
    return this.options.speed ?? 1;
  }

  /** Device time now (only while started). */
  now(): number {
    return this.requireRunning().clock.now();
  }

  async start(): Promise<void> {
    if (this.running !== undefined) return;
    const { scenario, store, mqttUrl, logger, auth } = this.options;
    if (!(this.speed > 0)) throw new RangeError(`speed must be > 0, got ${this.speed}`);
    const { lockstep } = this.options;
    const clock = lockstep ?? this.options.clock ?? new ScaledClock(systemClock.now(), this.speed);
    const time =
      lockstep === undefined ? new RealtimeDeviceTime(clock, this.speed) : new LockstepDeviceTime(lockstep);
    const stepped = lockstep !== undefined;
    const index = indexStore(store);
    const world = StoreWorld.stocked(index, deriveRandom(scenario.seed, 'world'));
    const loadCells = new LoadCellEmulator({
      store: index,
      seed: scenario.seed,
      noise: NOISE_PROFILES[scenario.noise],
      startTs: clock.now(),
      laneGrams: (laneId) => world.laneGrams(laneId),
    });
    const shelves = new ShelfControllers({
      store: index,
      emulator: loadCells,
      mqttUrl,
      clock,
      speed: this.speed,
      stepped,
      auth,
      logger: logger.child({ component: 'shelf-controllers' }),
      persistentSessions: this.options.persistentSessions,
    });
    const gates = this.gateEmulators(clock, stepped);
    const cameras = this.cameraRig(index, clock, stepped);
    // every shopper's script waits on the run's abort signal: a busy hour has dozens at once
    const abort = new AbortController();
    setMaxListeners(1000, abort.signal);
    const running: Running = {
      index,
      clock,
      time,
      world,
      loadCells,
      shelves,
      gates,
      cameras,
      abort,
    };
    this.running = running;
    try {
      await Promise.all([
        shelves.start(),
        ...[...gates.values()].map((g) => g.start()),
        ...(cameras === undefined ? [] : [cameras.start()]),
      ]);
    } catch (err) {
      await this.stop();
      throw err;
    }
    logger.info(
      { shelves: store.shelves.length, gates: store.gates.length, speed: this.speed },
      'simulator started',
    );
  }

  /** Signs the shoppers up, plays every script once from now, and returns what really happened. */
  async play(): Promise<GroundTruth> {
    const running = this.requireRunning();
    if (this.playing) throw new Error('the scenario is already playing');
    this.playing = true;
    try {
      return await this.playOnce(running);
    } finally {
      this.playing = false;
    }
  }

  /**
   * A clerk tops up every lane picked from to its stocked units (StoreWorld.restock), between plays: the load
   * cells then read the heavier shelves, as they would a real restock. Returns the units added, by lane.
   */
  restock(): Array<{ lane: string; sku: string; units: number }> {
    const running = this.requireRunning();
    if (this.playing) throw new Error('restock between plays: the scenario is playing');
    return running.world.restock(deriveRandom(this.options.scenario.seed, `restock:${this.plays}`));
  }

  /** Keeps the devices streaming for `seconds` of device time (lets the last signals settle). Real time only. */
  async idle(seconds: number): Promise<void> {
    const running = this.requireRunning();
    await running.time.sleepUntil(running.clock.now() + seconds * 1000, running.abort.signal);
  }

  /** Camera frames published, skipped (still rendering the last one), dropped and dark so far. */
  cameraStats(): { published: number; skipped: number; dropped: number; dark: number } {
    const stats = this.running?.cameras?.stats;
    return stats === undefined ? { published: 0, skipped: 0, dropped: 0, dark: 0 } : { ...stats };
  }

  /** The shelf controllers' counts: published, failed, stored and forwarded, still buffered, dropped. */
  shelfStats(): ShelfControllers['stats'] | undefined {
    return this.running?.shelves.stats;
  }

  /** The hooks a lockstep driver steps the simulator with (only while started with `lockstep`). */
  steps(): SimulatorSteps {
    const running = this.requireRunning();
    if (!(running.time instanceof LockstepDeviceTime))
      throw new Error('the simulator was not started in lockstep');
    const { cameras } = running;
    return {
      time: running.time,
      dueShelfBatches: (ts) => running.shelves.dueBatches(ts),
      dueFrames: async (ts) => (cameras === undefined ? [] : cameras.dueFrames(ts)),
      framePeriodMs:
        this.options.scenario.cameras === undefined ? undefined : 1000 / this.options.scenario.cameras.fps,
    };
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    running.abort.abort(new Error('simulator stopped'));
    await Promise.all([
      running.shelves.stop(),
      ...[...running.gates.values()].map((g) => g.stop()),
      ...(running.cameras === undefined ? [] : [running.cameras.stop()]),
    ]);
    this.options.logger.info(running.shelves.stats, 'simulator stopped');
  }

  private async playOnce(running: Running): Promise<GroundTruth> {
    const { scenario, app, logger } = this.options;
    this.plays += 1;
    const nonce = this.nonceOfPlay();
    const say = (line: string) => this.options.onEvent?.(line);
    const sessions = await this.signUpShoppers(nonce);
    const startTs = running.clock.now();
    // where everyone walks and when each action really happens derive from the scenario alone; the cameras
    // show the same people the load cells feel
    const plans = planScenario(scenario, running.index, visionPlanner(running.index.config));
    running.cameras?.setScene(plans, startTs);
    running.cameras?.setDarkWindows(
      scenario.faults.map((f) => ({
        camera: f.camera,
        fromTs: startTs + f.at * 1000,
        untilTs: startTs + (f.at + f.forS) * 1000,
      })),
    );
    const actionTimes = (shopper: (typeof scenario.shoppers)[number]) =>
      shopper.script.map((action, i) => {
        const member = 'member' in action ? action.member : 0;
        const plan = plans.find((p) => p.shopperId === shopper.id && p.id === memberId(shopper.id, member));
        return plan?.actionTimes[i] ?? action.at * 1000;
      });
    const recorder = new GroundTruthRecorder({
      scenario: scenario.name,
      store: running.index.config.storeId,
      seed: scenario.seed,
      noise: scenario.noise,
      nonce,
      startedAt: startTs,
    });
    for (const { shopper, session, cardError } of sessions) {
      recorder.addShopper(shopper.id, session.accountId, shopper.party, shopper.card ?? null, cardError);
    }
    say(`scenario ${scenario.name}: ${sessions.length} shopper(s), nonce ${nonce}, speed ×${this.speed}`);
    try {
      await Promise.all(
        sessions.map(({ shopper, session }) =>
          running.time.run(() =>
            playShopperScript({
              shopper,
              session,
              app,
              store: running.index,
              world: running.world,
              loadCells: running.loadCells,
              gates: running.gates,
              recorder,
              time: running.time,
              startTs,
              actionTimes: actionTimes(shopper),
              random: deriveRandom(scenario.seed, `shopper:${shopper.id}:${this.plays}`),
              signal: running.abort.signal,
              logger: logger.child({ shopper: shopper.id }),
              say,
            }),
          ),
        ),
      );
    } finally {
      // Whoever is still inside leaves with their basket: the next play starts with empty hands.
      for (const { shopper } of sessions) running.world.takeBasket(shopper.id);
    }
    return recorder.finish(running.clock.now());
  }

  /** One emulated gate per gate of the store, keyed by gate id. */
  private gateEmulators(clock: Clock, stepped: boolean): Map<string, GateEmulator> {
    const { store, mqttUrl, logger, auth, lockstep } = this.options;
    const storeId = store.storeId;
    return new Map(
      store.gates.map((g) => [
        g.id,
        new GateEmulator({
          storeId,
          gateId: g.id,
          mqttUrl,
          auth: auth?.(g.id),
          commandKeyPem: this.options.gateCommandKeyPem,
          persistentSession: this.options.persistentSessions,
          // faster than real time the gate's clock runs ahead of the edge's: single-use scan ids still hold
          ...(lockstep === undefined && this.speed !== 1
            ? { commandMaxSkewMs: Number.POSITIVE_INFINITY }
            : {}),
          clock,
          // in lockstep the answer comes before time moves on: the deadline only guards against a dead edge
          ...(stepped ? { deadlineMs: 30_000 } : {}),
          logger: logger.child({ component: 'gate', gate: g.id }),
        }),
      ]),
    );
  }

  /** The camera rig when the scenario has cameras. */
  private cameraRig(index: StoreIndex, clock: Clock, stepped: boolean): CameraRig | undefined {
    const { scenario, mqttUrl, logger, auth } = this.options;
    return scenario.cameras === undefined
      ? undefined
      : new CameraRig({
          store: index,
          mqttUrl,
          clock,
          speed: this.speed,
          fps: scenario.cameras.fps,
          dropRate: scenario.cameras.dropRate,
          seed: scenario.seed,
          stepped,
          auth,
          logger: logger.child({ component: 'cameras' }),
        });
  }

  /** A nonce per play, so each play's shoppers are new accounts: the given one (suffixed from the second play on). */
  private nonceOfPlay(): string {
    const given = this.options.nonce;
    if (given === undefined) return randomBytes(4).toString('hex');
    return this.plays === 1 ? given : `${given}-${this.plays}`;
  }

  /** Signs every shopper up (or in) and adds their card; a declined card is kept as the shopper's outcome. */
  private signUpShoppers(nonce: string) {
    const { scenario, app, logger } = this.options;
    return Promise.all(
      scenario.shoppers.map(async (shopper) => {
        const email = shopperEmail(scenario.name, shopper.id, nonce);
        const session = await app.signUpOrIn({ email, password: SHOPPER_PASSWORD, name: shopper.name });
        let cardError: string | undefined;
        if (shopper.consent === true) await app.consentToBehaviour?.(session);
        if (shopper.card !== undefined) {
          try {
            await app.addCard(session, shopper.card);
          } catch (err) {
            // A declined sandbox card is a scenario outcome: the entry token will then be refused.
            cardError = err instanceof Error ? err.message : String(err);
            logger.warn({ shopper: shopper.id, card: shopper.card, err }, 'card not added');
          }
        }
        return { shopper, session, cardError };
      }),
    );
  }

  private requireRunning(): Running {
    if (this.running === undefined) throw new Error('simulator is not started');
    return this.running;
  }
}
