// The edge's MQTT connection: availability with a last will, typed subscriptions whose payloads are
// validated at the boundary (bad ones counted and dropped, never thrown) — sizes before anything is parsed —
// and typed publishing.
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { TSchema } from 'typebox';
import { type MqttAuth, mqttAuthOptions } from '../../shared/broker/broker-credentials.ts';
import { EDGE_PAYLOAD_LIMITS } from '../../shared/broker/broker-limits.ts';
import { decodeFrame } from '../../shared/frame-codec.ts';
import { AlertSchema } from '../../shared/schemas/alert.ts';
import { DeviceStatusSchema } from '../../shared/schemas/device-status.ts';
import { FrameDetectionsSchema } from '../../shared/schemas/frame-detections.ts';
import { GateCommandSchema, GateScanSchema } from '../../shared/schemas/gate.ts';
import { LaneStockSchema, ShelfHealthSchema } from '../../shared/schemas/lane-stock.ts';
import { LoadCellBatchSchema } from '../../shared/schemas/load-cell-batch.ts';
import { SessionEventSchema } from '../../shared/schemas/session-event.ts';
import { ShelfEventSchema } from '../../shared/schemas/shelf-event.ts';
import { TrackUpdateSchema } from '../../shared/schemas/track.ts';
import { parseTopic, type Topic, type TopicKind, type TopicPayloads, topics } from '../../shared/topics.ts';
import { type BoundaryValidator, type Checked, compileValidator, parseJson } from '../../shared/validator.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';

type Handler<K extends TopicKind> = (payload: TopicPayloads[K], device: string | undefined) => void;

const jsonValidators = {
  shelfWeights: compileValidator(LoadCellBatchSchema),
  gateScan: compileValidator(GateScanSchema),
  gateCommand: compileValidator(GateCommandSchema),
  deviceStatus: compileValidator(DeviceStatusSchema),
  frameDetections: compileValidator(FrameDetectionsSchema),
  shelfEvents: compileValidator(ShelfEventSchema),
  sessionEvents: compileValidator(SessionEventSchema),
  laneStock: compileValidator(LaneStockSchema),
  shelfHealth: compileValidator(ShelfHealthSchema),
  alerts: compileValidator(AlertSchema),
  tracks: compileValidator(TrackUpdateSchema),
};

export type PayloadLimits = { maxFrameBytes: number; maxJsonBytes: number };

/** A payload above its kind's cap is dropped before it is parsed or decoded. */
function tooLarge(kind: TopicKind, payload: Buffer, limits: PayloadLimits): boolean {
  return payload.length > (kind === 'cameraFrame' ? limits.maxFrameBytes : limits.maxJsonBytes);
}

function decode<K extends TopicKind>(kind: K, payload: Buffer): Checked<TopicPayloads[K]> {
  if (kind === 'cameraFrame') {
    try {
      decodeFrame(payload);
      return { ok: true, value: payload as TopicPayloads[K] };
    } catch (err) {
      return { ok: false, errors: [(err as Error).message] };
    }
  }
  const validator: BoundaryValidator<TSchema> = jsonValidators[kind as Exclude<TopicKind, 'cameraFrame'>];
  return parseJson(validator, payload) as Checked<TopicPayloads[K]>;
}

export interface MqttLinkOptions {
  url: string;
  storeId: string;
  /** Device id this process reports availability under. */
  deviceId: string;
  /** Username/password (the edge's own broker credential) and the broker's CA for mqtts://. */
  auth?: MqttAuth;
  logger: Logger;
  metrics: EdgeMetrics;
  /** Size caps (default EDGE_PAYLOAD_LIMITS). */
  limits?: PayloadLimits;
  /** MQTT client id (default `walkout-<device>-<store>`: stable, so the broker keeps the session). */
  clientId?: string;
  /** Default true: clean=false, the broker keeps subscriptions and queued QoS 1 messages while away. */
  persistentSession?: boolean;
}

export class MqttLink {
  private client: MqttClient | undefined;
  /** by subscription filter */
  private readonly subscriptions = new Map<
    string,
    { kind: TopicKind; qos: 0 | 1; handler: Handler<TopicKind> }
  >();
  /** Messages taken off subscribed topics (valid or not), by kind: a lockstep run waits on these. */
  private readonly received = new Map<TopicKind, number>();
  /** Waits for a count of received messages, by kind (a lockstep run's driver). */
  private readonly receivedWaiters = new Map<TopicKind, Array<{ count: number; resolve: () => void }>>();
  /** Rejections logged per kind, so a flood of bad payloads does not flood the log. */
  private readonly rejectionsLogged = new Map<string, number>();

  constructor(private readonly options: MqttLinkOptions) {}

  /** Registers a handler; call before start(). */
  subscribe<K extends TopicKind>(kind: K, filter: string, qos: 0 | 1, handler: Handler<K>): void {
    this.subscriptions.set(filter, { kind, qos, handler: handler as Handler<TopicKind> });
  }

