// Pure core: decides whose cart a shelf event goes to. In this first version an event goes to a session
// only when exactly one session was in the store for the whole event; otherwise the edge refuses to guess
// (vision and fusion will resolve several shoppers).

export interface SessionSpan {
  sessionId: string;
  enteredAt: number;
  /** Undefined while the shopper is still inside. */
  exitedAt: number | undefined;
}

export interface Attribution {
  sessionId: string | null;
  attribution: 'sole-session' | 'unattributed';
  /** Sessions that could have done it. */
  candidates: string[];
}

export function attributeEvent(
  startTs: number,
  endTs: number,
  sessions: readonly SessionSpan[],
): Attribution {
  const candidates = sessions
    .filter((s) => s.enteredAt <= startTs && (s.exitedAt === undefined || s.exitedAt >= endTs))
    .map((s) => s.sessionId);
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined)
    return { sessionId: only, attribution: 'sole-session', candidates };
  return { sessionId: null, attribution: 'unattributed', candidates };
}
