// Delivers the outbox to the cloud until acknowledged: one POST per item with its idempotency key,
// exponential backoff on network errors and 5xx/429, dead-letter on other 4xx (kept, counted, logged).
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import type { Outbox, OutboxItem } from './outbox.ts';

export interface CloudSyncOptions {
  cloudUrl: string;
  storeId: string;
  credential: string;
  outbox: Outbox;
  clock: Clock;
  /** Default: wall-clock timers. */
  timers?: Timers;
  logger: Logger;
  /** Called after the cloud acknowledged an item, with its JSON answer. */
  onDelivered?: (item: OutboxItem, answer: unknown) => void;
  onFailed?: (item: OutboxItem, error: string) => void;
  requestTimeoutMs?: number;
  maxBackoffMs?: number;
}

const PATH_BY_KIND: Record<string, (storeId: string) => string> = {
  visit: (storeId) => `/v1/stores/${encodeURIComponent(storeId)}/visits`,
};

export class CloudSync {
  private cancelRetry: CancelTimer | undefined;
  private running = false;
  private draining: Promise<void> | undefined;

  constructor(private readonly options: CloudSyncOptions) {}

  start(): void {
    this.running = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    await this.draining;
  }

  /** Resolves once no delivery is in flight (a lockstep run waits for it before time moves on). */
  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  /** Deliver now (called after an enqueue) instead of waiting for the next scheduled attempt. */
  kick(): void {
    if (!this.running || this.draining !== undefined) return;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      this.schedule();
    });
  }

  private schedule(): void {
    if (!this.running) return;
    const next = this.options.outbox.nextDueAt();
    if (next === undefined) return;
    const wait = Math.max(0, Math.min(next - this.options.clock.now(), 60_000));
    this.cancelRetry = (this.options.timers ?? systemTimers).after(wait, () => this.kick());
  }

  private async drain(): Promise<void> {
    const { outbox, clock } = this.options;
    for (;;) {
      if (!this.running) return;
      const items = outbox.due(clock.now(), 16);
      if (items.length === 0) return;
      await Promise.all(items.map((item) => this.deliver(item)));
    }
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const { outbox, clock, logger } = this.options;
    const pathOf = PATH_BY_KIND[item.kind];
    if (pathOf === undefined) {
      outbox.markFailed(item.id, `no cloud route for outbox kind ${item.kind}`, clock.now());
      return;
    }
    const url = `${this.options.cloudUrl}${pathOf(this.options.storeId)}`;
    let status = 0;
    let text = '';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.options.credential}`,
          'idempotency-key': item.key,
        },
        body: item.body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
      status = response.status;
      text = await response.text();
    } catch (err) {
      return this.retry(item, `cannot reach cloud at ${this.options.cloudUrl}: ${(err as Error).message}`);
    }
    if (status >= 200 && status < 300) {
      outbox.markDelivered(item.id, clock.now());
      let answer: unknown = text;
      try {
        answer = JSON.parse(text);
      } catch {
        // a non-JSON acknowledgement is still an acknowledgement
      }
      this.options.onDelivered?.(item, answer);
      return;
    }
    if (status === 429 || status >= 500)
      return this.retry(item, `cloud answered ${status}: ${text.slice(0, 200)}`);
    const error = `cloud refused ${item.key} with ${status}: ${text.slice(0, 500)}`;
    logger.error({ key: item.key, status }, `${error} — kept in the outbox as failed; fix and requeue`);
    outbox.markFailed(item.id, error, clock.now());
    this.options.onFailed?.(item, error);
  }

  private retry(item: OutboxItem, error: string): void {
    const backoff = Math.min(this.options.maxBackoffMs ?? 30_000, 250 * 2 ** Math.min(item.attempts, 10));
    this.options.logger.warn({ key: item.key, attempts: item.attempts + 1, retryInMs: backoff }, error);
    this.options.outbox.markRetry(item.id, error, this.options.clock.now() + backoff);
  }
}
