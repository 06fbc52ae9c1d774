// The JobQueue for the embedded PGlite database: one process is the whole cloud, so jobs are timers in it.
// Same contract as the pg-boss backend — one job per name and key waiting, retries with doubling delays,
// a scheduled job once a minute — but nothing survives a restart: the minute sweeps find what a restart
// left (pending charges, refunds still refunding), as they would after a pg-boss job was given up.
import type { Clock } from '../../shared/clock.ts';
import type { JobData, JobHandler, JobName, JobQueue, JobQueueSettings, SendOptions } from './job-queue.ts';

interface Waiting {
  timer: ReturnType<typeof setTimeout>;
}

export class InProcessJobQueue implements JobQueue {
  readonly backend = 'in-process';
  /** by job name */
  private readonly handlers = new Map<JobName, JobHandler>();
  /** by `${name}|${key}`: jobs waiting or running (a send with the same key is dropped meanwhile) */
  private readonly pending = new Map<string, Waiting>();
  private readonly running = new Set<Promise<void>>();
  private readonly schedules: JobName[] = [];
  private minuteTimer: ReturnType<typeof setInterval> | undefined;
  private stopped = true;

  constructor(
    private readonly settings: JobQueueSettings,
    private readonly onError: (err: Error) => void,
    private readonly clock: Clock,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.minuteTimer = setInterval(() => {
      for (const name of this.schedules) void this.send(name, {}, { key: `schedule:${this.clock.now()}` });
    }, 60_000);
    this.minuteTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.minuteTimer !== undefined) clearInterval(this.minuteTimer);
    for (const waiting of this.pending.values()) clearTimeout(waiting.timer);
    this.pending.clear();
    await Promise.allSettled([...this.running]);
  }

  async work(name: JobName, handler: JobHandler): Promise<void> {
    this.handlers.set(name, handler);
  }

  async send(name: JobName, data: JobData, options: SendOptions): Promise<void> {
    const id = `${name}|${options.key}`;
    if (this.stopped || this.pending.has(id)) return;
    this.plan(id, name, data, (options.delaySeconds ?? 0) * 1000, 0);
  }

  async everyMinute(name: JobName): Promise<void> {
    if (!this.schedules.includes(name)) this.schedules.push(name);
  }

  private plan(id: string, name: JobName, data: JobData, delayMs: number, attempt: number): void {
    const timer = setTimeout(() => this.run(id, name, data, attempt), delayMs);
    timer.unref();
    this.pending.set(id, { timer });
  }

  private run(id: string, name: JobName, data: JobData, attempt: number): void {
    const handler = this.handlers.get(name);
    if (this.stopped || handler === undefined) {
      this.pending.delete(id);
      return;
    }
    const done = handler(data).then(
      () => {
        this.pending.delete(id);
      },
      (err: unknown) => {
        this.pending.delete(id);
        this.onError(err instanceof Error ? err : new Error(`job ${name}: ${String(err)}`));
        if (this.stopped || attempt >= this.settings.retryLimit) return;
        this.plan(id, name, data, this.settings.retryDelaySeconds * 1000 * 2 ** attempt, attempt + 1);
      },
    );
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }
}
