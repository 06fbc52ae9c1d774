// Calibrating a ceiling camera from the floor view: the floor marks a supervisor clicked in the camera's live
// picture, and what the edge fitted and stored. Request and response bodies of /floor/api/cameras.
import { type Static, Type } from 'typebox';

const Point = Type.Object({ x: Type.Number(), y: Type.Number() });

export const CalibrationClickSchema = Type.Object(
  {
    /** A floor mark id of the store config. */
    mark: Type.String({ minLength: 1, maxLength: 64 }),
    /** Where it was clicked, in the camera's own image pixels (as the camera sends the picture). */
    x: Type.Number({ minimum: -10_000, maximum: 10_000 }),
    y: Type.Number({ minimum: -10_000, maximum: 10_000 }),
  },
  { additionalProperties: false },
);

export const CalibrationBodySchema = Type.Object(
  { points: Type.Array(CalibrationClickSchema, { minItems: 4, maxItems: 64 }) },
  { additionalProperties: false },
);

export const CameraCalibrationSchema = Type.Object({
  camera: Type.String(),
  /** Row-major 3×3, image pixels (undistorted) → floor metres. */
  homography: Type.Array(Type.Number(), { minItems: 9, maxItems: 9 }),
  /** Root mean square floor distance between each mark and where its click projects (m). */
  rmsErrorM: Type.Number(),
  maxErrorM: Type.Number(),
  points: Type.Array(Type.Object({ ...CalibrationClickSchema.properties, errorM: Type.Number() })),
  calibratedBy: Type.String(),
  calibratedAt: Type.Number(),
});

/** A camera as the calibration page lists it: size, where the marks are expected, its last calibration. */
export const CalibrationCameraSchema = Type.Object({
  id: Type.String(),
  imageWidth: Type.Integer(),
  imageHeight: Type.Integer(),
  hasDistortion: Type.Boolean(),
  /**
   * Every floor mark, with where the camera's current projection expects it in the picture (pixels; null when
   * it cannot be seen): a hint for the marks to look for, wrong by as much as the old calibration is.
   */
  marks: Type.Array(
    Type.Object({ id: Type.String(), position: Point, expected: Type.Union([Point, Type.Null()]) }),
  ),
  calibration: Type.Union([CameraCalibrationSchema, Type.Null()]),
});

export const CalibrationCamerasSchema = Type.Object({
  cameras: Type.Array(CalibrationCameraSchema),
  /** Refused above these (m). */
  limits: Type.Object({ maxRmsErrorM: Type.Number(), maxPointErrorM: Type.Number() }),
});

export type CalibrationClick = Static<typeof CalibrationClickSchema>;
export type CalibrationBody = Static<typeof CalibrationBodySchema>;
export type CameraCalibration = Static<typeof CameraCalibrationSchema>;
export type CalibrationCamera = Static<typeof CalibrationCameraSchema>;
export type CalibrationCameras = Static<typeof CalibrationCamerasSchema>;
