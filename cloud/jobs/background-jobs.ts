// The cloud's background work, registered on the JobQueue: each job runs on one replica and is safe to run
// twice (every step it takes is idempotent), so a retried or taken-over job never charges or refunds twice.
//   charge-retry        a receipt left pending_payment by a provider failure is charged again (sent at the
//                       failure with the visit id; once a minute a sweep also picks up any it missed)
//   refund-finish       a dispute left 'refunding' by a provider failure is refunded and recorded
//   hold-release        entry holds no longer needed are voided: voids that failed, holds of tokens never
//                       used past their expiry, holds of receipts settled without them
//   reservation-expiry  click & collect holds past their expiry are marked expired
//   retention           entry tokens past their retention, expired sessions, ended rate-limit windows deleted
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../shared/clock.ts';
import type { EntryTokenRegistry } from '../accounts/entry-token-registry.ts';
import type { ShopperSessions } from '../accounts/shopper-sessions.ts';
import type { PaymentHolds } from '../billing/payment-holds.ts';
import type { Database } from '../db/database.ts';
import type { DisputeRefunds } from '../disputes/dispute-refunds.ts';
import { pruneRateLimitCounters } from '../http/rate-limit-store.ts';
import type { VisitIngest } from '../receipts/visit-ingest.ts';
import { JOB_NAMES, type JobData, type JobQueue } from './job-queue.ts';

/** Rows one sweep handles at most, so a job takes seconds and a backlog drains over several minutes. */
export const JOB_BATCH = 200;
/** A pending receipt or refunding dispute younger than this is left to its own retry job (ms). */
export const SWEEP_AFTER_MS = 60_000;

export interface BackgroundJobsDeps {
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
  ingest: VisitIngest;
  disputes: DisputeRefunds;
  entryTokens: EntryTokenRegistry;
  sessions: ShopperSessions;
  holds: PaymentHolds;
}

/** Registers the handlers and the once-a-minute sweeps on `queue` (before or after it starts). */
export async function registerBackgroundJobs(queue: JobQueue, deps: BackgroundJobsDeps): Promise<void> {
  await queue.work('charge-retry', (data) => retryCharges(deps, data));
  await queue.work('refund-finish', (data) => finishRefunds(deps, data));
  await queue.work('hold-release', () => releaseHolds(deps));
  await queue.work('reservation-expiry', () => expireReservations(deps));
  await queue.work('retention', () => pruneExpired(deps));
  for (const name of JOB_NAMES) {
    await queue.everyMinute(name);
  }
}

/** Throws when any charge still failed, so the job is retried (with backoff) as a whole. */
async function retryCharges({ db, clock, ingest, log }: BackgroundJobsDeps, data: JobData): Promise<void> {
  const visitIds =
    data.visitId !== undefined
      ? [data.visitId]
      : (
          await db.query<{ visit_id: string }>(
            `SELECT visit_id FROM receipts WHERE status = 'pending_payment' AND updated_at < $1
             ORDER BY updated_at LIMIT $2`,
            [clock.now() - SWEEP_AFTER_MS, JOB_BATCH],
          )
        ).map((row) => row.visit_id);
  let failed = 0;
  for (const visitId of visitIds) {
    await ingest.settlePending(visitId).catch((err: unknown) => {
      failed += 1;
      log.warn({ err, visitId }, 'charge retry failed; retried later');
    });
  }
  if (failed > 0) throw new Error(`${failed} of ${visitIds.length} charge retries failed`);
}

async function finishRefunds({ db, clock, disputes, log }: BackgroundJobsDeps, data: JobData): Promise<void> {
  const disputeIds =
    data.disputeId !== undefined
      ? [data.disputeId]
      : (
          await db.query<{ dispute_id: string }>(
            `SELECT dispute_id FROM disputes WHERE status = 'refunding'
             AND COALESCE(decided_at, created_at) < $1 ORDER BY created_at LIMIT $2`,
            [clock.now() - SWEEP_AFTER_MS, JOB_BATCH],
          )
        ).map((row) => row.dispute_id);
  let failed = 0;
  for (const disputeId of disputeIds) {
    await disputes.finish(disputeId).catch((err: unknown) => {
      failed += 1;
      log.warn({ err, disputeId }, 'refund not finished; retried later');
    });
  }
  if (failed > 0) throw new Error(`${failed} of ${disputeIds.length} refunds not finished`);
}

/** Throws when a void still failed, so the job is retried (with backoff) before the next minute's sweep. */
async function releaseHolds({ holds, log }: BackgroundJobsDeps): Promise<void> {
  const { voided, failed } = await holds.releaseDue(JOB_BATCH);
  if (voided > 0) log.info({ voided }, 'entry holds voided');
  if (failed > 0) throw new Error(`${failed} entry holds not voided`);
}

async function expireReservations({ db, clock, log }: BackgroundJobsDeps): Promise<void> {
  const rows = await db.query(
    `UPDATE reservations SET status = 'expired' WHERE reservation_id IN (
       SELECT reservation_id FROM reservations WHERE status = 'held' AND expires_at <= $1 LIMIT $2)
     RETURNING reservation_id`,
    [clock.now(), JOB_BATCH * 10],
  );
  if (rows.length > 0) log.info({ expired: rows.length }, 'reservations expired');
}

async function pruneExpired({ db, entryTokens, sessions, log }: BackgroundJobsDeps): Promise<void> {
  const tokens = await entryTokens.prune();
  const expiredSessions = await sessions.pruneExpired();
  const counters = await pruneRateLimitCounters(db);
  log.info({ tokens, sessions: expiredSessions, rateLimitCounters: counters }, 'retention pruned');
}
