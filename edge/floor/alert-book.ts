// The alerts staff see: raised once per condition, cleared when it is over, with the active set kept for
// the floor view. Pure bookkeeping; publishing is the caller's.
import type { Alert } from '../../shared/schemas/alert.ts';

export type AlertInput = Omit<Alert, 'v' | 'state'>;

export class AlertBook {
  /** by alert id */
  private readonly active = new Map<string, Alert>();

  /** Returns the alert to publish, or undefined when it is already raised. */
  raise(input: AlertInput): Alert | undefined {
    if (this.active.has(input.alertId)) return undefined;
    const alert: Alert = { v: 1, state: 'raised', ...input };
    this.active.set(input.alertId, alert);
    return alert;
  }

  /** Returns the clearing message, or undefined when nothing was raised under that id. */
  clear(alertId: string, ts: number, message: string): Alert | undefined {
    const raised = this.active.get(alertId);
    if (raised === undefined) return undefined;
    this.active.delete(alertId);
    return { ...raised, state: 'cleared', message, ts };
  }

  list(): Alert[] {
    return [...this.active.values()].sort((a, b) => b.ts - a.ts);
  }
}
