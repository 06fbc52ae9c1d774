// Brings the disputes staff granted in the cloud back to the edge as training data (#17): the cloud cannot
// keep them with frames (it has none), the edge can. Pulled over the store link like the shoppers' flags, every
// few minutes, page by page after a cursor kept in the edge database (a restart goes on where it stopped), with
// backoff while the cloud is unreachable. Each granted line whose pick staff had assigned on the floor view, or
// the edge had billed by itself (its pick clip), and whose frames the edge still holds, becomes a
// `not-this-shopper` decision sample; lines whose frames are gone (past retention, evicted, cameras dark) are
// counted and passed over.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { type GrantedDispute, GrantedDisputesPageSchema } from '../../shared/schemas/granted-disputes.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import { compileValidator, parseJson } from '../../shared/validator.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { BilledBy, DecisionSamples } from '../floor/decision-samples.ts';
import type { HeldFrames, PickClips } from '../floor/pick-clips.ts';
import type { ExceptionQueue } from '../fusion/exception-queue.ts';
import { requestCloud } from './store-link-request.ts';

export interface DisputePullSettings {
  /** How often the cloud is asked (ms). Default 5 min: training data is not urgent, frames last days. */
  everyMs: number;
  /** Longest wait between tries while the cloud fails (ms); doubling from everyMs. */
  maxBackoffMs: number;
  /** Disputes asked for per page (the cloud's bound is 100). */
  pageSize: number;
  /** Pages read in one pull at most; the rest waits for the next pull (bounds one pull's work). */
  maxPagesPerPull: number;
  requestTimeoutMs: number;
}

export const DISPUTE_PULL_DEFAULTS: DisputePullSettings = {
  everyMs: 300_000,
  maxBackoffMs: 3_600_000,
  pageSize: 100,
  maxPagesPerPull: 10,
  requestTimeoutMs: 10_000,
};

export interface DisputePullOptions {
  cloudUrl: string;
  storeId: string;
  credential: string;
  db: EdgeDatabase;
  exceptions: ExceptionQueue;
  samples: DecisionSamples;
  /** Clips of the picks the edge billed by itself. */
  pickClips: PickClips;
  clock: Clock;
  logger: Logger;
  /** Default: wall-clock timers. */
  timers?: Timers;
  settings?: Partial<DisputePullSettings>;
  /** A page the cloud sent was not valid (counted; the cursor stays, the page is asked again). */
  rejected?: () => void;
}

const pageValidator = compileValidator(GrantedDisputesPageSchema);
const CURSOR_NAME = 'granted-disputes';

export class DisputePull {
  private readonly settings: DisputePullSettings;
  private cancel: CancelTimer | undefined;
  private running = false;
  private pulling: Promise<void> | undefined;
  /** Failed pulls in a row: the wait doubles with each, and the failure is logged once per streak. */
  private failures = 0;
  /** samples: kept; of them autoBilled: on picks the edge had billed by itself (from their clips). */
  readonly stats = { disputes: 0, samples: 0, autoBilled: 0, withoutFrames: 0 };

  constructor(private readonly options: DisputePullOptions) {
    this.settings = { ...DISPUTE_PULL_DEFAULTS, ...options.settings };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.settings.everyMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancel?.();
    this.cancel = undefined;
    await this.pulling;
  }

  /** The cursor the next page starts after (undefined: from the first granted dispute). */
  cursor(): string | undefined {
    const row = this.options.db.prepare('SELECT cursor FROM cloud_cursors WHERE name = ?').get(CURSOR_NAME) as
      | { cursor: string }
      | undefined;
    return row?.cursor;
  }

  /** One pull (skipped while the previous one is still out); resolves when done, never rejects. */
  pullOnce(): Promise<void> {
    this.pulling ??= this.pull()
      .then(() => this.recovered())
      .catch((err: unknown) => this.failed(err))
      .finally(() => {
        this.pulling = undefined;
      });
    return this.pulling;
  }

