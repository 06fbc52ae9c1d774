// Calibrating a ceiling camera from the floor view in a real headless Chromium. The edge starts with CAM1's
// homography wrong (turned 3° and 0.45 m off, as a camera knocked on its mount would be); the simulator's CAM1
// renders the store through its true model while a shopper walks under it. A supervisor opens the Cameras
// panel, clicks floor marks in the live frame (where the true camera model shows them; one first clicked off
// its mark, which the edge refuses), and the edge fits and applies the camera's homography at once: the
// shopper's track, off by about half a metre before, stays within 0.1 m of where they really are.
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_VISION } from '../../edge/vision/vision-config.ts';
import { type StoreStack, startStoreStack } from '../../evaluation/harness/store-stack.ts';
import { floorToImage } from '../../shared/camera-projection.ts';
import { systemClock } from '../../shared/clock.ts';
import type { TrackUpdate } from '../../shared/schemas/track.ts';
import { type Camera, indexStore, loadStoreConfig, type StoreConfig } from '../../shared/store-config.ts';
import { parseScenario } from '../../simulators/scenario/scenario-loader.ts';
import { CameraRig } from '../../simulators/vision/camera-emulator.ts';
import { cameraView, seesFloorPoint } from '../../simulators/vision/camera-geometry.ts';
import { type PersonPlan, planScenario, poseAt } from '../../simulators/vision/motion-plan.ts';
import { visionPlanner } from '../../simulators/vision/scenario-frames.ts';
import { chromiumMissing, launchChromium, SCREENSHOTS } from '../support/browser.ts';
import { waitFor } from '../support/services.ts';

const sample = loadStoreConfig('stores/sample-store.json');
const trueCam = sample.cameras.find((c) => c.id === 'CAM1') as Camera;
/** The world: the sample store seen by CAM1 alone, as it really hangs. */
const world: StoreConfig = { ...sample, cameras: [trueCam] };

/** CAM1's homography turned by 3° about the picture's centre and moved 0.45 m: what the edge starts with. */
function knocked(h: readonly number[]): number[] {
  const a = (3 * Math.PI) / 180;
  const [cx, cy] = [4, 3.4];
  const [c, s] = [Math.cos(a), Math.sin(a)];
  // floor → floor: rotate about (cx, cy), then shift (0.3, 0.33)
  const m = [c, -s, cx - c * cx + s * cy + 0.3, s, c, cy - s * cx - c * cy + 0.33, 0, 0, 1];
  const out: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let k = 0; k < 3; k++)
      out.push(
        (m[r * 3] as number) * (h[k] as number) +
          (m[r * 3 + 1] as number) * (h[3 + k] as number) +
          (m[r * 3 + 2] as number) * (h[6 + k] as number),
      );
  return out;
}
const edgeStore: StoreConfig = {
  ...world,
  cameras: [{ ...trueCam, homography: knocked(trueCam.homography) }],
};

const scenario = parseScenario(
  {
    name: 'calibrate-cam1',
    store: 'x',
    seed: 11,
    shoppers: [
      {
        id: 'alice',
        script: [
          { at: 0.3, do: 'enter' },
          { at: 5, do: 'pick', lane: 'S01-L03', count: 1 },
          { at: 10, do: 'pick', lane: 'S01-L09', count: 1 },
          { at: 15, do: 'pick', lane: 'S01-L02', count: 1 },
          { at: 21, do: 'exit' },
        ],
      },
    ],
  },
  world,
);
const skip = chromiumMissing();

interface Sample {
  ts: number;
  errorM: number;
}

