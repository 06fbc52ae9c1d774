// Runs one kind of statement for many concurrent requests at once: the calls made in one event-loop turn (and,
// while `maxInFlight` batches are out, until one returns) go to the database as ONE statement over arrays, so
// the server parses, plans, executes and commits once for all of them instead of once each. Every call keeps
// its own answer and its own error: when the batch statement fails (it rolled back whole), each of its items
// runs again alone. Items sharing a key (a visit id, an entry token) never share a batch, so a batch
// statement never meets the same row twice; the one that has to wait goes in the next batch.

export interface StatementBatchSettings {
  /** Most items in one statement (its arrays' length). */
  maxItems: number;
  /** Batches out at once; calls made meanwhile wait for the next one (grows the batches under load). */
  maxInFlight: number;
}

export interface BatchedStatement<In, Out> {
  /** Runs `items` as one statement: one answer per item, in their order (an Error is that item's refusal). */
  run(items: readonly In[]): Promise<Array<Out | Error>>;
  /** What an item must not share with another item of its batch (default: nothing). */
  keysOf?(item: In): readonly string[];
}

interface Pending<In, Out> {
  item: In;
  resolve(out: Out): void;
  reject(err: unknown): void;
}

export class StatementBatcher<In, Out> {
  private queue: Array<Pending<In, Out>> = [];
  private inFlight = 0;
  private flushScheduled = false;

  constructor(
    private readonly statement: BatchedStatement<In, Out>,
    private readonly settings: StatementBatchSettings,
  ) {}

  /** Runs `item` in the next batch: its own answer, or its own error. */
  run(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.queue.length === 0 || this.inFlight >= this.settings.maxInFlight) return;
    this.flushScheduled = true;
    // After the I/O callbacks of this turn, so every request answered in it joins the batch.
    setImmediate(() => {
      this.flushScheduled = false;
      while (this.queue.length > 0 && this.inFlight < this.settings.maxInFlight) {
        const batch = this.takeBatch();
        this.inFlight += 1;
        void this.runBatch(batch).finally(() => {
          this.inFlight -= 1;
          this.scheduleFlush();
        });
      }
    });
  }

  /** The oldest items, up to maxItems, that share no key; the rest stay queued in their order. */
  private takeBatch(): Array<Pending<In, Out>> {
    const { keysOf } = this.statement;
    if (keysOf === undefined) return this.queue.splice(0, this.settings.maxItems);
    const taken: Array<Pending<In, Out>> = [];
    const left: Array<Pending<In, Out>> = [];
    const keys = new Set<string>();
    for (const pending of this.queue) {
      const own = keysOf(pending.item);
      if (taken.length >= this.settings.maxItems || own.some((key) => keys.has(key))) {
        left.push(pending);
        continue;
      }
      for (const key of own) keys.add(key);
      taken.push(pending);
    }
    this.queue = left;
    return taken;
  }

  private async runBatch(batch: Array<Pending<In, Out>>): Promise<void> {
    let answers: Array<Out | Error>;
    try {
      answers = await this.statement.run(batch.map((pending) => pending.item));
      if (answers.length !== batch.length) {
        throw new Error(`batched statement answered ${answers.length} of ${batch.length} items`);
      }
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
      // One item may have failed the whole statement (rolled back): each runs again alone.
      await Promise.all(batch.map((pending) => this.runBatch([pending])));
      return;
    }
    batch.forEach((pending, at) => {
      const answer = answers[at] as Out | Error;
      if (answer instanceof Error) pending.reject(answer);
      else pending.resolve(answer);
    });
  }
}

/**
 * Chosen on bench:cloud on PostgreSQL (48 concurrent edges, 2 cores shared with other jobs, load 13-17), 3 runs
 * each: maxInFlight 1 and 2 cost the same CPU per receipt (2.52 and 2.54 ms mean; 8.4 and 6.8 visits a
 * batch), 4 more (2.96 ms, 6-7 visits a batch); 2 keeps one batch waiting on a row lock from
 * holding up the next. maxItems 64 bounds a statement's arrays (the bench's 48 edges, some sending a visit 2-3 times, rarely fill it).
 */
export const DEFAULT_STATEMENT_BATCH_SETTINGS: StatementBatchSettings = { maxItems: 64, maxInFlight: 2 };
