// Picks the job backend for the database: pg-boss on PostgreSQL (its tables in <schema>_jobs, or
// walkout_jobs), the in-process runner on PGlite, whose single connection pg-boss cannot share.
import { systemClock } from '../../shared/clock.ts';
import type { Database } from '../db/database.ts';
import { InProcessJobQueue } from './in-process-job-queue.ts';
import type { JobQueue, JobQueueSettings } from './job-queue.ts';
import { PgBossJobQueue } from './pg-boss-job-queue.ts';

export interface JobQueueTarget {
  databaseUrl?: string | undefined;
  postgresSchema?: string | undefined;
}

/** The schema pg-boss keeps its tables in for a cloud whose tables are in `postgresSchema`. */
export const jobsSchemaOf = (postgresSchema: string | undefined) =>
  postgresSchema === undefined ? 'walkout_jobs' : `${postgresSchema}_jobs`;

export function openJobQueue(
  db: Database,
  target: JobQueueTarget,
  settings: JobQueueSettings,
  report: (err: Error) => void,
): JobQueue {
  if (db.kind === 'pglite' || target.databaseUrl === undefined) {
    return new InProcessJobQueue(settings, report, systemClock);
  }
  return new PgBossJobQueue({
    url: target.databaseUrl,
    schema: jobsSchemaOf(target.postgresSchema),
    settings,
    onError: report,
  });
}
