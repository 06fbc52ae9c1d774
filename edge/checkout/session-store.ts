// Shopping sessions and their shelf events, persisted in SQLite so an edge restart keeps every open
// visit; sessions still in the store are mirrored in memory for per-event attribution.
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { SessionSpan } from '../fusion/attributor.ts';

export interface ShoppingSession {
  sessionId: string;
  accountId: string;
  party: number;
  /** The jti of the entry token the session was opened on (undefined for sessions from before it was kept). */
  entryTokenId: string | undefined;
  /** The entry token said the shopper consents to behaviour from the floor (#19); false for older tokens. */
  behaviourConsent: boolean;
  entryGate: string;
  enteredAt: number;
  exitGate: string | undefined;
  exitedAt: number | undefined;
  status: 'open' | 'closing' | 'closed';
}

interface SessionRow {
  session_id: string;
  account_id: string;
  party: number;
  entry_token_id: string | null;
  behaviour_consent: number;
  entry_gate: string;
  entered_at: number;
  exit_gate: string | null;
  exited_at: number | null;
  status: 'open' | 'closing' | 'closed';
}

const fromRow = (r: SessionRow): ShoppingSession => ({
  sessionId: r.session_id,
  accountId: r.account_id,
  party: r.party,
  entryTokenId: r.entry_token_id ?? undefined,
  behaviourConsent: r.behaviour_consent === 1,
  entryGate: r.entry_gate,
  enteredAt: r.entered_at,
  exitGate: r.exit_gate ?? undefined,
  exitedAt: r.exited_at ?? undefined,
  status: r.status,
});

/** Closed sessions stay in memory this long so late-detected events before their exit still attribute. */
const RECENTLY_CLOSED_MS = 60_000;

/**
 * Most closed sessions a put-back's holder is looked for among: a busy store's exits of the last minutes (a
 * few hundred at most), so a put-back never scans the whole day.
 */
const CLOSED_LOOKED_AT = 500;

export class SessionStore {
  /** by session id: sessions not yet closed, plus recently closed ones */
  private readonly live = new Map<string, ShoppingSession>();

  constructor(private readonly db: EdgeDatabase) {
    const rows = db.prepare("SELECT * FROM sessions WHERE status != 'closed'").all() as SessionRow[];
    for (const row of rows) this.live.set(row.session_id, fromRow(row));
  }

  /** `behaviourConsent` defaults to false: nothing is derived without the token saying so. */
  open(
    session: Omit<ShoppingSession, 'status' | 'exitGate' | 'exitedAt' | 'behaviourConsent'> & {
      behaviourConsent?: boolean;
    },
  ): ShoppingSession {
    const full: ShoppingSession = {
      ...session,
      behaviourConsent: session.behaviourConsent === true,
      exitGate: undefined,
      exitedAt: undefined,
      status: 'open',
    };
    this.db
      .prepare(
        "INSERT INTO sessions (session_id, account_id, party, entry_token_id, behaviour_consent, entry_gate, entered_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
      )
      .run(
        full.sessionId,
        full.accountId,
        full.party,
        full.entryTokenId ?? null,
        full.behaviourConsent ? 1 : 0,
        full.entryGate,
        full.enteredAt,
      );
    this.live.set(full.sessionId, full);
    return full;
  }

  openSessionOf(accountId: string): ShoppingSession | undefined {
    for (const s of this.live.values()) if (s.accountId === accountId && s.status === 'open') return s;
    return undefined;
  }

  get(sessionId: string): ShoppingSession | undefined {
    return this.live.get(sessionId);
  }

  /** A line can still be added to this session's receipt (it is known and not yet billed). */
  isBillable(sessionId: string): boolean {
    const session = this.live.get(sessionId);
    return session !== undefined && session.status !== 'closed';
  }

  /** Sessions inside now (open) or that left recently: the candidates for attributing an event. */
  spans(): SessionSpan[] {
    return [...this.live.values()].map((s) => ({
      sessionId: s.sessionId,
      enteredAt: s.enteredAt,
      exitedAt: s.exitedAt,
    }));
  }

  inStore(): ShoppingSession[] {
    return [...this.live.values()].filter((s) => s.status === 'open');
  }

  /** The shopper passed the exit: no later event is theirs; the receipt is being settled. */
  /** `exitGate` undefined: closed without an exit scan and without the cameras seeing where (lost-exit.ts). */
  markClosing(
    sessionId: string,
    exitGate: string | undefined,
    exitedAt: number,
  ): ShoppingSession | undefined {
    const session = this.live.get(sessionId);
    if (session === undefined || session.status !== 'open') return undefined;
    session.status = 'closing';
    session.exitGate = exitGate;
    session.exitedAt = exitedAt;
    this.db
      .prepare("UPDATE sessions SET status = 'closing', exit_gate = ?, exited_at = ? WHERE session_id = ?")
      .run(exitGate ?? null, exitedAt, sessionId);
    return session;
  }

  /** Closing sessions (e.g. after a restart) whose receipt still has to be built. */
  closing(): ShoppingSession[] {
    return [...this.live.values()].filter((s) => s.status === 'closing');
  }

  markClosed(sessionId: string, now: number): void {
    const session = this.live.get(sessionId);
    if (session !== undefined) session.status = 'closed';
    this.db.prepare("UPDATE sessions SET status = 'closed' WHERE session_id = ?").run(sessionId);
    for (const [id, s] of this.live) {
      if (s.status === 'closed' && s.exitedAt !== undefined && now - s.exitedAt > RECENTLY_CLOSED_MS)
        this.live.delete(id);
    }
  }

  recordEvent(event: ShelfEvent): void {
    this.db
      .prepare(
        'INSERT INTO shelf_events (event_id, session_id, start_ts, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(event.eventId, event.sessionId, event.startTs, JSON.stringify(event));
  }

  /** Replaces a recorded event (a staff decision attributed it). */
  updateEvent(event: ShelfEvent): void {
    this.db
      .prepare(
        'INSERT INTO shelf_events (event_id, session_id, start_ts, body) VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET session_id = excluded.session_id, body = excluded.body',
      )
      .run(event.eventId, event.sessionId, event.startTs, JSON.stringify(event));
  }

  /**
   * Sessions whose receipt was issued, exited at or after `since`, newest first (at most `limit`): what they
   * were billed for can still come back to a shelf (closed-carts.ts).
   */
  closedSince(since: number, limit = CLOSED_LOOKED_AT): ShoppingSession[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM sessions WHERE status = 'closed' AND exited_at >= ? ORDER BY exited_at DESC LIMIT ?",
      )
      .all(since, limit) as SessionRow[];
    return rows.map(fromRow);
  }

  /** Recently closed sessions, newest first (for replay on the floor view). */
  recentVisits(limit: number): ShoppingSession[] {
    const rows = this.db
      .prepare("SELECT * FROM sessions WHERE status = 'closed' ORDER BY exited_at DESC LIMIT ?")
      .all(limit) as SessionRow[];
    return rows.map(fromRow);
  }

  eventsOf(sessionId: string): ShelfEvent[] {
    const rows = this.db
      .prepare('SELECT body FROM shelf_events WHERE session_id = ? ORDER BY start_ts')
      .all(sessionId) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as ShelfEvent);
  }
}
