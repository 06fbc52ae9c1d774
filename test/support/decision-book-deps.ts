// The decision book's dependencies as the edge wires them, on an in-memory edge database, for tests that
// drive decisions (or fusion's wiring) without a whole edge: the session store with `shoppers` inside from
// `enteredAt`, the exception queue, the floor hub and recorder, and the unresolved-exit alerts.
import pino from 'pino';
import { SessionStore } from '../../edge/checkout/session-store.ts';
import { type EdgeDatabase, openEdgeDatabase } from '../../edge/db/edge-database.ts';
import { createEdgeMetrics, type EdgeMetrics } from '../../edge/edge-metrics.ts';
import { AlertBook } from '../../edge/floor/alert-book.ts';
import { FloorHub } from '../../edge/floor/floor-hub.ts';
import { FloorRecorder } from '../../edge/floor/floor-recorder.ts';
import { UnresolvedExitAlerts } from '../../edge/floor/unresolved-exit-alerts.ts';
import type { DecisionBookDeps } from '../../edge/fusion/decision-book.ts';
import { ExceptionQueue } from '../../edge/fusion/exception-queue.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Alert } from '../../shared/schemas/alert.ts';
import type { StoreIndex } from '../../shared/store-config.ts';

export interface DecisionBookOptions {
  store: StoreIndex;
  clock: Clock;
  /** Sessions opened (party of 1, through G-IN), by id. */
  shoppers?: readonly string[];
  /** When they came in (default: the clock's now). */
  enteredAt?: number;
  /** How long a receipt waits for open exceptions before an unresolved-exit alert (ms; default 120 s). */
  holdMs?: number;
  /** Where unresolved-exit alerts go (default nowhere). */
  publishAlert?: (alert: Alert | undefined) => void;
  metrics?: EdgeMetrics;
  /** The floor recorder on the test's database (default one that keeps no frames' callbacks). */
  recorder?: (db: EdgeDatabase) => FloorRecorder;
}

export interface DecisionBookSetup {
  db: EdgeDatabase;
  sessions: SessionStore;
  exceptions: ExceptionQueue;
  alerts: AlertBook;
  deps: DecisionBookDeps;
}

export function decisionBookDeps(options: DecisionBookOptions): DecisionBookSetup {
  const { store, clock } = options;
  const db = openEdgeDatabase(':memory:');
  const sessions = new SessionStore(db);
  const exceptions = new ExceptionQueue(db);
  const alerts = new AlertBook();
  const enteredAt = options.enteredAt ?? clock.now();
  for (const sessionId of options.shoppers ?? [])
    sessions.open({
      sessionId,
      accountId: `acc-${sessionId}`,
      party: 1,
      entryTokenId: `tok-${sessionId}`,
      entryGate: 'G-IN',
      enteredAt,
    });
  const deps: DecisionBookDeps = {
    sessions,
    exceptions,
    outputs: { publish: () => {} },
    hub: new FloorHub(() => clock.now()),
    recorder: options.recorder?.(db) ?? new FloorRecorder({ store, db, clock, onFrames: () => {} }),
    exitAlerts: new UnresolvedExitAlerts({
      alerts,
      openFor: (id) => exceptions.openFor(id),
      publish: options.publishAlert ?? (() => {}),
      now: () => clock.now(),
      holdMs: options.holdMs ?? 120_000,
    }),
    metrics: options.metrics ?? createEdgeMetrics(),
    clock,
    logger: pino({ level: 'silent' }),
  };
  return { db, sessions, exceptions, alerts, deps };
}
