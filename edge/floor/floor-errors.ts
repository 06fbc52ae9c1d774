// What the floor view asked for that is not there: a visit to replay, a stored camera frame, an active alert.
// `code` is stable (the floor API answers with it); the HTTP layer chooses the status.

export type FloorErrorCode =
  | 'visit_not_found'
  | 'frame_not_found'
  | 'alert_not_found'
  | 'camera_not_found'
  | 'no_live_frame'
  | 'calibration_refused';

export abstract class FloorError extends Error {
  abstract readonly code: FloorErrorCode;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Neither inside nor among the recent visits kept for replay. */
export class VisitNotFoundError extends FloorError {
  readonly code = 'visit_not_found';

  constructor(readonly sessionId: string) {
    super(`No visit ${sessionId} among the shoppers inside or the recent visits.`);
  }
}

/** Not one of the exception's stored frames (never kept, or pruned after retention). */
export class FrameNotFoundError extends FloorError {
  readonly code = 'frame_not_found';

  constructor(
    readonly exceptionId: string,
    readonly frameId: number,
  ) {
    super(`No frame ${frameId} kept for exception ${exceptionId}.`);
  }
}

/** Not active: never raised, or cleared since the page last looked. */
export class AlertNotFoundError extends FloorError {
  readonly code = 'alert_not_found';

  constructor(readonly alertId: string) {
    super(`No active alert ${alertId}.`);
  }
}

/** Not a camera of the store config. */
export class CameraNotFoundError extends FloorError {
  readonly code = 'camera_not_found';

  constructor(readonly camera: string) {
    super(`No camera ${camera} in the store config.`);
  }
}

/** The camera sent nothing the edge still holds (its frame archive keeps the last seconds). */
export class NoLiveFrameError extends FloorError {
  readonly code = 'no_live_frame';

  constructor(readonly camera: string) {
    super(
      `No recent frame from ${camera}: check that the camera is online and that vision is on (VISION=on), then try again.`,
    );
  }
}

/** The clicked marks do not fit one homography well enough (or name unknown marks): nothing was stored. */
export class CalibrationRefusedError extends FloorError {
  readonly code = 'calibration_refused';
}
