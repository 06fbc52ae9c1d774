// What the floor view reads and decides: the store snapshot (layout, shoppers inside with their carts,
// stock, sensor health, alerts, exceptions with their camera frames, recent events), visit replay with
// events and tracks, and the staff decisions. Refusals are domain errors with a code; the HTTP layer maps
// them to statuses.

import type { Clock } from '../../shared/clock.ts';
import type {
  CalibrationCameras,
  CalibrationClick,
  CameraCalibration,
} from '../../shared/schemas/camera-calibration.ts';
import type {
  AlertAck,
  AssignBody,
  AuditTrail,
  ExceptionAssigned,
  ExceptionDropped,
} from '../../shared/schemas/floor-decisions.ts';
import type { FloorHeatMap } from '../../shared/schemas/floor-heat.ts';
import type { ExceptionFramesList, FloorSnapshot, VisitReplay } from '../../shared/schemas/floor-snapshot.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { LaneHeat } from '../behaviour/floor-heat.ts';
import { buildCart } from '../checkout/cart.ts';
import type { SessionStore } from '../checkout/session-store.ts';
import type { DecisionBook } from '../fusion/decision-book.ts';
import type { ExceptionQueue, StaffException } from '../fusion/exception-queue.ts';
import type { ShelfMonitor } from '../shelves/shelf-monitor.ts';
import type { AlertBook } from './alert-book.ts';
import type { CameraCalibrations } from './camera-calibrations.ts';
import { answerOf } from './decision-samples.ts';
import {
  CameraNotFoundError,
  FrameNotFoundError,
  NoLiveFrameError,
  VisitNotFoundError,
} from './floor-errors.ts';
import type { FloorHub } from './floor-hub.ts';
import type { FloorRecorder } from './floor-recorder.ts';
import type { FloorSource } from './floor-source.ts';
import type { StaffUser } from './staff-auth.ts';

export interface FloorServiceDeps {
  store: StoreIndex;
  sessions: SessionStore;
  shelves: ShelfMonitor;
  exceptions: ExceptionQueue;
  alerts: AlertBook;
  hub: FloorHub;
  clock: Clock;
  recorder: FloorRecorder;
  calibrations: CameraCalibrations;
  /** The anonymous floor heat per lane (edge/behaviour/floor-heat.ts). */
  heat?: { heatBetween(from: number, to: number): LaneHeat[] };
  /**
   * Where decisions land, whoever decides (DecisionBook): the event recorded and published, the exception
   * closed on the floor, the exit alerts rechecked, put-backs the decided pick explains taken back.
   */
  decisions: Pick<DecisionBook, 'decide' | 'drop'>;
}

export class FloorService implements FloorSource {
  constructor(private readonly deps: FloorServiceDeps) {}

  snapshot(): FloorSnapshot {
    const { store, sessions, shelves, exceptions, alerts, hub } = this.deps;
    const priceOf = (sku: string) => store.productBySku.get(sku)?.priceCents ?? 0;
    return {
      store: {
        storeId: store.config.storeId,
        name: store.config.name,
        currency: store.config.currency,
        floor: store.config.floor,
        gates: store.config.gates,
        cameras: store.config.cameras.map((c) => ({ id: c.id, position: c.position })),
        floorMarks: store.config.floorMarks ?? [],
        shelves: store.config.shelves.map((s) => ({
          id: s.id,
          position: s.position,
          orientationDeg: s.orientationDeg,
          widthM: s.widthM,
          depthM: s.depthM,
          lanes: s.lanes.map((l) => ({
            id: l.id,
            loadCell: l.loadCell,
            sku: l.sku,
            capacity: l.capacity,
            position: l.position,
          })),
        })),
        products: Object.fromEntries(
          store.config.catalog.map((p) => [
            p.sku,
            { name: p.name, priceCents: p.priceCents, unitGrams: p.unitGrams },
          ]),
        ),
      },
      // staff see no one's consent: the floor shows carts, not behaviour
      sessions: sessions.inStore().map(({ behaviourConsent: _consent, ...s }) => {
        const cart = buildCart(sessions.eventsOf(s.sessionId));
        return {
          ...s,
          cart: cart.lines,
          totalCents: cart.lines.reduce((sum, l) => sum + priceOf(l.sku) * l.quantity, 0),
          doubtful: exceptions.openFor(s.sessionId).length,
        };
      }),
      stock: shelves.stock.all(),
      health: Object.fromEntries(store.config.shelves.map((s) => [s.id, shelves.healthOf(s.id)])),
      alerts: alerts.list(),
      exceptions: exceptions.list(),
      exceptionFrames: this.deps.recorder.frames.listMany(exceptions.list().map((x) => x.exceptionId)),
      recent: hub.recent(),
      visits: sessions.recentVisits(30).map((v) => ({
        sessionId: v.sessionId,
        accountId: v.accountId,
        enteredAt: v.enteredAt,
        exitedAt: v.exitedAt,
      })),
      serverTime: this.deps.clock.now(),
    };
  }

