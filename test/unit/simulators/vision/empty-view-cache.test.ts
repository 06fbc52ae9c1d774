// The camera simulator's empty-view fast path: frames showing nobody come from a few pre-rendered variants,
// chosen with the camera's own stream, so the same seed gives the same bytes; a frame showing anyone is
// rendered as before, bit for bit.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Random } from '../../../../shared/random.ts';
import { loadStoreConfig } from '../../../../shared/store-config.ts';
import type { Appearance } from '../../../../simulators/vision/appearance.ts';
import { conditionsAt } from '../../../../simulators/vision/camera-conditions.ts';
import { cameraView } from '../../../../simulators/vision/camera-geometry.ts';
import { EmptyViewCache } from '../../../../simulators/vision/empty-view-cache.ts';
import { FrameRenderer, type SceneActor } from '../../../../simulators/vision/frame-renderer.ts';

const store = loadStoreConfig(resolve(import.meta.dirname, '../../../../stores/sample-store.json'));
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const LOOK: Appearance = {
  top: [200, 40, 40],
  head: [30, 25, 20],
  skin: [200, 150, 110],
  size: 1,
  carries: 'basket',
  basket: [20, 150, 60],
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);

/** Camera 2 (left border at x = 14.2 m): someone at `x` on its middle row, or nobody. */
function scene(x: number | undefined): SceneActor[] {
  if (x === undefined) return [];
  return [
    { id: 'p', appearance: LOOK, pose: { x, y: 3.4, heading: 0, reach: 0, hand: undefined, onFloor: true } },
  ];
}
/** Nobody, then someone far outside, walking in, walking across. */
const PATH = [undefined, undefined, 12, undefined, 14.1, 14.3, 15, undefined, undefined, undefined];

async function play(seed: number) {
  const camera = store.cameras[2];
  if (camera === undefined) throw new Error('no camera 2');
  const shots = new EmptyViewCache(new FrameRenderer(cameraView(camera), store), 2, seed);
  const random = new Random(seed);
  const out: Array<{ hash: string; reused: boolean; visible: number }> = [];
  for (const [k, x] of PATH.entries()) {
    const shot = await shots.shoot(scene(x), T0 + k * 100, random);
    out.push({ hash: sha(shot.jpeg), reused: shot.reused, visible: shot.visible.length });
  }
  return out;
}

describe('empty-view cache', () => {
  it('gives the same bytes for the same seed, and reuses only frames where nobody draws a pixel', async () => {
    const first = await play(42);
    expect(await play(42)).toEqual(first);
    // someone 2.2 m outside the border (x = 12) draws nothing; 0.1 m outside (14.1) their shoulder reaches in
    expect(first.map((f) => f.reused)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(first.map((f) => f.visible)).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
    // the empty frames come from several variants, drawn by the camera's stream
    const empty = new Set(first.filter((f) => f.reused).map((f) => f.hash));
    expect(empty.size).toBeGreaterThan(1);
    expect(empty.size).toBeLessThanOrEqual(4);
    // another seed: other noise
    const other = await play(43);
    expect(other.map((f) => f.hash)).not.toEqual(first.map((f) => f.hash));
  });

  it('shares its views with every cache of the same scene and seed in the process, and with no other', async () => {
    const camera = store.cameras[3];
    if (camera === undefined) throw new Error('no camera 3');
    const shootEmpty = async (seed: number) => {
      const renderer = new FrameRenderer(cameraView(camera), store);
      const render = vi.spyOn(renderer, 'render');
      const shots = new EmptyViewCache(renderer, 3, seed);
      const random = new Random(7);
      const hashes: string[] = [];
      for (let k = 0; k < 6; k++) hashes.push(sha((await shots.shoot([], T0 + k * 100, random)).jpeg));
      return { hashes, renders: render.mock.calls.length };
    };
    const first = await shootEmpty(1001);
    expect(first.renders).toBeGreaterThan(0);
    // a later run of the same camera and seed (a new renderer, as each run makes) renders nothing again
    expect(await shootEmpty(1001)).toEqual({ hashes: first.hashes, renders: 0 });
    // another seed is other noise, rendered afresh
    const other = await shootEmpty(1002);
    expect(other.renders).toBeGreaterThan(0);
    expect(other.hashes).not.toEqual(first.hashes);
  });

  it('renders a frame showing someone exactly as the renderer does on the same stream', async () => {
    const camera = store.cameras[2];
    if (camera === undefined) throw new Error('no camera 2');
    const shots = new EmptyViewCache(new FrameRenderer(cameraView(camera), store), 2, 1);
    const shot = await shots.shoot(scene(14.3), T0, new Random(5));
    const random = new Random(5);
    const direct = await new FrameRenderer(cameraView(camera), store).render(
      scene(14.3),
      conditionsAt(2, T0, random),
      random,
    );
    expect(shot.reused).toBe(false);
    expect(sha(shot.jpeg)).toBe(sha(direct.jpeg));
  });
});