  private schedule(ms: number): void {
    this.cancel = (this.options.timers ?? systemTimers).after(ms, () => {
      void this.pullOnce().then(() => {
        if (this.running) this.schedule(this.nextWaitMs());
      });
    });
  }

  /** The wait before the next pull (ms): everyMs, doubled for each failure in a row up to maxBackoffMs. */
  nextWaitMs(): number {
    const { everyMs, maxBackoffMs } = this.settings;
    return Math.min(maxBackoffMs, everyMs * 2 ** this.failures);
  }

  private async pull(): Promise<void> {
    const { cloudUrl, storeId, credential } = this.options;
    for (let page = 0; page < this.settings.maxPagesPerPull; page++) {
      const query = new URLSearchParams({ limit: String(this.settings.pageSize) });
      const after = this.cursor();
      if (after !== undefined) query.set('after', after);
      const url = `${cloudUrl}/v1/stores/${encodeURIComponent(storeId)}/disputes/decided?${query}`;
      const text = await requestCloud({
        url,
        method: 'GET',
        credential,
        timeoutMs: this.settings.requestTimeoutMs,
      });
      const checked = parseJson(pageValidator, text);
      if (!checked.ok) {
        this.options.rejected?.();
        throw new Error(`the cloud sent granted disputes the edge cannot read: ${checked.errors.join('; ')}`);
      }
      const { disputes, next } = checked.value;
      if (next === null) return;
      this.options.db.transaction(() => {
        for (const dispute of disputes) this.keep(dispute);
        this.options.db
          .prepare(
            `INSERT INTO cloud_cursors (name, cursor, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
          )
          .run(CURSOR_NAME, next, this.options.clock.now());
      })();
      if (disputes.length < this.settings.pageSize) return;
    }
  }

  /**
   * A granted dispute: a sample for each of its events staff had assigned to this shopper, or else the edge
   * had billed them by itself (its pick clip), frames permitting.
   */
  private keep(dispute: GrantedDispute): void {
    this.stats.disputes++;
    let kept = 0;
    for (const eventId of dispute.eventIds) {
      for (const { held, billedBy } of this.framesOf(eventId, dispute.visitId)) {
        const frames = this.options.samples.disputeGranted(
          dispute.disputeId,
          held,
          { sessionId: dispute.visitId, sku: dispute.sku, count: dispute.quantity, billedBy },
          this.options.clock.now(),
        );
        if (frames === 0) continue;
        kept++;
        if (billedBy === 'edge') this.stats.autoBilled++;
      }
    }
    if (kept === 0) this.stats.withoutFrames++;
    this.stats.samples += kept;
    this.options.logger.info(
      { disputeId: dispute.disputeId, samples: kept },
      kept > 0 ? 'granted dispute kept as training data' : 'granted dispute has no frames on this edge',
    );
  }

  /** The frames the edge holds of a billed event: staff's exceptions for it, else the edge's own pick clip. */
  private framesOf(eventId: string, sessionId: string): Array<{ held: HeldFrames; billedBy: BilledBy }> {
    const assigned = this.options.exceptions.assignedFor(eventId, sessionId);
    if (assigned.length > 0)
      return assigned.map(({ exceptionId, event }) => ({
        held: { framesOf: exceptionId, kind: event.kind, lanes: event.lanes },
        billedBy: 'staff',
      }));
    const clip = this.options.pickClips.heldFor(eventId, sessionId);
    return clip === undefined ? [] : [{ held: clip, billedBy: 'edge' }];
  }

  private recovered(): void {
    if (this.failures > 0)
      this.options.logger.info({ failures: this.failures }, 'granted disputes reach the edge again');
    this.failures = 0;
  }

  private failed(err: unknown): void {
    if (this.failures++ === 0)
      this.options.logger.warn(
        { err: (err as Error).message },
        'cannot pull granted disputes from the cloud; retrying with backoff (check CLOUD_URL and the store credential)',
      );
  }
}