describe.skipIf(skip !== undefined)('camera calibration in Chromium', () => {
  let stack: StoreStack;
  let rig: CameraRig;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const updates: TrackUpdate[] = [];

  beforeAll(async () => {
    stack = await startStoreStack({ store: edgeStore, vision: { ...DEFAULT_VISION, publishHz: 10 } });
    stack.edge.onTracks((u) => updates.push(u));
    rig = new CameraRig({
      store: indexStore(world),
      mqttUrl: stack.mqttUrl,
      auth: stack.auth,
      clock: systemClock,
      speed: 1,
      fps: 8,
      dropRate: 0,
      seed: 11,
      logger: pino({ level: 'silent' }),
    });
    await rig.start();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
    await stack?.stop();
  });

  it('fits CAM1 to floor marks clicked in its live frame, and its tracks follow the shopper within 0.1 m', async () => {
    const index = indexStore(world);
    const plans: PersonPlan[] = planScenario(scenario, index, visionPlanner(world));
    const plan = plans[0] as PersonPlan;
    const startTs = systemClock.now();
    rig.setScene(plans, startTs);
    const view = cameraView(trueCam);
    /** How much alice's velocity changes (m/s) over the half second around a moment (ms after the start). */
    const speedChange = (t: number) => {
      const velocity = (at: number) => {
        const [a, b] = [poseAt(plan, at - 100, world.floor), poseAt(plan, at + 100, world.floor)];
        return { x: (b.x - a.x) / 0.2, y: (b.y - a.y) / 0.2 };
      };
      const [v0, v1] = [velocity(t - 250), velocity(t + 250)];
      return Math.hypot(v1.x - v0.x, v1.y - v0.y);
    };
    /** Each confirmed track's distance from where alice really was, at the update's capture time. */
    const errors = (from: number, to: number): Sample[] =>
      updates
        .filter((u) => u.ts >= from && u.ts <= to)
        .flatMap((u) => {
          const truth = poseAt(plan, u.ts - startTs, world.floor);
          // well inside the picture: at the border a person is only partly seen
          if (!truth.onFloor || !seesFloorPoint(view, truth.x, truth.y, 60)) return [];
          return u.tracks
            .filter((t) => t.state === 'confirmed')
            .map((t) => ({ ts: u.ts, errorM: Math.hypot(t.x - truth.x, t.y - truth.y) }));
        });

    await page.goto(`${stack.edge.httpUrl}/floor/`);
    await page.fill('#login-user', 'manager');
    await page.fill('#login-password', 'walkout-demo');
    await page.click('#login-form button');
    await page.waitForSelector('#conn-text:has-text("live")');
    // the floor marks are on the map's layout
    expect(
      await page.evaluate(async () => {
        const res = await fetch('/floor/api/state', {
          headers: { authorization: `Bearer ${sessionStorage.getItem('floorToken')}` },
        });
        return ((await res.json()) as { store: { floorMarks: unknown[] } }).store.floorMarks.length;
      }),
    ).toBe(60);

    await page.click('#tabs button[data-tab="cameras"]');
    await page.waitForSelector('#cal-camera');
    // the live frame: the camera is publishing from the start
    await waitFor(
      'the live frame of CAM1',
      async () => {
        const w = await page.$eval('#cal-frame', (i) => (i as HTMLImageElement).naturalWidth);
        if (w > 0) return w;
        await page.click('#cal-refresh');
        return undefined;
      },
      10_000,
      300,
    );
    const box = await page.$eval('#cal-frame', (i) => ({ w: i.clientWidth, h: i.clientHeight }));
    // the marks CAM1 really shows, away from the border; where the true model puts them, in displayed pixels
    const marks = (world.floorMarks ?? [])
      .map((m) => ({ id: m.id, px: floorToImage(trueCam, m.position.x, m.position.y) }))
      .filter((m) => m.px !== undefined && seesFloorPoint(view, ...floorOf(m.id), 10))
      .map((m) => ({
        id: m.id,
        x: ((m.px?.x ?? 0) * box.w) / trueCam.imageWidth,
        y: ((m.px?.y ?? 0) * box.h) / trueCam.imageHeight,
      }));
    expect(marks.length).toBeGreaterThanOrEqual(5);
    const click = async (id: string, x: number, y: number) => {
      await page.selectOption('#cal-mark', id);
      await page.click('#cal-frame', { position: { x, y } });
    };
    // one mark clicked 25 displayed pixels off: refused, the worst mark named
    const [first, ...rest] = marks as [(typeof marks)[number], ...typeof marks];
    await click(first.id, first.x + 25, first.y);
    for (const m of rest) await click(m.id, m.x, m.y);
    await page.click('#cal-fit');
    await page.waitForSelector('#cal-result.error, #cal-result.ok');
    // CAM1 sees two rows of three marks: without A1 the other five fit exactly, and so do they without A3, so
    // the edge names the wrong click or its row-mate (test/unit/edge/floor/camera-calibrations.test.ts)
    expect(await page.textContent('#cal-result')).toMatch(/The marks do not fit: .* [AB][123] fits worst/);
    await page.click(`#cal-points li[data-mark="${first.id}"] button`);
    await click(first.id, first.x, first.y);
    await page.screenshot({ path: `${SCREENSHOTS}/floor-calibration-clicks.png` });

    // enough of the knocked camera's tracks to compare with (a quick page gets here before alice is in view)
    await waitFor(
      'tracks before the calibration',
      () => (errors(startTs, systemClock.now()).length > 3 ? true : undefined),
      10_000,
      100,
    );
    const before = errors(startTs, systemClock.now());
    await page.click('#cal-fit');
    await page.waitForSelector('#cal-result.ok');
    const calibratedAt = systemClock.now();
    const shown = (await page.textContent('#cal-result')) ?? '';
    expect(shown).toMatch(/Calibrated CAM1: error \d+\.\d cm on average/);
    await page.screenshot({ path: `${SCREENSHOTS}/floor-calibration-done.png` });

    // the shopper walks on under CAM1 until she leaves
    await waitFor(
      'alice leaving',
      () => (systemClock.now() > startTs + 21_000 ? true : undefined),
      25_000,
      200,
    );
    // the tracker needs a few frames to take in the jump the new projection made
    const after = errors(calibratedAt + 1500, systemClock.now());
    const worst = (s: Sample[]) => Math.max(...s.map((x) => x.errorM));
    const median = (s: Sample[]) =>
      [...s].sort((a, b) => a.errorM - b.errorM)[Math.floor(s.length / 2)]?.errorM;
    console.log(
      `[calibration] before: ${before.length} samples, median ${median(before)?.toFixed(3)} m; after: ${after.length} samples, median ${median(after)?.toFixed(3)} m, worst ${worst(after).toFixed(3)} m (walking steadily or still: ${worst(after.filter((x) => speedChange(x.ts - startTs) < 0.2)).toFixed(3)} m); ${shown}`,
    );
    expect(before.length).toBeGreaterThan(3);
    expect(median(before)).toBeGreaterThan(0.25);
    expect(after.length).toBeGreaterThan(20);
    // the tracker's constant-velocity filter lags a few centimetres more where the simulated shopper stops dead
    // or sets off (measured: up to 0.15 m for a frame or two, a lag of the filter, not of the projection), and a
    // busy machine drops frames: at a steady walk or standing still 95 % of the samples are within 0.1 m (the
    // worst measured 0.08–0.11 m on a loaded 2-core machine), and 90 % of all of them
    const steady = after.filter((x) => speedChange(x.ts - startTs) < 0.2);
    expect(steady.length).toBeGreaterThan(15);
    expect(steady.filter((x) => x.errorM < 0.1).length).toBeGreaterThanOrEqual(0.95 * steady.length);
    expect(worst(steady)).toBeLessThan(0.15);
    expect(after.filter((x) => x.errorM < 0.1).length).toBeGreaterThanOrEqual(0.9 * after.length);
    expect(median(after)).toBeLessThan(0.04);

    // stored and audited: who calibrated when, with what error
    const listed = await page.evaluate(async () => {
      const token = sessionStorage.getItem('floorToken');
      const headers = { authorization: `Bearer ${token}` };
      const cameras = await (await fetch('/floor/api/cameras', { headers })).json();
      const audit = await (await fetch('/floor/api/audit', { headers })).json();
      return { cameras, audit };
    });
    expect(listed.cameras.cameras[0].calibration).toMatchObject({ camera: 'CAM1', calibratedBy: 'manager' });
    expect(listed.audit.entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['calibrate', 'calibrate-refused']),
    );
    expect(pageErrors).toEqual([]);
  }, 60_000);
});

function floorOf(markId: string): [number, number] {
  const m = (world.floorMarks ?? []).find((x) => x.id === markId);
  return [m?.position.x ?? Number.NaN, m?.position.y ?? Number.NaN];
}
