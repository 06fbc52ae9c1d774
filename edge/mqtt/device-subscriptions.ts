// The device topics the edge listens to, each into its stage: shelf weights to the shelf monitor, device
// status to shelf health and device alerts, gate scans to the gate, camera frames (and the vision workers'
// detections) to vision. Registered before
// the link starts; every payload is validated at the boundary by the link. Identity and time are checked
// here: a shelf's batch must come from that shelf's controller (the one the broker lets write its topic),
// and batches and frames must be stamped within a window of the edge's clock; the rest is dropped and counted.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { decodeFrame } from '../../shared/frame-codec.ts';
import type { DeviceStatus } from '../../shared/schemas/device-status.ts';
import { topicFilters } from '../../shared/topics.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { GateStage } from '../gate/gate-stage.ts';
import type { HeldShelfBatches } from '../shelves/held-shelf-batches.ts';
import type { ShelfMonitor } from '../shelves/shelf-monitor.ts';
import type { VisionStage } from '../vision/vision-stage.ts';
import { checkDeviceTime, type DeviceTimeWindow } from './device-time-window.ts';
import type { MqttLink } from './mqtt-link.ts';

export interface DeviceSubscribers {
  storeId: string;
  shelves: ShelfMonitor;
  gate: GateStage;
  vision: VisionStage | undefined;
  /** Lockstep: shelf batches are held here until the edge settles (undefined: each goes in as it arrives). */
  heldShelves?: HeldShelfBatches;
  /** A device's retained status changed (its last will says offline). */
  deviceStatus: (device: string, status: DeviceStatus) => void;
  metrics: EdgeMetrics;
  /** The edge's clock (virtual in lockstep): device times are checked against it, never Date.now(). */
  clock: Clock;
  timeWindow: DeviceTimeWindow;
  logger: Logger;
}

export function subscribeDevices(link: MqttLink, s: DeviceSubscribers): void {
  const { heldShelves, clock, timeWindow, metrics } = s;
  // QoS 1: controllers store and forward batches through an outage; none may be lost on the way in
  link.subscribe('shelfWeights', topicFilters.shelfWeights(s.storeId), 1, (batch, shelfId) => {
    if (shelfId === undefined) return;
    // the topic names the shelf and only its controller may write it: a batch naming another device is forged
    if (batch.device !== shelfId) {
      metrics.messagesRejected.inc({ kind: 'shelfWeights', reason: 'wrong-device' });
      return;
    }
    const samples = Math.max(0, ...batch.cells.map((c) => c.grams.length));
    const lastTs = batch.t0 + (samples - 1) * batch.periodMs;
    const time = checkDeviceTime(batch.t0, lastTs, clock.now(), timeWindow);
    if (time !== 'ok') {
      metrics.messagesRejected.inc({ kind: 'shelfWeights', reason: time });
      return;
    }
    if (heldShelves === undefined) s.shelves.ingest(shelfId, batch);
    else heldShelves.hold(shelfId, batch);
  });
  link.subscribe('deviceStatus', topicFilters.deviceStatus(s.storeId), 1, (status, device) => {
    if (device !== undefined) s.deviceStatus(device, status);
  });
  link.subscribe('gateScan', topicFilters.gateScan(s.storeId), 1, (scan, gateId) => {
    if (gateId === undefined) return;
    s.gate.handleScan(gateId, scan).catch((err: unknown) => {
      s.metrics.messagesRejected.inc({ kind: 'gateScan', reason: 'handler-error' });
      s.logger.error({ err, gateId }, 'gate scan failed');
    });
  });
  const { vision } = s;
  if (vision !== undefined)
    link.subscribe('cameraFrame', topicFilters.cameraFrame(s.storeId), 0, (frame, camera) => {
      // the link decoded the header already: this cannot throw
      const { captureTs } = decodeFrame(frame);
      const time = checkDeviceTime(captureTs, captureTs, clock.now(), timeWindow);
      if (time !== 'ok') {
        metrics.messagesRejected.inc({ kind: 'cameraFrame', reason: time });
        return;
      }
      vision.ingest(frame, camera);
    });
  // vision worker processes on the broker's shared subscription send each frame's detections back
  if (vision?.takesWorkerDetections)
    link.subscribe('frameDetections', topicFilters.frameDetections(s.storeId), 0, (message, camera) => {
      // a frame stamped far ahead would hold the tracker's time there and make every later frame late
      const time = checkDeviceTime(message.captureTs, message.captureTs, clock.now(), timeWindow);
      if (time !== 'ok') {
        metrics.messagesRejected.inc({ kind: 'frameDetections', reason: time });
        return;
      }
      vision.ingestDetections(message, camera);
    });
}
