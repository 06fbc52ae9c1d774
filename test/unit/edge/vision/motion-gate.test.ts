// The motion gate on frames the camera simulator renders: an empty aisle is skipped between the detector's
// once-a-second looks, lighting drift and sensor noise do not wake it, and a person walking in across the
// image border is never skipped. With the real detector, the gate changes nothing where someone is.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insideFixture } from '../../../../edge/vision/fixture-mask.ts';
import { FramePipeline } from '../../../../edge/vision/frame-pipeline.ts';
import { decodeToRgb } from '../../../../edge/vision/frame-prep.ts';
import { MOTION_GATE_DEFAULTS, MotionGate } from '../../../../edge/vision/motion-gate.ts';
import { AppearanceEmbedder, HeatmapDetector } from '../../../../edge/vision/onnx-models.ts';
import { DETECTOR_INPUT, EMBED_CROP } from '../../../../edge/vision/vision-defaults.ts';
import { Random } from '../../../../shared/random.ts';
import { loadStoreConfig } from '../../../../shared/store-config.ts';
import type { Appearance } from '../../../../simulators/vision/appearance.ts';
import { conditionsAt } from '../../../../simulators/vision/camera-conditions.ts';
import { cameraView } from '../../../../simulators/vision/camera-geometry.ts';
import { FrameRenderer, type SceneActor } from '../../../../simulators/vision/frame-renderer.ts';

const root = resolve(import.meta.dirname, '../../../..');
const store = loadStoreConfig(resolve(root, 'stores/sample-store.json'));
/** The lockstep origin: lighting drifts over these seconds without a dim spell on the cameras used. */
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Shirt close to the floor's grey (the hardest to see) and a dark one. */
const LOOKS: Appearance[] = [
  {
    top: [185, 180, 168],
    head: [120, 110, 100],
    skin: [200, 150, 110],
    size: 0.9,
    carries: 'nothing',
    basket: [0, 0, 0],
  },
  {
    top: [40, 40, 60],
    head: [30, 25, 20],
    skin: [90, 60, 40],
    size: 1.1,
    carries: 'trolley',
    basket: [0, 0, 0],
  },
];

function walker(look: Appearance, x: number, y: number, heading: number): SceneActor {
  return { id: 'p', appearance: look, pose: { x, y, heading, reach: 0, hand: undefined, onFloor: true } };
}

/** A camera rendering frames at 10 fps from T0, with its own noise stream. */
function cameraAt(index: number, seed: number) {
  const camera = store.cameras[index];
  if (camera === undefined) throw new Error(`no camera ${index}`);
  const renderer = new FrameRenderer(cameraView(camera), store);
  const random = new Random(seed);
  return {
    camera,
    renderer,
    async frame(k: number, actors: SceneActor[]) {
      const ts = T0 + k * 100;
      const { jpeg, visible } = await renderer.render(actors, conditionsAt(index, ts, random), random);
      return { ts, jpeg, visible };
    },
  };
}

const gateFor = () => new MotionGate(MOTION_GATE_DEFAULTS, DETECTOR_INPUT, store.cameras, store.shelves);

