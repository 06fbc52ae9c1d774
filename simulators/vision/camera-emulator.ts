// The ceiling cameras of a simulated store: one MQTT client per camera (retained online/offline status with a
// last will, like every device) publishing rendered JPEG frames with the binary header at a frame rate in
// device time. A camera still rendering its last frame skips the next one, as an overloaded camera would. In
// lockstep the rig has no timers: the driver asks for the frames due, every one rendered.
import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type AuthByUsername, mqttAuthOptions } from '../../shared/broker/broker-credentials.ts';
import type { Clock } from '../../shared/clock.ts';
import { encodeFrame } from '../../shared/frame-codec.ts';
import { Random } from '../../shared/random.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import { topics } from '../../shared/topics.ts';
import { deriveSeed } from '../world/derived-random.ts';
import { cameraView } from './camera-geometry.ts';
import { CrowdMotion } from './crowd-motion.ts';
import { EmptyViewCache } from './empty-view-cache.ts';
import { FrameRenderer, type SceneActor } from './frame-renderer.ts';
import type { PersonPlan } from './motion-plan.ts';

export interface CameraRigOptions {
  store: StoreIndex;
  mqttUrl: string;
  clock: Clock;
  /** Device seconds per wall second. */
  speed: number;
  fps: number;
  /** Share of frames a camera fails to send. */
  dropRate: number;
  seed: number;
  /** Lockstep: no timers; the driver takes the frames due with `dueFrames`. */
  stepped?: boolean;
  /** Each camera's broker credential, by camera id. */
  auth?: AuthByUsername;
  logger: Logger;
}

interface RunningCamera {
  id: string;
  index: number;
  /** Renders the frame, or reuses the empty view when nobody is in the picture. */
  shots: EmptyViewCache;
  client: MqttClient;
  /** The camera's own stream (lighting, noise, drops): what it shows does not depend on the other cameras. */
  random: Random;
  seq: number;
  /** Real time: the frame being rendered and sent, if any (stop waits for it before disconnecting). */
  busy: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Lockstep: device time of the next capture. */
  nextCaptureTs: number;
}

/** A rendered frame ready to go on the wire. */
export interface DueFrame {
  camera: string;
  captureTs: number;
  send: () => Promise<void>;
}

const status = (state: 'online' | 'offline') => JSON.stringify({ state });

/** Seed of every camera's empty-view noise variants (with the camera's id). */
const EMPTY_VIEW_SEED = 0x5eed;

export class CameraRig {
  private cameras: RunningCamera[] = [];
  private scene: { crowd: CrowdMotion; startTs: number } | undefined;
  private dark: readonly { camera: string; fromTs: number; untilTs: number }[] = [];
  /** Frames published, skipped, dropped, dark and (of the published) pre-rendered empty views, for logs and tests. */
  readonly stats = { published: 0, skipped: 0, dropped: 0, dark: 0, emptyViews: 0 };

  constructor(private readonly options: CameraRigOptions) {}

  async start(): Promise<void> {
    const { store, mqttUrl, fps, speed, clock, seed } = this.options;
    const storeId = store.config.storeId;
    const startTs = clock.now();
    for (const [index, camera] of store.config.cameras.entries()) {
      const statusTopic = topics.deviceStatus(storeId, camera.id);
      const client = await connectAsync(mqttUrl, {
        clientId: `walkout-sim-${camera.id}-${randomBytes(4).toString('hex')}`,
        will: { topic: statusTopic, payload: Buffer.from(status('offline')), qos: 1, retain: true },
        queueQoSZero: false,
        reconnectPeriod: 1000,
        connectTimeout: 5000,
        ...mqttAuthOptions(this.options.auth?.(camera.id)),
      });
      await client.publishAsync(statusTopic, status('online'), { qos: 1, retain: true });
      const running: RunningCamera = {
        id: camera.id,
        index,
        shots: new EmptyViewCache(
          new FrameRenderer(cameraView(camera), store.config),
          index,
          // the empty views' noise is the camera's own, not the run's: every run (and seed) of an evaluation
          // shares them, so each is rendered once per process; which variant a frame shows is the run's draw
          deriveSeed(EMPTY_VIEW_SEED, `camera:${camera.id}:empty-view`),
        ),
        client,
        random: new Random(deriveSeed(seed, `camera:${camera.id}`)),
        seq: 0,
        busy: undefined,
        timer: undefined,
        // cameras are not synchronised: each starts at its own offset within the frame period
        nextCaptureTs: startTs + ((1000 / fps) * index) / store.config.cameras.length,
      };
      this.cameras.push(running);
      if (this.options.stepped === true) continue;
      const periodMs = 1000 / fps / speed;
      setTimeout(
        () => {
          if (!this.cameras.includes(running)) return;
          running.timer = setInterval(() => this.captureLive(running), periodMs);
        },
        (periodMs * index) / store.config.cameras.length,
      );
    }
  }