  visit(sessionId: string): VisitReplay {
    const session =
      this.deps.sessions.get(sessionId) ??
      this.deps.sessions.recentVisits(500).find((v) => v.sessionId === sessionId);
    if (session === undefined) throw new VisitNotFoundError(sessionId);
    const events = this.deps.sessions.eventsOf(sessionId);
    const tracks = this.deps.recorder.tracks.of(sessionId);
    const { behaviourConsent: _consent, ...visit } = session;
    return { session: visit, events, tracks, cart: buildCart(events).lines };
  }

  heatmap(from: number | undefined, to: number | undefined): FloorHeatMap {
    const end = to ?? this.deps.clock.now();
    const start = from ?? end - 86_400_000;
    return { from: start, to: end, lanes: this.deps.heat?.heatBetween(start, end) ?? [] };
  }

  frames(exceptionId: string): ExceptionFramesList {
    const { frames } = this.deps.recorder;
    return { exceptionId, frames: frames.list(exceptionId), complete: !frames.isCapturing(exceptionId) };
  }

  frameJpeg(exceptionId: string, frameId: number): Buffer {
    const jpeg = this.deps.recorder.frames.jpeg(exceptionId, frameId);
    if (jpeg === undefined) throw new FrameNotFoundError(exceptionId, frameId);
    return jpeg;
  }

  calibrationCameras(): CalibrationCameras {
    const { calibrations } = this.deps;
    return { cameras: calibrations.list(), limits: calibrations.settings };
  }

  liveFrame(camera: string): Buffer {
    if (this.deps.calibrations.camera(camera) === undefined) throw new CameraNotFoundError(camera);
    const frame = this.deps.recorder.archive.latest(camera);
    if (frame === undefined) throw new NoLiveFrameError(camera);
    return frame.jpeg;
  }

  calibrate(camera: string, clicks: readonly CalibrationClick[], by: StaffUser): CameraCalibration {
    return this.deps.calibrations.calibrate(camera, clicks, by.name);
  }

  assign(exceptionId: string, choice: AssignBody, by: StaffUser): ExceptionAssigned {
    const exception = this.openException(exceptionId);
    const event = this.deps.decisions.decide(exceptionId, choice, by.name);
    if (exception !== undefined) this.deps.recorder.decided(exception, answerOf(exception, choice));
    return { exceptionId, status: 'resolved', event };
  }

  drop(exceptionId: string, note: string, by: StaffUser): ExceptionDropped {
    const exception = this.openException(exceptionId);
    this.deps.decisions.drop(exceptionId, note, by.name);
    if (exception !== undefined) this.deps.recorder.decided(exception, answerOf(exception, undefined));
    return { exceptionId, status: 'dropped' };
  }

  /** The exception while still open (a staff decision is kept as training data once it is taken). */
  private openException(exceptionId: string): StaffException | undefined {
    return this.deps.exceptions.list().find((x) => x.exceptionId === exceptionId);
  }

  acknowledge(alertId: string, by: StaffUser): AlertAck {
    const now = this.deps.clock.now();
    const ack = this.deps.alerts.acknowledge(alertId, by.name, now);
    this.deps.exceptions.audit(by.name, 'acknowledge-alert', alertId, {}, now);
    this.deps.hub.publish('alert', { alertId, acknowledged: ack });
    return ack;
  }

  audit(): AuditTrail {
    return { entries: this.deps.exceptions.auditTrail(200) };
  }
}
