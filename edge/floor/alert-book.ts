// The alerts staff see: raised once per condition, cleared when it is over, with the active set kept for
// the floor view. Pure bookkeeping; publishing is the caller's.
import type { Alert } from '../../shared/schemas/alert.ts';
import { AlertNotFoundError } from './floor-errors.ts';

export type AlertInput = Omit<Alert, 'v' | 'state'>;

export class AlertBook {
  /** by alert id */
  private readonly active = new Map<string, Alert>();
  /** by alert id: who acknowledged an active alert, and when */
  private readonly acknowledged = new Map<string, { by: string; at: number }>();

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
    this.acknowledged.delete(alertId);
    return { ...raised, state: 'cleared', message, ts };
  }

  /** A person has seen the alert; it stays active until its condition clears. */
  acknowledge(alertId: string, by: string, at: number): { alertId: string; by: string; at: number } {
    if (!this.active.has(alertId)) throw new AlertNotFoundError(alertId);
    this.acknowledged.set(alertId, { by, at });
    return { alertId, by, at };
  }

  list(): (Alert & { acknowledged?: { by: string; at: number } })[] {
    return [...this.active.values()]
      .sort((a, b) => b.ts - a.ts)
      .map((a) => {
        const ack = this.acknowledged.get(a.alertId);
        return ack ? { ...a, acknowledged: ack } : a;
      });
  }
}