describe('motion gate', () => {
  it('skips an empty aisle between two empty inferences and a look every second', async () => {
    const cam = cameraAt(2, 11);
    const gate = gateFor();
    const decisions: string[] = [];
    for (let k = 0; k < 25; k++) {
      const { ts, jpeg } = await cam.frame(k, []);
      const blocks = gate.blockMeans(await decodeToRgb(jpeg, DETECTOR_INPUT));
      if (gate.canSkip(cam.camera.id, ts, blocks)) decisions.push('skip');
      else {
        decisions.push('infer');
        gate.inferred(cam.camera.id, ts, blocks, 0);
      }
    }
    // two empty inferences first, then one per second (capture time)
    const inferredAt = decisions.flatMap((d, k) => (d === 'infer' ? [k] : []));
    expect(inferredAt).toEqual([0, 1, 11, 21]);
    expect(gate.counts).toEqual({ inferred: 4, skipped: 21 });
  });

  it('never skips a frame showing a person walking in across the image border', async () => {
    const walks = [
      // camera index, start and step (metres per frame at 1.2 m/s) of the walk, heading
      { camera: 2, border: 'left' as const },
      { camera: 5, border: 'left' as const },
      { camera: 4, border: 'top' as const },
    ];
    for (const [w, walk] of walks.entries()) {
      for (const [l, look] of LOOKS.entries()) {
        const cam = cameraAt(walk.camera, 100 + w * 10 + l);
        const [a = 0, , c = 0, , e = 0, f = 0] = cam.camera.homography;
        const along = walk.border === 'left';
        // from 1.2 m outside the border to 1.2 m inside, through the middle of the other axis
        const at = (s: number) =>
          along
            ? { x: c + s, y: f + e * cam.camera.imageHeight * 0.5 }
            : { x: c + a * cam.camera.imageWidth * 0.5, y: f + s };
        expect(insideFixture(store.shelves, at(0).x, at(0).y, -0.3)).toBe(false);
        const gate = gateFor();
        let shown = 0;
        for (let k = 0; k < 40; k++) {
          const s = k < 10 ? Number.NaN : -1.2 + (k - 10) * 0.12;
          const actors = Number.isNaN(s) ? [] : [walker(look, at(s).x, at(s).y, along ? 0 : Math.PI / 2)];
          const { ts, jpeg, visible } = await cam.frame(k, actors);
          const blocks = gate.blockMeans(await decodeToRgb(jpeg, DETECTOR_INPUT));
          const skipped = gate.canSkip(cam.camera.id, ts, blocks);
          // a detector that finds the person exactly when their centre is in the picture
          if (!skipped) gate.inferred(cam.camera.id, ts, blocks, visible.length);
          if (visible.length > 0) {
            shown++;
            expect(skipped, `${cam.camera.id} ${walk.border} look ${l} frame ${k}`).toBe(false);
          }
        }
        expect(shown).toBeGreaterThan(15);
        // the empty frames before were skipped
        expect(gate.counts.skipped).toBeGreaterThanOrEqual(7);
      }
    }
  });

  it('lets a change of light through as long as it is small, and a dim spell wakes it', () => {
    const gate = new MotionGate(MOTION_GATE_DEFAULTS, { width: 8, height: 8 });
    const grey = (level: number) => new Float32Array(4).fill(level);
    gate.inferred('C', 0, grey(180), 0);
    gate.inferred('C', 100, grey(180), 0);
    expect(gate.change('C', grey(180 * 1.05))).toBeCloseTo(0, 3);
    expect(gate.canSkip('C', 200, grey(180 * 1.05))).toBe(true);
    expect(gate.canSkip('C', 300, grey(180 * 0.72))).toBe(false);
    // one block darker by more than the threshold: motion
    const someone = grey(180);
    someone[3] = 170;
    expect(gate.canSkip('C', 400, someone)).toBe(false);
    // the last inference found someone: no skipping until two empty ones
    gate.inferred('C', 500, someone, 1);
    expect(gate.canSkip('C', 600, grey(180))).toBe(false);
    gate.inferred('C', 600, grey(180), 0);
    expect(gate.canSkip('C', 700, grey(180))).toBe(false);
    gate.inferred('C', 700, grey(180), 0);
    expect(gate.canSkip('C', 800, grey(180))).toBe(true);
    // off: nothing is skipped
    const off = new MotionGate({ ...MOTION_GATE_DEFAULTS, enabled: false }, { width: 8, height: 8 });
    off.inferred('C', 0, grey(180), 0);
    off.inferred('C', 100, grey(180), 0);
    expect(off.canSkip('C', 200, grey(180))).toBe(false);
  });

  describe('with the shipped detector', () => {
    let detector: HeatmapDetector;
    let embedder: AppearanceEmbedder;
    beforeAll(async () => {
      const tuning = { intraOpThreads: 1 };
      detector = await HeatmapDetector.open(
        resolve(root, 'models/person-heatmap.onnx'),
        DETECTOR_INPUT,
        tuning,
      );
      embedder = await AppearanceEmbedder.open(
        resolve(root, 'models/appearance-embed.onnx'),
        EMBED_CROP,
        tuning,
      );
    });
    afterAll(async () => {
      await detector?.release();
      await embedder?.release();
    });

    it('reports exactly what the detector finds on every frame where it finds someone', async () => {
      const cam = cameraAt(2, 7);
      const pipeline = (gate?: MotionGate) =>
        new FramePipeline(
          store.cameras,
          { kind: 'heatmap', model: detector },
          embedder,
          DETECTOR_INPUT,
          store.shelves,
          gate,
        );
      const gate = gateFor();
      const gated = pipeline(gate);
      const plain = pipeline();
      const [, , c = 0, , e = 0, f = 0] = cam.camera.homography;
      const y = f + e * cam.camera.imageHeight * 0.5;
      let withSomeone = 0;
      for (let k = 0; k < 45; k++) {
        // 1.5 s of empty aisle, then someone walks in from the left and across
        const actors = k < 15 ? [] : [walker(LOOKS[0] as Appearance, c - 1.2 + (k - 15) * 0.12, y, 0)];
        const { ts, jpeg } = await cam.frame(k, actors);
        const frame = [{ camera: cam.camera.id, captureTs: ts, jpeg }];
        const expected = await plain.process(frame);
        const got = await gated.process(frame);
        if (expected.length > 0) {
          withSomeone++;
          expect(got, `frame ${k}`).toEqual(expected);
        }
      }
      expect(withSomeone).toBeGreaterThan(15);
      expect(gate.counts.skipped).toBeGreaterThanOrEqual(10);
    });
  });
});
