// "Check ID": a warning on the floor view while a shopper's pick of an age-restricted product waits for a
// supervisor, naming the shopper, the product and the lane; cleared by the supervisor's decision.
import type { Alert } from '../../shared/schemas/alert.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { StaffException } from '../fusion/exception-queue.ts';
import type { AlertBook } from './alert-book.ts';

export interface AgeCheckAlertsDeps {
  alerts: AlertBook;
  store: StoreIndex;
  /** The account of a session, for the message. */
  accountOf: (sessionId: string) => string | undefined;
  publish: (alert: Alert | undefined) => void;
  now: () => number;
}

const alertId = (exceptionId: string) => `id-check:${exceptionId}`;

export class AgeCheckAlerts {
  constructor(private readonly deps: AgeCheckAlertsDeps) {}

  /** Whether a product may be sold only after an ID check. */
  isAgeRestricted(sku: string): boolean {
    return this.deps.store.productBySku.get(sku)?.ageRestricted === true;
  }

  raise(check: StaffException): void {
    const { store, accountOf, alerts, publish, now } = this.deps;
    const sessionId = check.candidateSessions[0] ?? '?';
    const sku = check.event.hypotheses[0]?.sku ?? '?';
    const product = store.productBySku.get(sku)?.name ?? sku;
    const lane = check.event.lanes[0];
    publish(
      alerts.raise({
        alertId: alertId(check.exceptionId),
        kind: 'id-check',
        severity: 'warning',
        message:
          `check ID: shopper ${accountOf(sessionId) ?? sessionId} (session ${sessionId.slice(0, 8)}) picked ` +
          `${product}${lane === undefined ? '' : ` on ${lane}`} — confirm or refuse it on the floor view before they leave`,
        ...(lane === undefined ? {} : { lane }),
        ts: now(),
      }),
    );
  }

  decided(exceptionId: string, outcome: string): void {
    this.deps.publish(this.deps.alerts.clear(alertId(exceptionId), this.deps.now(), outcome));
  }
}
