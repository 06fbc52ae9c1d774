// The shelf stage as the edge runs it: the shelf monitor plus what its findings mean for the store —
// lane stock stored and published (retained), sensor health published (retained), and alerts for low
// stock, misplaced items and unhealthy load cells.

import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { Alert } from '../../shared/schemas/alert.ts';
import type { LaneStockMessage, SensorState, ShelfHealthMessage } from '../../shared/schemas/lane-stock.ts';
import type { DetectedShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { AlertBook } from '../floor/alert-book.ts';
import type { LaneStockState, StockNote } from './lane-stock.ts';
import { LevelCheckpoints } from './level-checkpoints.ts';
import { ShelfMonitor } from './shelf-monitor.ts';
import { StockStore } from './stock-store.ts';

export interface ShelfStagePublisher {
  stock(message: LaneStockMessage): void;
  health(message: ShelfHealthMessage): void;
  alert(alert: Alert): void;
}

/** Share of capacity at or below which a lane is low on stock. */
const LOW_STOCK_SHARE = 0.2;

export class ShelfStage {
  readonly monitor: ShelfMonitor;
  private readonly stockStore: StockStore;

  constructor(
    private readonly store: StoreIndex,
    db: EdgeDatabase,
    private readonly alerts: AlertBook,
    private readonly publish: ShelfStagePublisher,
    private readonly metrics: EdgeMetrics,
    private readonly clock: Clock,
    onEvent: (event: DetectedShelfEvent) => void,
    /** Whether nothing detected still waits for a decision (fusion): only then are lane levels stored. */
    canCheckpoint: () => boolean = () => true,
    logger?: Logger,
  ) {
    this.stockStore = new StockStore(db);
    const checkpoints = new LevelCheckpoints(db);
    this.monitor = new ShelfMonitor(
      store,
      {
        event: onEvent,
        reject: (reason) => metrics.messagesRejected.inc({ kind: 'shelfWeights', reason }),
        stock: (shelf, state, notes) => this.onStock(shelf, state, notes),
        health: (shelf, cell, state, previous) => this.onHealth(shelf, cell, state, previous),
        levels: (_shelf, levels) => checkpoints.save(levels),
        canCheckpoint,
        missed: (shelf, lane, change) => {
          metrics.missedChanges.inc();
          logger?.warn(
            { shelf, lane, deltaGrams: Math.round(change.deltaGrams * 10) / 10, sinceTs: change.startTs },
            'lane weight changed while the edge was not listening: accounted as a shelf event',
          );
        },
      },
      this.stockStore.load(),
      undefined,
      checkpoints.restore(),
    );
  }

  /** Publishes the current stock of every lane (retained): at start, so subscribers see the store at once. */
  publishAllStock(ts: number): void {
    for (const shelf of this.store.config.shelves) {
      for (const lane of shelf.lanes) {
        const state = this.monitor.stock.get(lane.id);
        if (state) this.publish.stock(this.message(shelf.id, state, ts));
      }
    }
  }

  private onStock(shelf: string, state: LaneStockState, notes: StockNote[]): void {
    this.stockStore.save(state);
    this.publish.stock(this.message(shelf, state, state.updatedAt));
    const lowAt = Math.max(1, Math.floor(state.capacity * LOW_STOCK_SHARE));
    const lowId = `low-stock:${state.lane}`;
    const name = state.sku ? (this.store.productBySku.get(state.sku)?.name ?? state.sku) : 'empty facing';
    const raise = (alert: Alert | undefined) => alert && this.publish.alert(alert);
    if (state.sku !== undefined && state.units <= lowAt) {
      raise(
        this.alerts.raise({
          alertId: lowId,
          kind: 'low-stock',
          severity: state.units === 0 ? 'critical' : 'warning',
          message: `${name} on ${state.lane}: ${state.units} of ${state.capacity} left — restock`,
          shelf,
          lane: state.lane,
          ts: state.updatedAt,
        }),
      );
    } else {
      raise(this.alerts.clear(lowId, state.updatedAt, `${name} on ${state.lane} restocked (${state.units})`));
    }
    if (notes.includes('misplaced-added') || notes.includes('misplaced-removed')) {
      const misplacedId = `misplaced:${state.lane}`;
      const items = state.misplaced.map(
        (m) => `${m.count} × ${this.store.productBySku.get(m.sku)?.name ?? m.sku}`,
      );
      raise(this.alerts.clear(misplacedId, state.updatedAt, `misplaced items on ${state.lane} changed`));
      if (items.length > 0) {
        raise(
          this.alerts.raise({
            alertId: misplacedId,
            kind: 'misplaced-item',
            severity: 'info',
            message: `${items.join(', ')} put back on ${state.lane} (${name}) — return to their lanes`,
            shelf,
            lane: state.lane,
            ts: state.updatedAt,
          }),
        );
      }
    }
  }

  private onHealth(shelf: string, cell: string, state: SensorState, previous: SensorState): void {
    this.metrics.sensorStates.inc({ state });
    const ts = this.clock.now();
    this.publish.health({ v: 1, shelf, cells: this.monitor.healthOf(shelf), ts });
    const alertId = `sensor:${cell}`;
    const raise = (alert: Alert | undefined) => alert && this.publish.alert(alert);
    if (state === 'live') {
      raise(this.alerts.clear(alertId, ts, `load cell ${cell} is live again (was ${previous})`));
      return;
    }
    raise(this.alerts.clear(alertId, ts, `load cell ${cell} is now ${state}`));
    raise(
      this.alerts.raise({
        alertId,
        kind: 'sensor-health',
        severity: state === 'noisy' ? 'warning' : 'critical',
        message:
          state === 'noisy'
            ? `load cell ${cell} is noisy: small items may be missed — check the plate is free`
            : state === 'stuck'
              ? `load cell ${cell} is stuck (same reading for seconds) — check its wiring or plate`
              : `load cell ${cell} is offline — check the shelf controller ${shelf}`,
        shelf,
        loadCell: cell,
        ts,
      }),
    );
  }

  private message(shelf: string, state: LaneStockState, ts: number): LaneStockMessage {
    return {
      v: 1,
      lane: state.lane,
      shelf,
      ...(state.sku ? { sku: state.sku } : {}),
      units: state.units,
      capacity: state.capacity,
      misplaced: state.misplaced,
      uncertain: state.uncertain,
      ts,
    };
  }
}
