// One emulated device's MQTT connection: its own client with a retained offline last will, retained
// online on connect (and on every reconnect), retained offline on a clean stop.
import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { type MqttAuth, mqttAuthOptions } from '../../shared/broker/broker-credentials.ts';
import { type TopicKind, type TopicPayloads, topics } from '../../shared/topics.ts';

export interface DeviceConnectionOptions {
  mqttUrl: string;
  storeId: string;
  deviceId: string;
  /** The device's own broker credential (and the broker's CA for mqtts://); undefined: anonymous. */
  auth?: MqttAuth;
  logger: Logger;
  /** A load cell streams at QoS 0: while offline it drops samples instead of queueing them. */
  queueQoSZero?: boolean;
  /**
   * A persistent session under a stable client id (clean=false), as a store's devices keep one: the broker
   * keeps the device's subscriptions and the QoS 1 messages for it while it is away. Default: a fresh one.
   */
  persistentSession?: boolean;
}

export type MessageHandler = (topic: string, payload: Buffer) => void;

export class BrokerUnreachableError extends Error {
  readonly code = 'BROKER_UNREACHABLE';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot reach MQTT broker at ${url}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

const OFFLINE = JSON.stringify({ state: 'offline' } satisfies TopicPayloads['deviceStatus']);
const ONLINE = JSON.stringify({ state: 'online' } satisfies TopicPayloads['deviceStatus']);

export class DeviceConnection {
  private client: MqttClient | undefined;
  private readonly handlers: MessageHandler[] = [];
  private readonly reconnectListeners = new Set<() => void>();

  constructor(private readonly options: DeviceConnectionOptions) {}

  get deviceId(): string {
    return this.options.deviceId;
  }

  /** Whether the broker connection is up now (a publish would go out rather than wait). */
  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Calls `listener` after every reconnect (not the first connect); returns the unsubscribe. */
  onReconnected(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async start(): Promise<void> {
    const { mqttUrl, storeId, deviceId, logger } = this.options;
    const statusTopic = topics.deviceStatus(storeId, deviceId);
    let client: MqttClient;
    try {
      client = await connectAsync(
        mqttUrl,
        {
          clientId:
            this.options.persistentSession === true
              ? `walkout-sim-${storeId}-${deviceId}`
              : `walkout-sim-${deviceId}-${randomBytes(4).toString('hex')}`,
          clean: this.options.persistentSession !== true,
          will: { topic: statusTopic, payload: Buffer.from(OFFLINE), qos: 1, retain: true },
          queueQoSZero: this.options.queueQoSZero ?? true,
          connectTimeout: 5000,
          ...mqttAuthOptions(this.options.auth),
          reconnectPeriod: 1000,
        },
        false,
      );
    } catch (err) {
      throw new BrokerUnreachableError(mqttUrl, err);
    }
    this.client = client;
    client.on('error', (err) => logger.warn({ err, device: deviceId }, 'mqtt error'));
    client.on('message', this.dispatch);
    client.on('connect', this.announceOnline);
    await client.publishAsync(statusTopic, ONLINE, { qos: 1, retain: true });
  }

  /** Publishes a topic's payload; the kind ties the payload type to the topic. */
  async publish<K extends TopicKind>(
    _kind: K,
    topic: string,
    payload: TopicPayloads[K],
    qos: 0 | 1,
  ): Promise<void> {
    const client = this.requireClient();
    await client.publishAsync(topic, JSON.stringify(payload), { qos });
  }

  async subscribe(topic: string, handler: MessageHandler): Promise<void> {
    this.handlers.push(handler);
    await this.requireClient().subscribeAsync(topic, { qos: 1 });
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    this.client = undefined;
    client.off('connect', this.announceOnline);
    client.off('message', this.dispatch);
    this.handlers.length = 0;
    this.reconnectListeners.clear();
    try {
      if (client.connected) {
        const statusTopic = topics.deviceStatus(this.options.storeId, this.options.deviceId);
        await client.publishAsync(statusTopic, OFFLINE, { qos: 1, retain: true });
      }
    } finally {
      await client.endAsync();
      client.removeAllListeners();
    }
  }

  private readonly dispatch = (topic: string, payload: Buffer): void => {
    for (const handler of this.handlers) handler(topic, payload);
  };

  /** After a reconnect the broker has published our will: say online again. */
  private readonly announceOnline = (): void => {
    const statusTopic = topics.deviceStatus(this.options.storeId, this.options.deviceId);
    this.client?.publish(statusTopic, ONLINE, { qos: 1, retain: true });
    for (const listener of this.reconnectListeners) listener();
  };

  private requireClient(): MqttClient {
    if (this.client === undefined) throw new Error(`device ${this.options.deviceId} is not connected`);
    return this.client;
  }
}
