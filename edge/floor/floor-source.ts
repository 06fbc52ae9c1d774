// What the floor API's routes read and decide, typed by the shared floor schemas (FloorService is the edge's).
// Refusals are domain errors with a code (FloorError, ExceptionError), never HTTP statuses.

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
import type { StaffUser } from './staff-auth.ts';

export interface FloorSource {
  snapshot(): FloorSnapshot;
  /** Throws ExceptionError (not found, already decided, not a candidate, session not billable). */
  assign(exceptionId: string, choice: AssignBody, by: StaffUser): ExceptionAssigned;
  /** Throws ExceptionError (not found, already decided). */
  drop(exceptionId: string, note: string, by: StaffUser): ExceptionDropped;
  /** Throws AlertNotFoundError. */
  acknowledge(alertId: string, by: StaffUser): AlertAck;
  audit(): AuditTrail;
  /** Throws VisitNotFoundError. */
  visit(sessionId: string): VisitReplay;
  frames(exceptionId: string): ExceptionFramesList;
  /** Throws FrameNotFoundError. */
  frameJpeg(exceptionId: string, frameId: number): Buffer;
  /** The cameras to calibrate, with the floor marks and each one's last calibration. */
  calibrationCameras(): CalibrationCameras;
  /** The camera's newest frame as JPEG. Throws CameraNotFoundError, NoLiveFrameError. */
  liveFrame(camera: string): Buffer;
  /** Throws CameraNotFoundError, CalibrationRefusedError. */
  calibrate(camera: string, clicks: readonly CalibrationClick[], by: StaffUser): CameraCalibration;
  /** Heat per lane over [from, to) (default: the last 24 hours). */
  heatmap(from: number | undefined, to: number | undefined): FloorHeatMap;
}
