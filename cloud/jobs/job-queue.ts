// The cloud's background work as named jobs: one interface, two backends. On PostgreSQL the jobs live in the
// database through pg-boss (pg-boss-job-queue.ts), so with several cloud replicas exactly one replica runs
// each job and a job whose replica died is retried by another once it expires. On the embedded PGlite demo
// (one process, one connection, no second replica possible) an in-process runner (in-process-job-queue.ts)
// keeps the same contract.

/** The kinds of background work (see background-jobs.ts for what each does). */
export type JobName = 'charge-retry' | 'refund-finish' | 'hold-release' | 'reservation-expiry' | 'retention';

export type JobData = Readonly<Record<string, string>>;

/** Runs one job; a throw (or rejection) means "try again later", up to JobQueueSettings.retryLimit times. */
export type JobHandler = (data: JobData) => Promise<void>;

export interface SendOptions {
  /** While a job of this name and key is waiting or running, another send with the same key is dropped. */
  key: string;
  /** Run no earlier than this many seconds from now (default 0). */
  delaySeconds?: number;
}

export interface JobQueueSettings {
  /** Attempts after the first before a job is given up (and left for the sweeps to find again). */
  retryLimit: number;
  /** Seconds before the first retry; doubled on each further retry. */
  retryDelaySeconds: number;
  /**
   * A running job not finished after this many seconds is taken to have died with its replica and is
   * retried by another. Every job here is bounded (batches of at most JOB_BATCH rows), so it takes seconds.
   */
  expireInSeconds: number;
  /** How often an idle worker asks for work (seconds; pg-boss polls). */
  pollingIntervalSeconds: number;
  /** How often expired jobs are looked for (seconds; pg-boss maintenance). */
  maintenanceIntervalSeconds: number;
}

/** Chosen so a provider outage of a few minutes is retried through (5+10+20+40+80 s) before the sweep. */
export const DEFAULT_JOB_QUEUE_SETTINGS: JobQueueSettings = {
  retryLimit: 5,
  retryDelaySeconds: 5,
  expireInSeconds: 60,
  pollingIntervalSeconds: 2,
  maintenanceIntervalSeconds: 30,
};

export interface JobQueue {
  readonly backend: 'pg-boss' | 'in-process';
  start(): Promise<void>;
  /** Stops taking work and waits (bounded) for running jobs; unfinished ones are retried later. */
  stop(): Promise<void>;
  /** Runs `handler` for the jobs of `name` on this replica (call before or after start). */
  work(name: JobName, handler: JobHandler): Promise<void>;
  send(name: JobName, data: JobData, options: SendOptions): Promise<void>;
  /** Runs `name` once a minute across all replicas together (cron "* * * * *"), on one of them. */
  everyMinute(name: JobName): Promise<void>;
}

export const JOB_NAMES: readonly JobName[] = [
  'charge-retry',
  'refund-finish',
  'hold-release',
  'reservation-expiry',
  'retention',
];
