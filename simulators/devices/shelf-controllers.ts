// The shelf controllers on the wire: one MQTT device per shelf (device id = shelf id) publishing the
// emulator's LoadCellBatches on its weights topic at QoS 1, timed by the simulator's clock, storing and
// forwarding them (bounded, in order) while the broker is unreachable — or, in lockstep, handed to the driver
// as they fall due so it can publish them in order.
import type { Logger } from 'pino';
import type { AuthByUsername } from '../../shared/broker/broker-credentials.ts';
import type { Clock } from '../../shared/clock.ts';
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import { topics } from '../../shared/topics.ts';
import { BatchBacklog } from './batch-backlog.ts';
import { DeviceConnection } from './device-connection.ts';
import type { LoadCellEmulator } from './load-cell-emulator.ts';

export interface ShelfControllersOptions {
  store: StoreIndex;
  emulator: LoadCellEmulator;
  mqttUrl: string;
  clock: Clock;
  /** Device time runs `speed` times faster than wall time. */
  speed: number;
  /** Lockstep: no timer of its own; the driver takes what is due with `dueBatches`. */
  stepped?: boolean;
  /** Each controller's broker credential, by device id (= shelf id). */
  auth?: AuthByUsername;
  logger: Logger;
  /** Persistent broker sessions under stable client ids (a store's controllers; default off). */
  persistentSessions?: boolean;
  /** Batches each controller keeps while the broker is unreachable (default DEFAULT_BACKLOG_BATCHES). */
  backlogBatches?: number;
}

/** One device message ready to go on the wire. */
export type DeviceSend = () => Promise<void>;

export class ShelfControllers {
  /** by shelf id */
  private readonly connections = new Map<string, DeviceConnection>();
  /** by shelf id: batches waiting for the broker */
  private readonly backlogs = new Map<string, BatchBacklog>();
  /** by shelf id: a backlog being sent */
  private readonly draining = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private publishedBatches = 0;
  /** Batches that waited in a backlog and went out after a reconnect. */
  private forwardedBatches = 0;
  private failedBatches = 0;

  constructor(private readonly options: ShelfControllersOptions) {}

  get stats(): {
    publishedBatches: number;
    failedBatches: number;
    forwardedBatches: number;
    bufferedBatches: number;
    droppedBatches: number;
  } {
    const backlogs = [...this.backlogs.values()];
    return {
      publishedBatches: this.publishedBatches,
      failedBatches: this.failedBatches,
      forwardedBatches: this.forwardedBatches,
      bufferedBatches: backlogs.reduce((n, b) => n + b.size, 0),
      droppedBatches: backlogs.reduce((n, b) => n + b.dropped, 0),
    };
  }

  async start(): Promise<void> {
    const { store, mqttUrl, logger } = this.options;
    for (const shelf of store.config.shelves) {
      const deviceLogger = logger.child({ device: shelf.id });
      this.connections.set(
        shelf.id,
        new DeviceConnection({
          mqttUrl,
          storeId: store.config.storeId,
          deviceId: shelf.id,
          auth: this.options.auth?.(shelf.id),
          logger: deviceLogger,
          queueQoSZero: false,
          persistentSession: this.options.persistentSessions === true,
        }),
      );
      this.backlogs.set(shelf.id, new BatchBacklog(this.options.backlogBatches));
    }
    try {
      await Promise.all([...this.connections.values()].map((c) => c.start()));
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.running = true;
    for (const [shelfId, connection] of this.connections)
      connection.onReconnected(() => void this.drain(shelfId));
    if (this.options.stepped !== true) this.schedule();
  }

  /** Lockstep: every batch whose last sample is at or before `ts`, in a fixed order, ready to publish. */
  dueBatches(ts: number): DeviceSend[] {
    return this.options.emulator.produceDue(ts).flatMap((batch) => {
      const connection = this.connections.get(batch.device);
      if (connection === undefined) return [];
      const topic = topics.shelfWeights(this.options.store.config.storeId, batch.device);
      return [
        async () => {
          await connection.publish('shelfWeights', topic, batch, 0);
          this.publishedBatches += 1;
        },
      ];
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const connections = [...this.connections.values()];
    this.connections.clear();
    this.backlogs.clear();
    await Promise.all(connections.map((c) => c.stop()));
  }

  private schedule(): void {
    if (!this.running) return;
    const { emulator, clock, speed } = this.options;
    const waitMs = Math.max(1, (emulator.nextDueTs() - clock.now()) / speed);
    this.timer = setTimeout(this.publishDue, waitMs);
  }

  private readonly publishDue = (): void => {
    this.timer = undefined;
    const { emulator, clock, store, logger } = this.options;
    for (const batch of emulator.produceDue(clock.now())) {
      const connection = this.connections.get(batch.device);
      const backlog = this.backlogs.get(batch.device);
      if (connection === undefined || backlog === undefined) continue;
      // offline, or older batches still going out: this one waits its turn
      if (!connection.connected || backlog.size > 0 || this.draining.has(batch.device)) {
        backlog.push(batch);
        continue;
      }
      const topic = topics.shelfWeights(store.config.storeId, batch.device);
      connection.publish('shelfWeights', topic, batch, 1).then(
        () => {
          this.publishedBatches += 1;
        },
        (err: unknown) => {
          this.failedBatches += 1;
          logger.debug({ err, device: batch.device, seq: batch.seq }, 'load-cell batch not sent');
        },
      );
    }
    this.schedule();
  };

  /** Sends a controller's backlog after a reconnect, oldest first, one acknowledged batch at a time. */
  private async drain(shelfId: string): Promise<void> {
    const connection = this.connections.get(shelfId);
    const backlog = this.backlogs.get(shelfId);
    if (connection === undefined || backlog === undefined || this.draining.has(shelfId)) return;
    this.draining.add(shelfId);
    const topic = topics.shelfWeights(this.options.store.config.storeId, shelfId);
    try {
      for (let batch = backlog.peek(); batch !== undefined && this.running; batch = backlog.peek()) {
        if (!connection.connected) return;
        await connection.publish('shelfWeights', topic, batch satisfies LoadCellBatch, 1);
        backlog.shift();
        this.publishedBatches += 1;
        this.forwardedBatches += 1;
      }
    } catch (err) {
      this.options.logger.debug({ err, device: shelfId }, 'backlog not sent; kept for the next reconnect');
    } finally {
      this.draining.delete(shelfId);
    }
  }
}
