// A supervisor on the floor view, for benches that run a staffed store: signs in to the edge's floor API and
// decides each open staff exception a while after it opened (the time a person takes to look at its frames),
// with the answer the caller's ground truth gives (who did it, which product), or drops it when the truth
// is not among its candidates. Without one, a doubtful line holds its shopper's receipt for the whole
// staff-decision window (exceptionHoldMs), as in an unstaffed store.
import type { FloorSnapshot } from '../../shared/schemas/floor-snapshot.ts';

type OpenException = FloorSnapshot['exceptions'][number];

/** What really happened in an exception's event: whose it was and what moved. */
export interface ExceptionTruth {
  sessionId: string;
  sku: string;
  count: number;
}

export interface FloorSupervisorOptions {
  /** The edge's HTTP base URL. */
  edgeUrl: string;
  user: string;
  password: string;
  /** How long after an exception opened the supervisor decides it (ms, wall clock). */
  reactionMs: number;
  /** How often the floor's state is read (ms). */
  pollMs?: number;
  truthOf: (exception: OpenException) => ExceptionTruth | undefined;
}

export class FloorSupervisor {
  assigned = 0;
  dropped = 0;
  /** Decisions the edge refused (already decided by the system, the session billed meanwhile, …). */
  refused = 0;
  /** Rounds that failed (the floor API unreachable or refusing), with the last reason. */
  failedRounds = 0;
  lastError: unknown;
  private token: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  /** by exception id: first seen (wall clock), so the reaction time runs from when staff could see it */
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: FloorSupervisorOptions) {}

  async start(): Promise<void> {
    const login = await fetch(`${this.options.edgeUrl}/floor/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: this.options.user, password: this.options.password }),
    });
    if (!login.ok) throw new Error(`floor login answered ${login.status}: ${await login.text()}`);
    this.token = ((await login.json()) as { token: string }).token;
    this.timer = setInterval(() => void this.round(), this.options.pollMs ?? 250);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get decisions(): number {
    return this.assigned + this.dropped;
  }

  private async round(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const state = (await this.call('GET', '/floor/api/state')) as FloorSnapshot;
      const now = Date.now();
      // exceptions decided by someone else (or the system) are no longer on the floor: forget them
      const shown = new Set(state.exceptions.map((x) => x.exceptionId));
      for (const id of this.seen.keys()) if (!shown.has(id)) this.seen.delete(id);
      for (const x of state.exceptions) {
        const since = this.seen.get(x.exceptionId) ?? now;
        this.seen.set(x.exceptionId, since);
        if (x.status !== 'open' || now - since < this.options.reactionMs) continue;
        const truth = this.options.truthOf(x);
        const ok =
          truth !== undefined && x.candidateSessions.includes(truth.sessionId)
            ? await this.decide(`/floor/api/exceptions/${x.exceptionId}/assign`, truth, 'assigned')
            : await this.decide(
                `/floor/api/exceptions/${x.exceptionId}/drop`,
                { note: 'the frames show someone else' },
                'dropped',
              );
        if (!ok) this.refused++;
        this.seen.delete(x.exceptionId);
      }
    } catch (err) {
      this.failedRounds++;
      this.lastError = err;
    } finally {
      this.busy = false;
    }
  }

  private async decide(path: string, body: object, outcome: 'assigned' | 'dropped'): Promise<boolean> {
    const res = await this.request('POST', path, body);
    if (!res.ok) return false;
    this[outcome]++;
    return true;
  }

  private async call(method: string, path: string): Promise<unknown> {
    const res = await this.request(method, path);
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  }

  private request(method: string, path: string, body?: object): Promise<Response> {
    return fetch(`${this.options.edgeUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  }
}
