// A shopper who leaves while a doubtful line may still be theirs: a critical alert naming the shopper and
// the waiting lines, so staff decide before the receipt's hold runs out. Cleared once every line is decided
// or when the hold ran out (the receipt went without them).
import type { Alert } from '../../shared/schemas/alert.ts';
import type { StaffException } from '../fusion/exception-queue.ts';
import type { AlertBook } from './alert-book.ts';

export interface UnresolvedExitDeps {
  alerts: AlertBook;
  /** Open exceptions that list the session as a candidate. */
  openFor: (sessionId: string) => StaffException[];
  publish: (alert: Alert) => void;
  now: () => number;
  /** How long the receipt waits for staff (ms), for the message. */
  holdMs: number;
}

const alertId = (sessionId: string) => `unresolved-exit:${sessionId}`;

export class UnresolvedExitAlerts {
  /** by session id: the account of a shopper who scanned out and whose receipt has not left yet */
  private readonly leaving = new Map<string, string>();
  /** session ids whose alert is raised */
  private readonly raised = new Set<string>();

  constructor(private readonly deps: UnresolvedExitDeps) {}

  /** The shopper scanned out: alert when doubtful lines may still be theirs. */
  exited(session: { sessionId: string; accountId: string }): void {
    this.leaving.set(session.sessionId, session.accountId);
    this.raiseIfWaiting(session.sessionId, session.accountId);
  }

  /** A new exception may name a shopper who already scanned out (the shelf event settled after the exit). */
  exceptionOpened(exception: StaffException): void {
    for (const sessionId of exception.candidateSessions) {
      const accountId = this.leaving.get(sessionId);
      if (accountId !== undefined) this.raiseIfWaiting(sessionId, accountId);
    }
  }

  /** A staff decision: clears the alerts of shoppers with nothing left to decide. */
  recheck(): void {
    for (const sessionId of this.raised) {
      if (this.deps.openFor(sessionId).length > 0) continue;
      this.clear(sessionId, `every line of shopper ${this.leaving.get(sessionId) ?? sessionId} is decided`);
    }
  }

  /** The receipt left (decided, or the hold ran out): the alert is over either way. */
  checkedOut(sessionId: string): void {
    const accountId = this.leaving.get(sessionId) ?? sessionId;
    this.leaving.delete(sessionId);
    if (!this.raised.has(sessionId)) return;
    const left = this.deps.openFor(sessionId).length;
    this.clear(
      sessionId,
      left === 0
        ? `every line of shopper ${accountId} is decided`
        : `hold ran out for shopper ${accountId}: ${left} undecided line${left === 1 ? '' : 's'} not charged (loss)`,
    );
  }

  private raiseIfWaiting(sessionId: string, accountId: string): void {
    const open = this.deps.openFor(sessionId);
    if (open.length === 0) return;
    const lines = open.map((x) => `${x.event.kind} on ${x.event.lanes.join('+')} (${x.reason})`).join(', ');
    const n = open.length;
    const message =
      `shopper ${accountId} (session ${sessionId.slice(0, 8)}) left with ${n} undecided ` +
      `line${n === 1 ? '' : 's'}: ${lines} — decide within ${Math.round(this.deps.holdMs / 1000)} s ` +
      `or ${n === 1 ? 'it is' : 'they are'} not charged`;
    const id = alertId(sessionId);
    // a further line while the alert is up: raise it again with the longer list
    if (this.raised.has(sessionId)) this.deps.alerts.clear(id, this.deps.now(), 'updated');
    const lane = open[0]?.event.lanes[0];
    const alert = this.deps.alerts.raise({
      alertId: id,
      kind: 'doubtful-event',
      severity: 'critical',
      message,
      ...(lane === undefined ? {} : { lane }),
      ts: this.deps.now(),
    });
    if (alert === undefined) return;
    this.raised.add(sessionId);
    this.deps.publish(alert);
  }

  private clear(sessionId: string, message: string): void {
    this.raised.delete(sessionId);
    const cleared = this.deps.alerts.clear(alertId(sessionId), this.deps.now(), message);
    if (cleared !== undefined) this.deps.publish(cleared);
  }
}
