// The ceiling cameras of a simulated store: one MQTT client per camera (retained online/offline status with a
// last will, like every device) publishing rendered JPEG frames with the binary header at a frame rate in
// device time. A camera still rendering its last frame skips the next one, as an overloaded camera would.
import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { encodeFrame } from '../../shared/frame-codec.ts';
import { Random } from '../../shared/random.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import { topics } from '../../shared/topics.ts';
import { deriveSeed } from '../world/derived-random.ts';
import { cameraView } from './camera-geometry.ts';
import { conditionsAt, FrameRenderer, type SceneActor } from './frame-renderer.ts';
import { type PersonPlan, poseAt } from './motion-plan.ts';

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
  logger: Logger;
}

interface RunningCamera {
  id: string;
  index: number;
  renderer: FrameRenderer;
  client: MqttClient;
  seq: number;
  busy: boolean;
  timer: NodeJS.Timeout | undefined;
}

const status = (state: 'online' | 'offline') => JSON.stringify({ state });

export class CameraRig {
  private cameras: RunningCamera[] = [];
  private scene: { plans: readonly PersonPlan[]; startTs: number } | undefined;
  private readonly random: Random;
  private dark: readonly { camera: string; fromTs: number; untilTs: number }[] = [];
  /** Frames published and skipped, for logs and tests. */
  readonly stats = { published: 0, skipped: 0, dropped: 0, dark: 0 };

  constructor(private readonly options: CameraRigOptions) {
    this.random = new Random(deriveSeed(options.seed, 'cameras'));
  }

  async start(): Promise<void> {
    const { store, mqttUrl, fps, speed } = this.options;
    const storeId = store.config.storeId;
    for (const [index, camera] of store.config.cameras.entries()) {
      const statusTopic = topics.deviceStatus(storeId, camera.id);
      const client = await connectAsync(mqttUrl, {
        clientId: `walkout-sim-${camera.id}-${randomBytes(4).toString('hex')}`,
        will: { topic: statusTopic, payload: Buffer.from(status('offline')), qos: 1, retain: true },
        queueQoSZero: false,
        reconnectPeriod: 1000,
        connectTimeout: 5000,
      });
      await client.publishAsync(statusTopic, status('online'), { qos: 1, retain: true });
      const running: RunningCamera = {
        id: camera.id,
        index,
        renderer: new FrameRenderer(cameraView(camera), store.config),
        client,
        seq: 0,
        busy: false,
        timer: undefined,
      };
      this.cameras.push(running);
      const periodMs = 1000 / fps / speed;
      // cameras are not synchronised: each starts at its own offset within the frame period
      setTimeout(
        () => {
          if (!this.cameras.includes(running)) return;
          running.timer = setInterval(() => this.capture(running), periodMs);
        },
        (periodMs * index) / store.config.cameras.length,
      );
    }
  }

  /** People to show from now on: their plans (times relative to `startTs`, device time). */
  setScene(plans: readonly PersonPlan[], startTs: number): void {
    this.scene = { plans, startTs };
  }

  /** Feeds that go dark (no frames, the connection stays up) between two device times. */
  setDarkWindows(windows: readonly { camera: string; fromTs: number; untilTs: number }[]): void {
    this.dark = windows;
  }

  async stop(): Promise<void> {
    const cameras = this.cameras;
    this.cameras = [];
    for (const c of cameras) clearInterval(c.timer);
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

  private capture(camera: RunningCamera): void {
    if (camera.busy) {
      this.stats.skipped++;
      return;
    }
    const { clock, store, dropRate, logger } = this.options;
    const captureTs = clock.now();
    camera.seq++;
    if (this.dark.some((d) => d.camera === camera.id && captureTs >= d.fromTs && captureTs < d.untilTs)) {
      this.stats.dark++;
      return;
    }
    if (this.random.next() < dropRate) {
      this.stats.dropped++;
      return;
    }
    const scene = this.scene;
    const actors: SceneActor[] =
      scene === undefined
        ? []
        : scene.plans.map((p) => ({
            id: p.id,
            pose: poseAt(p, captureTs - scene.startTs, store.config.floor),
            appearance: p.appearance,
          }));
    camera.busy = true;
    const seq = camera.seq;
    camera.renderer
      .render(actors, conditionsAt(camera.index, captureTs, this.random), this.random)
      .then(({ jpeg }) => {
        const { imageWidth: width, imageHeight: height } = store.config.cameras[camera.index] ?? {
          imageWidth: 0,
          imageHeight: 0,
        };
        const frame = encodeFrame({ width, height, seq, captureTs }, jpeg);
        camera.client.publish(topics.cameraFrame(store.config.storeId, camera.id), frame, { qos: 0 });
        this.stats.published++;
      })
      .catch((err: unknown) => logger.error({ err, camera: camera.id }, 'frame render failed'))
      .finally(() => {
        camera.busy = false;
      });
  }
}