  /** People to show from now on: their plans (times relative to `startTs`, device time). */
  setScene(plans: readonly PersonPlan[], startTs: number): void {
    this.scene = { crowd: new CrowdMotion(plans, this.options.store.config.floor), startTs };
  }

  /** Feeds that go dark (no frames, the connection stays up) between two device times. */
  setDarkWindows(windows: readonly { camera: string; fromTs: number; untilTs: number }[]): void {
    this.dark = windows;
  }

  async stop(): Promise<void> {
    const cameras = this.cameras;
    this.cameras = [];
    for (const c of cameras) clearInterval(c.timer);
    // a frame still being rendered is sent before the camera disconnects (it captured before the stop)
    await Promise.all(cameras.map((c) => c.busy));
    const storeId = this.options.store.config.storeId;
    await Promise.all(
      cameras.map(async (c) => {
        await c.client
          .publishAsync(topics.deviceStatus(storeId, c.id), status('offline'), { qos: 1, retain: true })
          .catch(() => {});
        await c.client.endAsync();
      }),
    );
  }

  /**
   * Lockstep: renders every frame captured at or before `ts` that is not dark or dropped (cameras in parallel,
   * each in capture order), ready to publish in capture order.
   */
  async dueFrames(ts: number): Promise<DueFrame[]> {
    const periodMs = 1000 / this.options.fps;
    const perCamera = await Promise.all(
      this.cameras.map(async (camera) => {
        const due: DueFrame[] = [];
        for (; camera.nextCaptureTs <= ts; camera.nextCaptureTs += periodMs) {
          // a camera stamps whole milliseconds
          const frame = await this.capture(camera, Math.round(camera.nextCaptureTs));
          if (frame !== undefined) due.push(frame);
        }
        return due;
      }),
    );
    return perCamera.flat().sort((a, b) => a.captureTs - b.captureTs || a.camera.localeCompare(b.camera));
  }

  /** Real time: captures now unless the camera is still busy with its last frame. */
  private captureLive(camera: RunningCamera): void {
    if (camera.busy !== undefined) {
      this.stats.skipped++;
      return;
    }
    camera.busy = this.capture(camera, this.options.clock.now())
      .then((frame) => frame?.send())
      .catch((err: unknown) => this.options.logger.error({ err, camera: camera.id }, 'frame render failed'))
      .finally(() => {
        camera.busy = undefined;
      });
  }

  /** Renders what the camera sees at `captureTs`; undefined when its feed is dark or the frame is dropped. */
  private async capture(camera: RunningCamera, captureTs: number): Promise<DueFrame | undefined> {
    const { store, dropRate } = this.options;
    camera.seq++;
    if (this.dark.some((d) => d.camera === camera.id && captureTs >= d.fromTs && captureTs < d.untilTs)) {
      this.stats.dark++;
      return undefined;
    }
    if (camera.random.next() < dropRate) {
      this.stats.dropped++;
      return undefined;
    }
    const scene = this.scene;
    const actors: SceneActor[] = scene === undefined ? [] : scene.crowd.actorsAt(captureTs - scene.startTs);
    const seq = camera.seq;
    // faults and drops above apply to every frame; only then is it rendered or the empty view reused
    const { jpeg, reused } = await camera.shots.shoot(actors, captureTs, camera.random);
    if (reused) this.stats.emptyViews++;
    const { imageWidth: width, imageHeight: height } = store.config.cameras[camera.index] ?? {
      imageWidth: 0,
      imageHeight: 0,
    };
    const frame = encodeFrame({ width, height, seq, captureTs }, jpeg);
    const topic = topics.cameraFrame(store.config.storeId, camera.id);
    return {
      camera: camera.id,
      captureTs,
      send: async () => {
        await camera.client.publishAsync(topic, frame, { qos: 0 });
        this.stats.published++;
      },
    };
  }
}
