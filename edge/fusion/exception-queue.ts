// The staff exception queue: shelf events the edge will not bill on its own (nobody or several shoppers
// could have done it; the product is ambiguous or unknown). Staff assign them to a session or drop them;
// every decision is audited. Persisted so a restart loses no open decision.
import type { ProductHypothesis, ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';

/**
 * `shopper-flag`: the shopper said "I didn't take this" of a counted line (#18); staff confirm or remove it.
 * `age-check`: the shopper picked an age-restricted product; a supervisor checks their ID and confirms the
 * line (billed) or refuses it (removed).
 */
export type ExceptionReason =
  | 'unattributed'
  | 'ambiguous-product'
  | 'unknown-product'
  | 'shopper-flag'
  | 'age-check';

/** Exception ids of shopper flags start with this (flag-<flagId>). */
const FLAG_PREFIX = 'flag-';

export interface StaffException {
  exceptionId: string;
  reason: ExceptionReason;
  status: 'open' | 'resolved' | 'dropped';
  createdAt: number;
  event: ShelfEvent;
  /** Sessions that could have done it. */
  candidateSessions: string[];
  /** Products that could explain it, best first. */
  candidateProducts: ProductHypothesis[];
  /** The cloud's id of the shopper's flag (reason shopper-flag). */
  flagId?: string;
  resolution?:
    | { sessionId: string; sku: string; count: number; by: string; at: number }
    | { dropped: true; by: string; at: number; note: string };
}

/** Why a staff decision on an exception was refused; `code` is stable (the floor API answers with it). */
export type ExceptionErrorCode =
  | 'exception_not_found'
  | 'already_decided'
  | 'not_a_candidate'
  | 'session_not_billable';

export abstract class ExceptionError extends Error {
  abstract readonly code: ExceptionErrorCode;

  constructor(
    readonly exceptionId: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ExceptionNotFoundError extends ExceptionError {
  readonly code = 'exception_not_found';

  constructor(exceptionId: string) {
    super(exceptionId, `no exception ${exceptionId}`);
  }
}

/** Assigned or dropped before (by staff, or by the exit match). */
export class AlreadyDecidedError extends ExceptionError {
  readonly code = 'already_decided';

  constructor(exceptionId: string) {
    super(exceptionId, `exception ${exceptionId} was already decided`);
  }
}

/** The chosen session was not in the store when the event happened. */
export class NotACandidateError extends ExceptionError {
  readonly code = 'not_a_candidate';

  constructor(
    exceptionId: string,
    readonly sessionId: string,
  ) {
    super(exceptionId, `session ${sessionId} was not in the store for this event`);
  }
}

/** The chosen session's receipt is already billed: a line can no longer be added to it. */
export class SessionNotBillableError extends ExceptionError {
  readonly code = 'session_not_billable';

  constructor(
    exceptionId: string,
    readonly sessionId: string,
  ) {
    super(exceptionId, `session ${sessionId} was already billed; record it as a loss instead`);
  }
}

export class ExceptionQueue {
  /** by exception id: open ones */
  private readonly open = new Map<string, StaffException>();

  constructor(private readonly db: EdgeDatabase) {
    const rows = db.prepare("SELECT body FROM exceptions WHERE status = 'open'").all() as { body: string }[];
    for (const row of rows) {
      const exception = JSON.parse(row.body) as StaffException;
      this.open.set(exception.exceptionId, exception);
    }
  }

  /** Opens an exception for an event, or returns undefined when the edge can bill it on its own. */
  consider(event: ShelfEvent, candidateSessions: string[], now: number): StaffException | undefined {
    const reason: ExceptionReason | undefined =
      event.hypotheses.length === 0
        ? 'unknown-product'
        : event.ambiguous
          ? 'ambiguous-product'
          : event.sessionId === null
            ? 'unattributed'
            : undefined;
    // nobody inside (staff restocking, a bump): nothing to bill, the stock alert is enough
    if (reason === undefined || candidateSessions.length === 0) return undefined;
    const exception: StaffException = {
      exceptionId: `x-${event.eventId}`,
      reason,
      status: 'open',
      createdAt: now,
      event,
      // the cameras named the shopper and only the product is in doubt: theirs is the one receipt that waits
      // for staff, not every receipt of the shoppers inside (fusion still ranks them all)
      candidateSessions: event.sessionId === null ? candidateSessions : [event.sessionId],
      candidateProducts: event.hypotheses,
    };
    this.open.set(exception.exceptionId, exception);
    this.save(exception);
    return exception;
  }

  /**
   * Opens the staff decision on a pick the shopper flagged "I didn't take this": assigning it to the shopper
   * confirms the line, dropping it removes the line. Undefined when this flag was opened before (the cloud
   * may deliver a flag again until the edge's acknowledgement arrives).
   */
  openFlag(flagId: string, pick: ShelfEvent, sessionId: string, now: number): StaffException | undefined {
    const exceptionId = `${FLAG_PREFIX}${flagId}`;
    if (this.db.prepare('SELECT 1 FROM exceptions WHERE exception_id = ?').get(exceptionId)) return undefined;
    const exception: StaffException = {
      exceptionId,
      reason: 'shopper-flag',
      status: 'open',
      createdAt: now,
      event: pick,
      candidateSessions: [sessionId],
      candidateProducts: pick.hypotheses,
      flagId,
    };
    this.open.set(exceptionId, exception);
    this.save(exception);
    return exception;
  }

  /**
   * Opens the ID check on a pick of an age-restricted product by `sessionId`: assigning it confirms the line,
   * dropping it removes the line. Undefined when this pick's check was opened before.
   */
  openAgeCheck(pick: ShelfEvent, sessionId: string, now: number): StaffException | undefined {
    const exceptionId = `age-${pick.eventId}`;
    if (this.db.prepare('SELECT 1 FROM exceptions WHERE exception_id = ?').get(exceptionId)) return undefined;
    const exception: StaffException = {
      exceptionId,
      reason: 'age-check',
      status: 'open',
      createdAt: now,
      event: pick,
      candidateSessions: [sessionId],
      candidateProducts: pick.hypotheses,
    };
    this.open.set(exceptionId, exception);
    this.save(exception);
    return exception;
  }

  /** The shopper flags of a session, open or decided, oldest first. */
  flagsOf(sessionId: string): StaffException[] {
    const rows = this.db
      .prepare(
        `SELECT body FROM exceptions WHERE exception_id >= ? AND exception_id < ?
           AND json_extract(body, '$.candidateSessions[0]') = ? ORDER BY created_at`,
      )
      .all(FLAG_PREFIX, `${FLAG_PREFIX}\uffff`, sessionId) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as StaffException);
  }

  /** Decided exceptions of shelf event `eventId` that staff assigned to `sessionId` (a granted dispute's lines). */
  assignedFor(eventId: string, sessionId: string): StaffException[] {
    const rows = this.db
      .prepare(
        `SELECT body FROM exceptions WHERE status = 'resolved' AND json_extract(body, '$.event.eventId') = ?
           AND json_extract(body, '$.resolution.sessionId') = ?`,
      )
      .all(eventId, sessionId) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as StaffException);
  }

  list(): StaffException[] {
    return [...this.open.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * A pick of `sku` (or of a product not known) still waits for staff or the exit: someone's item not on a cart
   * yet. An ID check's pick is already the shopper's: only its billing waits.
   */
  undecidedPickOf(sku: string): boolean {
    return this.list().some(
      (x) =>
        x.reason !== 'age-check' &&
        x.event.kind === 'pick' &&
        (x.event.hypotheses.length === 0 || x.event.hypotheses.some((h) => h.sku === sku)),
    );
  }

  /** Open exceptions that may still add a line to this session's cart. */
  openFor(sessionId: string): StaffException[] {
    return this.list().filter((e) => e.candidateSessions.includes(sessionId));
  }

  /** Staff assign the event to a session with a product and count; returns the event as billed. */
  assign(
    exceptionId: string,
    choice: { sessionId: string; sku: string; count: number },
    by: string,
    now: number,
    isSessionOpen: (id: string) => boolean,
  ): ShelfEvent {
    const exception = this.require(exceptionId);
    if (!exception.candidateSessions.includes(choice.sessionId)) {
      throw new NotACandidateError(exceptionId, choice.sessionId);
    }
    if (!isSessionOpen(choice.sessionId)) throw new SessionNotBillableError(exceptionId, choice.sessionId);
    const event: ShelfEvent = {
      ...exception.event,
      sessionId: choice.sessionId,
      attribution: 'staff',
      ambiguous: false,
      hypotheses: [{ sku: choice.sku, count: choice.count, likelihood: 1 }],
    };
    exception.status = 'resolved';
    exception.resolution = { ...choice, by, at: now };
    this.close(exception, by, now, 'assign', choice);
    return event;
  }

  /**
   * A candidate was shown not to have done it (`by`, e.g. the exit's alibi): the exception no longer names
   * them, and its event carries the evidence that showed it. Undefined when they are not a candidate, or are
   * the last one (someone did it: staff decide).
   */
  clearCandidate(
    exceptionId: string,
    sessionId: string,
    event: ShelfEvent,
    by: string,
    now: number,
  ): StaffException | undefined {
    const exception = this.require(exceptionId);
    const rest = exception.candidateSessions.filter((id) => id !== sessionId);
    if (rest.length === exception.candidateSessions.length || rest.length === 0) return undefined;
    exception.candidateSessions = rest;
    exception.event = event;
    this.save(exception);
    this.audit(by, 'clear-candidate', exceptionId, { sessionId }, now);
    return exception;
  }

  drop(exceptionId: string, by: string, note: string, now: number): StaffException {
    const exception = this.require(exceptionId);
    exception.status = 'dropped';
    exception.resolution = { dropped: true, by, at: now, note };
    this.close(exception, by, now, 'drop', { note });
    return exception;
  }

  /** Records something a person or the system decided, for the audit trail. */
  audit(actor: string, action: string, subject: string, details: unknown, now: number): void {
    this.db
      .prepare('INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)')
      .run(now, actor, action, subject, JSON.stringify(details));
  }

  auditTrail(limit = 100): { at: number; actor: string; action: string; subject: string; details: string }[] {
    return this.db
      .prepare('SELECT at, actor, action, subject, details FROM audit_log ORDER BY id DESC LIMIT ?')
      .all(limit) as {
      at: number;
      actor: string;
      action: string;
      subject: string;
      details: string;
    }[];
  }

  private close(exception: StaffException, by: string, now: number, action: string, details: unknown): void {
    this.open.delete(exception.exceptionId);
    this.save(exception);
    this.audit(by, action, exception.exceptionId, details, now);
  }

  private require(exceptionId: string): StaffException {
    const exception = this.open.get(exceptionId);
    if (exception === undefined) {
      const known = this.db.prepare('SELECT 1 FROM exceptions WHERE exception_id = ?').get(exceptionId);
      throw known ? new AlreadyDecidedError(exceptionId) : new ExceptionNotFoundError(exceptionId);
    }
    return exception;
  }

  private save(exception: StaffException): void {
    this.db
      .prepare(
        'INSERT INTO exceptions (exception_id, status, created_at, body) VALUES (?, ?, ?, ?) ON CONFLICT (exception_id) DO UPDATE SET status = excluded.status, body = excluded.body',
      )
      .run(exception.exceptionId, exception.status, exception.createdAt, JSON.stringify(exception));
  }
}
