// The device topics the edge listens to, each into its stage: shelf weights to the shelf monitor, device
// status to shelf health and device alerts, gate scans to the gate, camera frames to vision. Registered before
// the link starts; every payload is validated at the boundary by the link.
import type { Logger } from 'pino';
import { topicFilters } from '../../shared/topics.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { GateStage } from '../gate/gate-stage.ts';
import type { HeldShelfBatches } from '../shelves/held-shelf-batches.ts';
import type { ShelfMonitor } from '../shelves/shelf-monitor.ts';
import type { VisionStage } from '../vision/vision-stage.ts';
import type { MqttLink } from './mqtt-link.ts';

export interface DeviceSubscribers {
  storeId: string;
  shelves: ShelfMonitor;
  gate: GateStage;
  vision: VisionStage | undefined;
  /** Lockstep: shelf batches are held here until the edge settles (undefined: each goes in as it arrives). */
  heldShelves?: HeldShelfBatches;
  /** A device's retained status changed (its last will says offline). */
  deviceStatus: (device: string, online: boolean) => void;
  metrics: EdgeMetrics;
  logger: Logger;
}

export function subscribeDevices(link: MqttLink, s: DeviceSubscribers): void {
  const { heldShelves } = s;
  link.subscribe('shelfWeights', topicFilters.shelfWeights(s.storeId), 0, (batch, shelfId) => {
    if (shelfId === undefined) return;
    if (heldShelves === undefined) s.shelves.ingest(shelfId, batch);
    else heldShelves.hold(shelfId, batch);
  });
  link.subscribe('deviceStatus', topicFilters.deviceStatus(s.storeId), 1, (status, device) => {
    if (device !== undefined) s.deviceStatus(device, status.state === 'online');
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
    link.subscribe('cameraFrame', topicFilters.cameraFrame(s.storeId), 0, (frame, camera) =>
      vision.ingest(frame, camera),
    );
}
