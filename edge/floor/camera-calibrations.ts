// Camera calibration from the floor view: a supervisor clicks surveyed floor marks in a camera's live picture;
// the clicks (lens distortion taken out) are fitted to one homography, refused when the fit is poor, stored
// in the edge database, audited, and handed to whoever projects that camera (the vision stage) at once.
// At start the stored calibrations replace the config's homographies (`applyTo`).

import { floorToImage } from '../../shared/camera-projection.ts';
import type { Clock } from '../../shared/clock.ts';
import { fitHomography, HomographyFitError } from '../../shared/homography-fit.ts';
import { undistortPixel } from '../../shared/lens-distortion.ts';
import type {
  CalibrationCamera,
  CalibrationClick,
  CameraCalibration,
} from '../../shared/schemas/camera-calibration.ts';
import type { Camera, StoreConfig } from '../../shared/store-config.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import { CalibrationRefusedError, CameraNotFoundError } from './floor-errors.ts';

export interface CalibrationSettings {
  /**
   * Refused when the root mean square floor error of the marks is above this (m). The sample store's cameras
   * see 1.5 cm a pixel: a mark clicked 2 px off is 3 cm; tracks must stay within 0.1 m of the truth and the
   * detector itself errs ~4 cm, so a calibration may add at most ~5 cm.
   */
  maxRmsErrorM: number;
  /** Refused when any one mark is further than this from where its click projects (m): a wrong mark clicked. */
  maxPointErrorM: number;
}

export const CALIBRATION_DEFAULTS: CalibrationSettings = { maxRmsErrorM: 0.05, maxPointErrorM: 0.12 };

export interface CameraCalibrationsOptions {
  db: EdgeDatabase;
  store: StoreConfig;
  clock: Clock;
  settings?: CalibrationSettings;
  /** Records the decision in the audit trail. */
  audit: (actor: string, action: string, subject: string, details: unknown, now: number) => void;
}

interface Row {
  camera: string;
  homography: string;
  rms_error_m: number;
  max_error_m: number;
  points: string;
  calibrated_by: string;
  calibrated_at: number;
}

export class CameraCalibrations {
  readonly settings: CalibrationSettings;
  /** by camera id: the camera as projected now (config, or its stored calibration) */
  private readonly cameras = new Map<string, Camera>();
  private readonly listeners: Array<(camera: Camera) => void> = [];

  constructor(private readonly options: CameraCalibrationsOptions) {
    this.settings = options.settings ?? CALIBRATION_DEFAULTS;
    for (const camera of options.store.cameras) this.cameras.set(camera.id, camera);
    for (const stored of this.stored()) {
      const camera = this.cameras.get(stored.camera);
      if (camera !== undefined) this.cameras.set(camera.id, { ...camera, homography: stored.homography });
    }
  }

  /** The store config with every stored calibration in place of the config's homography. */
  applyTo(store: StoreConfig): StoreConfig {
    return { ...store, cameras: store.cameras.map((c) => this.cameras.get(c.id) ?? c) };
  }

  /** The camera as projected now. */
  camera(id: string): Camera | undefined {
    return this.cameras.get(id);
  }

