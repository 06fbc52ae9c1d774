import { describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { CameraCalibrations } from '../../../../edge/floor/camera-calibrations.ts';
import { CalibrationRefusedError, CameraNotFoundError } from '../../../../edge/floor/floor-errors.ts';
import { floorToImage } from '../../../../shared/camera-projection.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import { distortPixel } from '../../../../shared/lens-distortion.ts';
import { type Camera, loadStoreConfig } from '../../../../shared/store-config.ts';

const sample = loadStoreConfig('stores/sample-store.json');
const cam1 = sample.cameras[0] as Camera;
/** The edge's config is off by 0.4 m in x; the camera really hangs as the sample store says. */
const store = {
  ...sample,
  cameras: [{ ...cam1, homography: cam1.homography.map((v, i) => (i === 2 ? v + 0.4 : v)) }],
};
const marks = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3'];
const clicksOn = (camera: Camera) =>
  marks.map((mark) => {
    const p = sample.floorMarks?.find((m) => m.id === mark)?.position ?? { x: 0, y: 0 };
    const px = floorToImage(camera, p.x, p.y) ?? { x: 0, y: 0 };
    return { mark, x: px.x, y: px.y };
  });

describe('CameraCalibrations', () => {
  it('fits, stores, audits and hands over a calibration, which a restarted edge starts with', () => {
    const db = openEdgeDatabase(':memory:');
    const clock = new ManualClock(1_700_000_000_000);
    const audit: unknown[][] = [];
    const calibrations = new CameraCalibrations({ db, store, clock, audit: (...e) => audit.push(e) });
    const handed: Camera[] = [];
    calibrations.onCalibrated((c) => handed.push(c));
    const result = calibrations.calibrate('CAM1', clicksOn(cam1), 'manager');
    expect(result.rmsErrorM).toBeLessThan(1e-6);
    expect(result.homography[2]).toBeCloseTo(cam1.homography[2] as number, 6);
    expect(handed.map((c) => c.id)).toEqual(['CAM1']);
    expect(audit).toEqual([
      ['manager', 'calibrate', 'CAM1', expect.objectContaining({ points: 6 }), clock.now()],
    ]);
    const restarted = new CameraCalibrations({ db, store, clock, audit: () => {} });
    expect(restarted.applyTo(store).cameras[0]?.homography).toEqual(result.homography);
    expect(restarted.list()[0]?.calibration).toMatchObject({
      calibratedBy: 'manager',
      calibratedAt: clock.now(),
    });
  });

  it('refuses unknown and repeated marks, a camera not in the config, and a poor fit (audited, nothing stored)', () => {
    const db = openEdgeDatabase(':memory:');
    const audit: string[] = [];
    const calibrations = new CameraCalibrations({
      db,
      store,
      clock: new ManualClock(0),
      audit: (_by, action) => audit.push(action),
    });
    const good = clicksOn(cam1);
    expect(() => calibrations.calibrate('CAM9', good, 'm')).toThrow(CameraNotFoundError);
    expect(() =>
      calibrations.calibrate('CAM1', [...good.slice(1), { ...good[1], mark: 'Z9' } as never], 'm'),
    ).toThrow(/Z9 is not a floor mark/);
    expect(() => calibrations.calibrate('CAM1', [...good, good[0] as never], 'm')).toThrow(/clicked twice/);
    const off = good.map((c, i) => (i === 3 ? { ...c, x: c.x + 30 } : c));
    expect(() => calibrations.calibrate('CAM1', off, 'm')).toThrow(CalibrationRefusedError);
    // with two rows of three marks, the five left without B1 fit exactly, and so do the five without B3: the
    // fit cannot tell which of the two was clicked wrong (a third row of marks would)
    expect(() => calibrations.calibrate('CAM1', off, 'm')).toThrow(/(B1|B3) fits worst/);
    expect(audit).toEqual(['calibrate-refused', 'calibrate-refused']);
    expect(calibrations.list()[0]?.calibration).toBeNull();
  });

  it('takes lens distortion out of the clicks before fitting', () => {
    const distortion = { focalPx: 400, k1: -0.25, k2: 0.05 };
    const lensed = { ...store, cameras: [{ ...(store.cameras[0] as Camera), distortion }] };
    const calibrations = new CameraCalibrations({
      db: openEdgeDatabase(':memory:'),
      store: lensed,
      clock: new ManualClock(0),
      audit: () => {},
    });
    const size = { width: cam1.imageWidth, height: cam1.imageHeight };
    const clicks = clicksOn(cam1).map((c) => ({ ...c, ...distortPixel(distortion, size, c.x, c.y) }));
    const result = calibrations.calibrate('CAM1', clicks, 'manager');
    expect(result.rmsErrorM).toBeLessThan(0.001);
  });
});
