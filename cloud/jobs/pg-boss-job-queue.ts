// The JobQueue on PostgreSQL through pg-boss: jobs are rows in the pg-boss schema, fetched with
// SELECT … FOR UPDATE SKIP LOCKED so one replica runs each; a job still active after expireInSeconds (its
// replica died) is failed by pg-boss's maintenance and retried by whichever replica fetches it next. Every
// queue is 'stately': at most one job per name and key waiting and one running, so repeated sends collapse.
import PgBoss from 'pg-boss';
import type { JobData, JobHandler, JobName, JobQueue, JobQueueSettings, SendOptions } from './job-queue.ts';
import { JOB_NAMES } from './job-queue.ts';

export interface PgBossJobQueueOptions {
  url: string;
  /** The pg-boss tables' schema (the cloud's own schema name + "_jobs" for isolated runs). */
  schema: string;
  settings: JobQueueSettings;
  onError: (err: Error) => void;
}

export class PgBossJobQueue implements JobQueue {
  readonly backend = 'pg-boss';
  private readonly boss: PgBoss;
  private readonly settings: JobQueueSettings;
  private started = false;

  constructor(options: PgBossJobQueueOptions) {
    this.settings = options.settings;
    this.boss = new PgBoss({
      connectionString: options.url,
      schema: options.schema,
      application_name: `walkout-jobs:${options.schema}`,
      max: 4,
      maintenanceIntervalSeconds: options.settings.maintenanceIntervalSeconds,
      // Completed jobs are kept a day for inspection, then archived and dropped by pg-boss.
      archiveCompletedAfterSeconds: 24 * 3600,
      deleteAfterDays: 7,
    });
    this.boss.on('error', options.onError);
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
    const { retryLimit, retryDelaySeconds, expireInSeconds } = this.settings;
    for (const name of JOB_NAMES) {
      const queue = {
        name,
        policy: 'stately' as const,
        retryLimit,
        retryDelay: retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds,
      };
      // Two replicas starting together may both create it: the second finds it there.
      if ((await this.boss.getQueue(name)) === null) await this.boss.createQueue(name, queue).catch(() => {});
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 5000, wait: true });
  }

  async work(name: JobName, handler: JobHandler): Promise<void> {
    await this.boss.work<JobData>(
      name,
      { pollingIntervalSeconds: this.settings.pollingIntervalSeconds, batchSize: 1 },
      async (jobs) => {
        for (const job of jobs) await handler(job.data);
      },
    );
  }

  async send(name: JobName, data: JobData, options: SendOptions): Promise<void> {
    await this.boss.send(name, data, {
      singletonKey: options.key,
      ...(options.delaySeconds === undefined ? {} : { startAfter: options.delaySeconds }),
    });
  }

  async everyMinute(name: JobName): Promise<void> {
    await this.boss.schedule(name, '* * * * *', {}, { singletonKey: 'schedule' });
  }
}