  /** Calls `listener` with a camera each time it is calibrated; returns the unsubscribe. */
  onCalibrated(listener: (camera: Camera) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** The cameras with every floor mark where the current projection expects it, and their last calibration. */
  list(): CalibrationCamera[] {
    const byCamera = new Map(this.stored().map((c) => [c.camera, c]));
    const marks = this.options.store.floorMarks ?? [];
    return [...this.cameras.values()].map((camera) => ({
      id: camera.id,
      imageWidth: camera.imageWidth,
      imageHeight: camera.imageHeight,
      hasDistortion: camera.distortion !== undefined,
      marks: marks.map((m) => ({
        id: m.id,
        position: m.position,
        expected: floorToImage(camera, m.position.x, m.position.y) ?? null,
      })),
      calibration: byCamera.get(camera.id) ?? null,
    }));
  }

  /**
   * Fits the camera's homography to the clicked marks and, when the fit is good enough, stores it, audits it
   * and hands the camera to every listener. Throws CameraNotFoundError or CalibrationRefusedError (unknown or
   * repeated marks, points on one line, error above the settings; the refusal is audited too).
   */
  calibrate(cameraId: string, clicks: readonly CalibrationClick[], by: string): CameraCalibration {
    const camera = this.cameras.get(cameraId);
    if (camera === undefined) throw new CameraNotFoundError(cameraId);
    const marks = new Map((this.options.store.floorMarks ?? []).map((m) => [m.id, m.position]));
    const seen = new Set<string>();
    const pairs = clicks.map((click) => {
      const floor = marks.get(click.mark);
      if (floor === undefined)
        throw new CalibrationRefusedError(
          `${click.mark} is not a floor mark of this store: pick one from the list.`,
        );
      if (seen.has(click.mark))
        throw new CalibrationRefusedError(`${click.mark} was clicked twice: remove one of the two points.`);
      seen.add(click.mark);
      const image =
        camera.distortion === undefined
          ? { x: click.x, y: click.y }
          : undistortPixel(
              camera.distortion,
              { width: camera.imageWidth, height: camera.imageHeight },
              click.x,
              click.y,
            );
      return { image, floor };
    });
    const now = this.options.clock.now();
    let fit: ReturnType<typeof fitHomography>;
    try {
      fit = fitHomography(pairs);
    } catch (err) {
      if (err instanceof HomographyFitError) throw new CalibrationRefusedError(`${err.message}.`);
      throw err;
    }
    const { maxRmsErrorM, maxPointErrorM } = this.settings;
    if (fit.rmsErrorM > maxRmsErrorM || fit.maxErrorM > maxPointErrorM) {
      const worst = clicks[fit.worstPoint]?.mark ?? '?';
      this.options.audit(
        by,
        'calibrate-refused',
        cameraId,
        { rmsErrorM: fit.rmsErrorM, maxErrorM: fit.maxErrorM, worst },
        now,
      );
      throw new CalibrationRefusedError(
        `The marks do not fit: error ${cm(fit.rmsErrorM)} cm on average and ${cm(fit.maxErrorM)} cm at the ` +
          `furthest (at most ${cm(maxRmsErrorM)} and ${cm(maxPointErrorM)} cm). ${worst} fits worst: click it ` +
          'again, exactly on the mark, or remove it.',
      );
    }
    const calibration: CameraCalibration = {
      camera: cameraId,
      homography: fit.homography,
      rmsErrorM: fit.rmsErrorM,
      maxErrorM: fit.maxErrorM,
      points: clicks.map((c, i) => ({ mark: c.mark, x: c.x, y: c.y, errorM: fit.errorsM[i] as number })),
      calibratedBy: by,
      calibratedAt: now,
    };
    this.save(calibration);
    this.options.audit(
      by,
      'calibrate',
      cameraId,
      { rmsErrorM: fit.rmsErrorM, maxErrorM: fit.maxErrorM, points: clicks.length },
      now,
    );
    const calibrated: Camera = { ...camera, homography: fit.homography };
    this.cameras.set(cameraId, calibrated);
    for (const listener of this.listeners) listener(calibrated);
    return calibration;
  }

  private save(c: CameraCalibration): void {
    this.options.db
      .prepare(
        `INSERT INTO camera_calibrations (camera, homography, rms_error_m, max_error_m, points, calibrated_by, calibrated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (camera) DO UPDATE SET homography = excluded.homography, rms_error_m = excluded.rms_error_m,
           max_error_m = excluded.max_error_m, points = excluded.points, calibrated_by = excluded.calibrated_by,
           calibrated_at = excluded.calibrated_at`,
      )
      .run(
        c.camera,
        JSON.stringify(c.homography),
        c.rmsErrorM,
        c.maxErrorM,
        JSON.stringify(c.points),
        c.calibratedBy,
        c.calibratedAt,
      );
  }

  /** Calibrations in the database (one per camera, the latest); rows of cameras no longer configured are kept. */
  private stored(): CameraCalibration[] {
    const rows = this.options.db.prepare('SELECT * FROM camera_calibrations ORDER BY camera').all() as Row[];
    return rows.map((r) => ({
      camera: r.camera,
      homography: JSON.parse(r.homography) as number[],
      rmsErrorM: r.rms_error_m,
      maxErrorM: r.max_error_m,
      points: JSON.parse(r.points) as CameraCalibration['points'],
      calibratedBy: r.calibrated_by,
      calibratedAt: r.calibrated_at,
    }));
  }
}

const cm = (m: number) => (m * 100).toFixed(1);
