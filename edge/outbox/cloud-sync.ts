// Delivers the outbox to the cloud until acknowledged: one POST per item, oldest first, with its idempotency
// key. The cloud's answer decides (cloud-answer.ts): network errors, 5xx and 429 back off the whole link
// (exponential with jitter, Retry-After honoured; retry-policy.ts) so the backlog later drains in order; a
// "not yet" for one item (a return waiting for its receipt) backs off that item only, and the items behind it
// go on; a refused credential holds items for an operator; a refused visit is kept as dead, and so is an item
// the caller gives up waiting for (`giveUp`). Never drops one.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import { outcomeOf } from './cloud-answer.ts';
import type { Outbox, OutboxItem } from './outbox.ts';
import { DEFAULT_RETRY, nextRetryMs, type RetrySettings, retryAfterMs } from './retry-policy.ts';

export interface CloudSyncOptions {
  cloudUrl: string;
  storeId: string;
  credential: string;
  outbox: Outbox;
  clock: Clock;
  /** Default: wall-clock timers. */
  timers?: Timers;
  /** Uniform in [0, 1) for the backoff's jitter (default Math.random; seeded in tests). */
  random?: () => number;
  logger: Logger;
  /** Called after the cloud acknowledged an item, with its JSON answer. */
  onDelivered?: (item: OutboxItem, answer: unknown) => void;
  /**
   * The item is dead (kept for an operator): the cloud refused it for good (`cause` 'refused'), or `giveUp`
   * gave up waiting for it (its cause).
   */
  onFailed?: (item: OutboxItem, error: string, cause: string) => void;
  /**
   * The cloud answered "not yet" for this item (its `code`), as it has for `waitingMs` (since the first such
   * answer, or the operator's last retry): why to give up on it (it goes dead), or undefined to try it again on
   * its own backoff. Default: never give up.
   */
  giveUp?: (item: OutboxItem, answer: { code: string | undefined; waitingMs: number }) => GiveUp | undefined;
  /** Backoff of one item the cloud answered "not yet" for (default: `retry`). */
  notYetRetry?: RetrySettings;
  /** The cloud refused the edge's credential or address: the item is held (an alert is due). */
  onHeld?: (item: OutboxItem, error: string) => void;
  /** A delivery went through while items were held: they were released (the alert can clear). */
  onLinkRestored?: (released: number) => void;
  requestTimeoutMs?: number;
  retry?: RetrySettings;
  /** While items are held, the oldest is tried again this often (ms, default 5 min): a fix on the cloud's side is noticed. */
  heldProbeMs?: number;
}

/** Why an item the cloud keeps answering "not yet" for is set aside: a short cause (a metric label) and what to do. */
export interface GiveUp {
  cause: string;
  reason: string;
}

const PATH_BY_KIND: Record<string, (storeId: string) => string> = {
  visit: (storeId) => `/v1/stores/${encodeURIComponent(storeId)}/visits`,
  cart: (storeId) => `/v1/stores/${encodeURIComponent(storeId)}/cart-updates`,
  return: (storeId) => `/v1/stores/${encodeURIComponent(storeId)}/returns`,
};

/** Longest the loop sleeps between looks at the outbox (ms): a clock jump or an operator's re-queue is noticed within it. */
const MAX_SLEEP_MS = 60_000;

export class CloudSync {
  private cancelRetry: CancelTimer | undefined;
  private running = false;
  private draining: Promise<void> | undefined;
  /** Failed attempts in a row (network, 5xx, 429): the link's backoff exponent. */
  private consecutiveFailures = 0;
  /** Nothing is sent before this (edge clock, ms): the link is backing off. */
  private linkRetryAt = 0;
  /** Next probe of a held item (edge clock, ms). */
  private heldProbeAt: number | undefined;
  /** The cloud refused the link since the last delivery went through (the alert is up). */
  private holding = false;

  constructor(private readonly options: CloudSyncOptions) {}

  /** Releases items held before a restart (the restart may carry the fixed credential) and starts sending. */
  start(): void {
    this.running = true;
    const released = this.options.outbox.releaseHeld(this.options.clock.now());
    this.holding = released > 0;
    if (released > 0)
      this.options.logger.warn({ released }, 'held visits released at start: trying the cloud again');
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

  /** Deliver now (after an enqueue or an operator's retry) instead of waiting for the next scheduled look. */
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
    const { outbox, clock } = this.options;
    const now = clock.now();
    const due = outbox.nextDueAt();
    const nextSend = due === undefined ? undefined : Math.max(due, this.linkRetryAt);
    if (outbox.hasHeld()) this.heldProbeAt ??= now + (this.options.heldProbeMs ?? 300_000);
    else this.heldProbeAt = undefined;
    // with nothing due it still looks once a minute: rows an operator re-queued (npm run outbox) are found
    const next = Math.min(nextSend ?? Number.POSITIVE_INFINITY, this.heldProbeAt ?? Number.POSITIVE_INFINITY);
    const wait = Math.max(0, Math.min(next - now, MAX_SLEEP_MS));
    this.cancelRetry = (this.options.timers ?? systemTimers).after(wait, () => this.kick());
  }

