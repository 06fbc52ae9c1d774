// The tracker tests' floor: one 10 m × 10 m ceiling camera ('C') from (0, `viewFromY`) to (10, `viewFromY` + 10),
// an entry gate (IN) at (2, `gateY`) and an exit gate (OUT) at (8, `gateY`), and a tracker over them.
import { GateBinder } from '../../edge/tracking/gate-binder.ts';
import { DEFAULT_TRACKER, Tracker, type TrackerTuning } from '../../edge/tracking/tracker.ts';
import { cameraOutline } from '../../shared/camera-coverage.ts';

export function oneCameraFloor(viewFromY: number, gateY: number) {
  const camera = {
    id: 'C',
    imageWidth: 1000,
    imageHeight: 1000,
    homography: [0.01, 0, 0, 0, 0.01, viewFromY, 0, 0, 1],
  };
  const gates = [
    { id: 'IN', kind: 'entry' as const, x: 2, y: gateY },
    { id: 'OUT', kind: 'exit' as const, x: 8, y: gateY },
  ];
  /** A gate binder over the gates and a tracker over the camera and the binder. */
  const setup = (tuning: TrackerTuning = DEFAULT_TRACKER) => {
    const binder = new GateBinder(gates);
    return { binder, tracker: new Tracker([cameraOutline(camera, 0)], binder, tuning) };
  };
  return { gates, setup };
}
