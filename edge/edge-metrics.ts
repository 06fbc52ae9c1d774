// The edge's Prometheus metrics (walkout_edge_*), one registry per edge instance so tests can run several.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxCounts } from './outbox/outbox.ts';

/** `processMetrics`: also the process's own (memory, event-loop lag), one process-wide collector only. */
export function createEdgeMetrics(processMetrics = false) {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'walkout_edge_' });
  return {
    registry,
    ...mqttMetrics(registry),
    ...shelfMetrics(registry),
    ...gateMetrics(registry),
    ...checkoutMetrics(registry),
    ...outboxMetrics(registry),
    ...returnsMetrics(registry),
    ...liveCartMetrics(registry),
    ...housekeepingMetrics(registry),
  };
}

/** Device messages at the MQTT boundary. */
function mqttMetrics(registry: Registry) {
  return {
    messagesReceived: new Counter({
      name: 'walkout_edge_messages_received_total',
      help: 'MQTT messages received, by topic kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    messagesRejected: new Counter({
      name: 'walkout_edge_messages_rejected_total',
      help: 'MQTT messages dropped at the boundary, by topic kind and reason',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
  };
}

/** Shelf events, missed changes and load-cell health. */
function shelfMetrics(registry: Registry) {
  return {
    shelfEvents: new Counter({
      name: 'walkout_edge_shelf_events_total',
      help: 'Picks and put-backs detected, by kind and attribution',
      labelNames: ['kind', 'attribution'],
      registers: [registry],
    }),
    missedChanges: new Counter({
      name: 'walkout_edge_missed_changes_total',
      help: 'Lane weight changes found after a restart (the edge was not listening) and billed as shelf events',
      registers: [registry],
    }),
    sensorStates: new Counter({
      name: 'walkout_edge_sensor_state_changes_total',
      help: 'Load-cell health changes, by the state entered',
      labelNames: ['state'],
      registers: [registry],
    }),
  };
}

/** Gate decisions and who is inside. */
function gateMetrics(registry: Registry) {
  return {
    gateDecisions: new Counter({
      name: 'walkout_edge_gate_decisions_total',
      help: 'Gate scans answered, by gate kind, action and reason',
      labelNames: ['gate_kind', 'action', 'reason'],
      registers: [registry],
    }),
    sessionsInStore: new Gauge({
      name: 'walkout_edge_sessions_in_store',
      help: 'Shopping sessions currently inside the store',
      registers: [registry],
    }),
  };
}

/** Receipts and what staff were left to decide. */
function checkoutMetrics(registry: Registry) {
  return {
    receiptSettleMs: new Histogram({
      name: 'walkout_edge_receipt_settle_ms',
      help: 'Exit scan to receipt queued in the outbox, ms, by what held it last (checkout.ts › receiptWaitLabel)',
      labelNames: ['waited_for'],
      buckets: [50, 100, 250, 500, 1000, 2000, 5000, 10000],
      registers: [registry],
    }),
    unresolvedAtCheckout: new Counter({
      name: 'walkout_edge_unresolved_exceptions_at_checkout_total',
      help: 'Doubtful events left undecided when a receipt had to go: not charged, recorded as loss',
      registers: [registry],
    }),
    exceptions: new Counter({
      name: 'walkout_edge_exceptions_total',
      help: 'Shelf events sent to staff, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

/** What an outbox holds by state, read when scraped (`Outbox.counts`). */
export type OutboxCountsReader = () => OutboxCounts;

/** Deliveries to the cloud. */
function outboxMetrics(registry: Registry) {
  /** by item kind (visit, return, cart): read at each scrape */
  const readers = new Map<string, OutboxCountsReader>();
  return {
    /** Reports `read`'s counts as walkout_edge_outbox_items{kind, state} at every scrape. */
    watchOutbox: (kind: string, read: OutboxCountsReader) => {
      readers.set(kind, read);
    },
    outboxItems: new Gauge({
      name: 'walkout_edge_outbox_items',
      help: 'Outbox items by kind (visit, return, cart) and state (pending, held, dead, delivered and not yet pruned): a visit or return pending for long is a receipt or refund owed',
      labelNames: ['kind', 'state'],
      registers: [registry],
      collect() {
        for (const [kind, read] of readers) {
          const c = read();
          this.set({ kind, state: 'pending' }, c.pending);
          this.set({ kind, state: 'held' }, c.held);
          this.set({ kind, state: 'dead' }, c.failed);
          this.set({ kind, state: 'delivered' }, c.delivered);
        }
      },
    }),
    outboxDelivered: new Counter({
      name: 'walkout_edge_outbox_delivered_total',
      help: 'Outbox items acknowledged by the cloud',
      registers: [registry],
    }),
    outboxFailed: new Counter({
      name: 'walkout_edge_outbox_failed_total',
      help: 'Outbox items the cloud refused for good (dead; kept, npm run outbox -- retry resends)',
      registers: [registry],
    }),
    outboxHeld: new Counter({
      name: 'walkout_edge_outbox_held_total',
      help: 'Outbox items held because the cloud refused the edge credential or address',
      registers: [registry],
    }),
  };
}

/** Returns after the receipt (#13): queued, refunded by the cloud, or set aside for staff. */
function returnsMetrics(registry: Registry) {
  return {
    returnsQueued: new Counter({
      name: 'walkout_edge_returns_queued_total',
      help: 'Items put back after their receipt, queued for the cloud to refund (once per put-back)',
      registers: [registry],
    }),
    returnsRefunded: new Counter({
      name: 'walkout_edge_returns_refunded_total',
      help: 'Returns the cloud acknowledged as refunded',
      registers: [registry],
    }),
    returnsDead: new Counter({
      name: 'walkout_edge_returns_dead_total',
      help: 'Returns set aside for staff (dead: refund by hand, or npm run outbox -- retry), by cause: refused (the cloud refused it), visit_dead, visit_missing (its visit will never reach the cloud), waited_too_long (not yet past RETURN_MAX_WAIT_HOURS)',
      labelNames: ['cause'],
      registers: [registry],
    }),
  };
}

/** The shoppers' live carts and their "I didn't take this" flags (#18). */
function liveCartMetrics(registry: Registry) {
  return {
    liveCartUpdates: new Counter({
      name: 'walkout_edge_live_cart_updates_total',
      help: 'Live-cart snapshots queued for the cloud (one per change of a shopper cart)',
      registers: [registry],
    }),
    liveCartSuperseded: new Counter({
      name: 'walkout_edge_live_cart_superseded_total',
      help: 'Undelivered live-cart snapshots dropped because newer ones of the same cart were queued (link down)',
      registers: [registry],
    }),
    shopperFlags: new Counter({
      name: 'walkout_edge_shopper_flags_total',
      help: 'Shopper flags ("I did not take this") by what became of them: opened, refused (no such line or visit over), confirmed, removed',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

/** The floor view, retention and sessions closed without an exit scan. */
function housekeepingMetrics(registry: Registry) {
  return {
    floorClientsDropped: new Counter({
      name: 'walkout_edge_floor_clients_dropped_total',
      help: 'Floor-view WebSocket clients disconnected because they fell too far behind (bufferedAmount over the bound)',
      registers: [registry],
    }),
    rowsPruned: new Counter({
      name: 'walkout_edge_rows_pruned_total',
      help: 'Edge database rows deleted by the retention job, by table',
      labelNames: ['table'],
      registers: [registry],
    }),
    pickClips: new Counter({
      name: 'walkout_edge_pick_clips_total',
      help: 'Clips of picks the edge attributed by itself, by outcome (kept, or empty: no camera frame in the window)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    pickClipsEvicted: new Counter({
      name: 'walkout_edge_pick_clips_evicted_total',
      help: 'Pick clips deleted, by reason (age: past their retention; bytes: the oldest above the byte bound)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    pickClipBytes: new Gauge({
      name: 'walkout_edge_pick_clip_bytes',
      help: 'JPEG bytes the pick clips hold (bounded by PICK_CLIPS_MAX_MB)',
      registers: [registry],
    }),
    sessionsClosedWithoutExitScan: new Counter({
      name: 'walkout_edge_sessions_closed_without_exit_scan_total',
      help: 'Sessions closed without an exit scan, by what closed them (cameras saw the exit, or the maximum visit time)',
      labelNames: ['by'],
      registers: [registry],
    }),
  };
}

export type EdgeMetrics = ReturnType<typeof createEdgeMetrics>;