  async start(): Promise<void> {
    const { url, storeId, deviceId, logger } = this.options;
    const statusTopic = topics.deviceStatus(storeId, deviceId);
    const client = mqtt.connect(url, {
      // A persistent session under a stable id: through a broker restart (with persistence) or an edge
      // restart the broker keeps the subscriptions and what arrived for them at QoS 1 (#15).
      clientId: this.options.clientId ?? `walkout-${deviceId}-${storeId}`,
      clean: this.options.persistentSession === false,
      protocolVersion: 4,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      ...mqttAuthOptions(this.options.auth),
      will: {
        topic: statusTopic,
        payload: Buffer.from(JSON.stringify({ state: 'offline' })),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
    // once stop() began, the connection closing under a last publish is expected, not an error
    client.on('error', (err) => {
      if (this.client === client) logger.error({ err: err.message }, `MQTT error on ${url}`);
    });
    client.on('reconnect', () => logger.warn(`reconnecting to MQTT broker ${url}`));
    client.on('connect', () => {
      // (re)subscribe on every connect: a broker that lost the session (restarted without persistence)
      // forgets subscriptions, and subscribing again to a kept one is harmless
      for (const [filter, sub] of this.subscriptions) client.subscribe(filter, { qos: sub.qos });
      this.publish(statusTopic, { state: 'online' }, { qos: 1, retain: true });
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`cannot connect to MQTT broker at ${url} within 10 s: is it running? (set MQTT_URL)`),
          ),
        10_000,
      );
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    logger.info({ url }, 'connected to MQTT broker');
  }

  publish<K extends TopicKind>(
    topic: Topic<K>,
    payload: TopicPayloads[K],
    opts: { qos?: 0 | 1; retain?: boolean } = {},
  ): void {
    const body = Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    this.client?.publish(topic, body, { qos: opts.qos ?? 0, retain: opts.retain ?? false });
  }

  /** Messages of this kind received on a subscription since start (valid or not). */
  receivedCount(kind: TopicKind): number {
    return this.received.get(kind) ?? 0;
  }

  /** Resolves once `count` messages of this kind have been received since start (at once if they have). */
  whenReceived(kind: TopicKind, count: number): Promise<void> {
    if (this.receivedCount(kind) >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.receivedWaiters.get(kind) ?? [];
      waiters.push({ count, resolve });
      this.receivedWaiters.set(kind, waiters);
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    this.client = undefined;
    if (client.connected) {
      const statusTopic = topics.deviceStatus(this.options.storeId, this.options.deviceId);
      await client
        .publishAsync(statusTopic, JSON.stringify({ state: 'offline' }), { qos: 1, retain: true })
        .catch(() => {});
    }
    await client.endAsync();
    client.removeAllListeners();
  }

  private dispatch(topic: string, payload: Buffer): void {
    const { metrics, logger, storeId } = this.options;
    const parsed = parseTopic(topic);
    if (parsed === undefined || parsed.store !== storeId) {
      metrics.messagesRejected.inc({ kind: 'unknown', reason: 'unknown-topic' });
      return;
    }
    const sub = this.findSubscription(parsed.kind);
    if (sub === undefined) return;
    metrics.messagesReceived.inc({ kind: parsed.kind });
    const received = (this.received.get(parsed.kind) ?? 0) + 1;
    this.received.set(parsed.kind, received);
    this.wakeWaiters(parsed.kind, received);
    if (tooLarge(parsed.kind, payload, this.options.limits ?? EDGE_PAYLOAD_LIMITS)) {
      metrics.messagesRejected.inc({ kind: parsed.kind, reason: 'too-large' });
      return;
    }
    const checked = decode(parsed.kind, payload);
    if (!checked.ok) {
      metrics.messagesRejected.inc({ kind: parsed.kind, reason: 'invalid-payload' });
      const logged = this.rejectionsLogged.get(parsed.kind) ?? 0;
      if (logged < 20) logger.warn({ topic, errors: checked.errors }, 'dropped invalid payload');
      this.rejectionsLogged.set(parsed.kind, logged + 1);
      return;
    }
    try {
      sub.handler(checked.value, parsed.device);
    } catch (err) {
      metrics.messagesRejected.inc({ kind: parsed.kind, reason: 'handler-error' });
      logger.error({ topic, err }, 'handler failed on a message; message dropped, edge keeps running');
    }
  }

  private wakeWaiters(kind: TopicKind, received: number): void {
    const waiters = this.receivedWaiters.get(kind);
    if (waiters === undefined) return;
    const still = waiters.filter((w) => w.count > received);
    if (still.length === waiters.length) return;
    this.receivedWaiters.set(kind, still);
    for (const w of waiters) if (w.count <= received) w.resolve();
  }

  private findSubscription(kind: TopicKind) {
    for (const sub of this.subscriptions.values()) if (sub.kind === kind) return sub;
    return undefined;
  }
}
