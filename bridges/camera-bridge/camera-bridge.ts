// Bridges one real camera to the store's broker as if it were a Walkout camera: ffmpeg reads its video source,
// each JPEG goes out as a frame message (shared/frame-codec.ts) with the camera's own broker login, the
// camera's retained status says `online` while frames flow and `offline` with `reason: 'source-lost'` while
// the source is gone (reopened with backoff), and the broker's last will says `offline` if the bridge dies.
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type MqttAuth, mqttAuthOptions } from '../../shared/broker/broker-credentials.ts';
import { EDGE_PAYLOAD_LIMITS } from '../../shared/broker/broker-limits.ts';
import type { Clock } from '../../shared/clock.ts';
import { encodeFrame } from '../../shared/frame-codec.ts';
import type { DeviceStatus } from '../../shared/schemas/device-status.ts';
import { topics } from '../../shared/topics.ts';
import { type BridgeSettings, backoffMs } from './bridge-settings.ts';
import { FFMPEG_BINARY } from './ffmpeg-command.ts';
import { FfmpegRun } from './ffmpeg-source.ts';
import { FramePublisher } from './frame-publisher.ts';

export interface CameraBridgeOptions {
  storeId: string;
  camera: { id: string; width: number; height: number };
  source: { url: string; fps: number; listen?: boolean };
  mqttUrl: string;
  /** The camera's own broker login (username = camera id). */
  auth: MqttAuth | undefined;
  settings: BridgeSettings;
  clock: Clock;
  logger: Logger;
  ffmpegBinary?: string;
}

export type SourceState = 'starting' | 'streaming' | 'lost';

export interface CameraBridgeStats {
  /** JPEGs read from ffmpeg. */
  frames: number;
  published: number;
  /** Dropped because the broker took them slower than the camera sent them. */
  dropped: number;
  unsent: number;
  /** Frames above the edge's size cap, never sent. */
  oversized: number;
  /** Times the source was lost and reopened. */
  reconnects: number;
}

const payload = (status: DeviceStatus) => JSON.stringify(status);
const ONLINE: DeviceStatus = { state: 'online' };
const SOURCE_LOST: DeviceStatus = { state: 'offline', reason: 'source-lost' };
const OFFLINE: DeviceStatus = { state: 'offline' };

export class CameraBridge {
  private client: MqttClient | undefined;
  private publisher: FramePublisher | undefined;
  private run: FfmpegRun | undefined;
  private state: SourceState = 'starting';
  private failures = 0;
  private seq = 0;
  private lastFrameAt = 0;
  private runStartedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly counts = { frames: 0, oversized: 0, reconnects: 0 };
  private readonly log: Logger;

  constructor(private readonly options: CameraBridgeOptions) {
    this.log = options.logger.child({ component: 'camera-bridge', camera: options.camera.id });
  }

  get sourceState(): SourceState {
    return this.state;
  }

  get stats(): CameraBridgeStats {
    const p = this.publisher?.stats ?? { published: 0, dropped: 0, unsent: 0 };
    return { ...this.counts, ...p };
  }