  private async drain(): Promise<void> {
    const { outbox, clock, logger } = this.options;
    if (this.heldProbeAt !== undefined && clock.now() >= this.heldProbeAt) {
      this.heldProbeAt = undefined;
      if (outbox.releaseOldestHeld(clock.now()))
        logger.info('trying the oldest held visit again: has the credential been fixed?');
    }
    // one at a time, oldest first: a backlog reaches the cloud in the order the visits ended
    while (this.running && clock.now() >= this.linkRetryAt) {
      const [item] = outbox.due(clock.now(), 1);
      if (item === undefined) return;
      await this.deliver(item);
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
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${this.options.credential}`,
          'idempotency-key': item.key,
        },
        body: item.body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
      text = await response.text();
    } catch (err) {
      return this.backOff(item, `cannot reach cloud at ${this.options.cloudUrl}: ${(err as Error).message}`);
    }
    const outcome = outcomeOf(response.status, text);
    switch (outcome.kind) {
      case 'delivered':
        return this.delivered(item, text);
      case 'retry':
        return this.backOff(
          item,
          outcome.reason,
          retryAfterMs(response.headers.get('retry-after'), clock.now(), this.settings()),
        );
      case 'hold': {
        const error = `${outcome.reason} — held: fix the store credential or CLOUD_URL, then restart the edge or run npm run outbox -- retry --all-held`;
        logger.error({ key: item.key, status: response.status }, error);
        outbox.markHeld(item.id, error, clock.now());
        this.holding = true;
        this.options.onHeld?.(item, error);
        return;
      }
      case 'not-yet':
        return this.notYet(
          item,
          outcome,
          retryAfterMs(response.headers.get('retry-after'), clock.now(), this.notYetSettings()),
        );
      case 'dead':
        return this.dead(item, `cloud refused ${item.key}: ${outcome.reason}`, 'refused');
    }
  }

  /** Kept as dead for an operator: never tried again on its own. */
  private dead(item: OutboxItem, error: string, cause: string): void {
    const { outbox, clock, logger } = this.options;
    logger.error(
      { key: item.key, cause },
      `${error} — kept as dead (npm run outbox -- list --state dead; retry --id <id> resends it)`,
    );
    outbox.markFailed(item.id, error, clock.now());
    this.options.onFailed?.(item, error, cause);
  }

  /** The cloud works but cannot take this item yet: it waits on its own backoff (or is given up); the rest go on. */
  private notYet(
    item: OutboxItem,
    answer: { reason: string; code: string | undefined },
    retryAfter?: number,
  ) {
    const { outbox, clock, logger } = this.options;
    const now = clock.now();
    this.consecutiveFailures = 0;
    const waitingMs = now - outbox.notReadySince(item.id, now);
    const giveUp = this.options.giveUp?.(item, { code: answer.code, waitingMs });
    if (giveUp !== undefined)
      return this.dead(
        item,
        `${item.key} set aside: ${giveUp.reason} (last answer: ${answer.reason})`,
        giveUp.cause,
      );
    const random = (this.options.random ?? Math.random)();
    const waitMs = nextRetryMs(item.attempts + 1, random, retryAfter, this.notYetSettings());
    logger.info(
      { key: item.key, attempts: item.attempts + 1, waitingMs, retryInMs: waitMs },
      `${answer.reason} — this item waits, the ones behind it go on`,
    );
    outbox.markRetry(item.id, answer.reason, now + waitMs);
  }

  private delivered(item: OutboxItem, text: string): void {
    const { outbox, clock, logger } = this.options;
    outbox.markDelivered(item.id, clock.now());
    this.consecutiveFailures = 0;
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // a non-JSON acknowledgement is still an acknowledgement
    }
    this.options.onDelivered?.(item, answer);
    const released = outbox.releaseHeld(clock.now());
    if (released > 0 || this.holding) {
      this.holding = false;
      logger.info({ released }, 'the cloud takes deliveries again: held visits released');
      this.heldProbeAt = undefined;
      this.options.onLinkRestored?.(released);
    }
  }

  /** The link is down or busy: this item and every later one wait until the backoff (or Retry-After) is over. */
  private backOff(item: OutboxItem, error: string, retryAfter?: number): void {
    const { clock, logger, outbox } = this.options;
    this.consecutiveFailures++;
    const random = (this.options.random ?? Math.random)();
    const waitMs = nextRetryMs(this.consecutiveFailures, random, retryAfter, this.settings());
    this.linkRetryAt = clock.now() + waitMs;
    logger.warn(
      {
        key: item.key,
        attempts: item.attempts + 1,
        failuresInARow: this.consecutiveFailures,
        retryInMs: waitMs,
      },
      error,
    );
    outbox.markRetry(item.id, error, this.linkRetryAt);
  }

  private settings(): RetrySettings {
    return this.options.retry ?? DEFAULT_RETRY;
  }

  private notYetSettings(): RetrySettings {
    return this.options.notYetRetry ?? this.settings();
  }
}
