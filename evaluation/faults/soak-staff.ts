// The soak's floor staff: a supervisor who, every half minute, clears the exceptions whose receipt has already
// gone without them (the soak's shoppers are many at a time and have no cameras, so many picks go to staff).
// Through the floor API, as a person at the floor view would; without it the soak would measure a queue
// nobody works, which no staffed store has.
const DEMO_SUPERVISOR = { user: 'manager', password: 'walkout-demo' };

export interface SoakStaffOptions {
  edgeUrl: string;
  /** How often the queue is looked at (ms). */
  everyMs: number;
  /** Exceptions older than this (edge clock, ms) are cleared: their receipt went without them. */
  olderThanMs: number;
}

export interface SoakStaff {
  /** Exceptions cleared so far. */
  readonly dropped: number;
  stop(): Promise<void>;
}

export function startSoakStaff(options: SoakStaffOptions): SoakStaff {
  let token: string | undefined;
  let dropped = 0;
  let running = true;
  let round: Promise<void> = Promise.resolve();
  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    if (token === undefined) {
      const login = await fetch(`${options.edgeUrl}/floor/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(DEMO_SUPERVISOR),
      });
      if (!login.ok) throw new Error(`floor sign-in refused: ${login.status}`);
      token = ((await login.json()) as { token: string }).token;
    }
    const response = await fetch(`${options.edgeUrl}${path}`, {
      ...init,
      headers: { ...(init.headers ?? {}), authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 401) token = undefined;
    return response;
  };
  const clearQueue = async () => {
    const state = await call('/floor/api/state');
    if (!state.ok) return;
    const { exceptions, serverTime } = (await state.json()) as {
      exceptions: { exceptionId: string; createdAt: number }[];
      serverTime: number;
    };
    for (const exception of exceptions) {
      if (!running || exception.createdAt > serverTime - options.olderThanMs) continue;
      const answer = await call(`/floor/api/exceptions/${encodeURIComponent(exception.exceptionId)}/drop`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'soak: the receipt went without it' }),
      });
      if (answer.ok) dropped++;
    }
  };
  const timer = setInterval(() => {
    // one round at a time; a round that fails (the edge busy) is simply the next one's to do
    round = round.then(() => (running ? clearQueue().catch(() => undefined) : undefined));
  }, options.everyMs);
  return {
    get dropped() {
      return dropped;
    },
    async stop() {
      running = false;
      clearInterval(timer);
      await round;
    },
  };
}