  async start(): Promise<void> {
    const { storeId, camera, mqttUrl, settings } = this.options;
    const statusTopic = topics.deviceStatus(storeId, camera.id);
    // no waiting for the broker: a bridge started before it (a store powering up) connects when it can
    const client = connect(mqttUrl, {
      // Mosquitto takes the username as client id; the embedded broker wants the same
      clientId: camera.id,
      protocolVersion: 4,
      will: { topic: statusTopic, payload: Buffer.from(payload(OFFLINE)), qos: 1, retain: true },
      queueQoSZero: false,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      ...mqttAuthOptions(this.options.auth),
    });
    this.client = client;
    // one warning per outage, not one per retry
    let warned = false;
    client.on('error', (err) => {
      if (!warned)
        this.log.warn(
          { err: err.message, mqttUrl },
          "broker refused or failed the connection; retrying every second — check MQTT_URL and this camera's login",
        );
      warned = true;
    });
    client.on('offline', () => {
      if (!warned)
        this.log.warn(
          { mqttUrl },
          'broker unreachable; retrying every second (frames are not kept meanwhile)',
        );
      warned = true;
    });
    // on every (re)connect: after a reconnect the broker has published the will, so say again what is true
    client.on('connect', () => {
      warned = false;
      this.publishStatus();
    });
    this.publisher = new FramePublisher(
      client,
      topics.cameraFrame(storeId, camera.id),
      settings.maxQueuedFrames,
    );
    this.watchdog = setInterval(() => this.checkStall(), Math.max(100, settings.stallMs / 4));
    this.openSource();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.watchdog);
    const run = this.run;
    this.run = undefined;
    run?.stop();
    await run?.exited();
    this.publisher?.stop();
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    client.removeAllListeners('connect');
    client.removeAllListeners('offline');
    if (client.connected) {
      const statusTopic = topics.deviceStatus(this.options.storeId, this.options.camera.id);
      await client.publishAsync(statusTopic, payload(OFFLINE), { qos: 1, retain: true }).catch(() => {});
    }
    await client.endAsync();
  }

  private openSource(): void {
    if (this.stopped) return;
    const { camera, source, settings } = this.options;
    const run = new FfmpegRun(
      { ...source, width: camera.width, height: camera.height, jpegQuality: settings.jpegQuality },
      EDGE_PAYLOAD_LIMITS.maxFrameBytes - 64,
      { frame: (jpeg) => this.onFrame(run, jpeg), ended: (detail) => this.onEnded(run, detail) },
      this.options.ffmpegBinary ?? FFMPEG_BINARY,
    );
    this.run = run;
    this.runStartedAt = this.options.clock.now();
    this.lastFrameAt = 0;
    run.start();
  }

  private onFrame(run: FfmpegRun, jpeg: Buffer): void {
    if (run !== this.run) return;
    const { camera } = this.options;
    const now = this.options.clock.now();
    this.lastFrameAt = now;
    this.counts.frames++;
    this.failures = 0;
    if (this.state !== 'streaming') {
      this.state = 'streaming';
      this.log.info('source streaming');
      this.publishStatus();
    }
    this.seq = (this.seq + 1) >>> 0;
    this.publisher?.send(
      encodeFrame({ width: camera.width, height: camera.height, seq: this.seq, captureTs: now }, jpeg),
    );
  }

  private onEnded(run: FfmpegRun, detail: string): void {
    this.counts.oversized += run.stats.oversized;
    if (run !== this.run || this.stopped) return;
    this.run = undefined;
    this.failures++;
    const wait = backoffMs(this.options.settings, this.failures);
    if (this.state !== 'lost') {
      this.state = 'lost';
      this.publishStatus();
    }
    this.counts.reconnects++;
    this.log.warn({ detail, retryInMs: wait, failures: this.failures }, 'source lost; reopening');
    this.restartTimer = setTimeout(() => this.openSource(), wait);
  }

  /** A source that stopped sending without closing is lost too (see BridgeSettings.stallMs). */
  private checkStall(): void {
    const run = this.run;
    if (run === undefined) return;
    const since = this.lastFrameAt > 0 ? this.lastFrameAt : this.runStartedAt;
    // a listening RTSP bridge waits for the camera to push as long as it takes
    if (this.lastFrameAt === 0 && this.options.source.listen === true) return;
    if (this.options.clock.now() - since < this.options.settings.stallMs) return;
    this.log.warn({ stallMs: this.options.settings.stallMs }, 'no frame from the source; restarting ffmpeg');
    run.stop();
  }

  private publishStatus(): void {
    const client = this.client;
    if (client === undefined || !client.connected) return;
    const statusTopic = topics.deviceStatus(this.options.storeId, this.options.camera.id);
    const status = this.state === 'streaming' ? ONLINE : SOURCE_LOST;
    client.publish(statusTopic, payload(status), { qos: 1, retain: true }, (err) => {
      if (err) this.log.warn({ err }, 'status not published');
    });
  }
}
