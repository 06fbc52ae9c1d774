// Rendered camera frames with their ground truth, for building and checking the vision models: each frame
// goes through the edge's own preparation (decode + resize), so the models learn exactly what they will see.
import { decodeToRgb, type InputSize } from '../../edge/vision/frame-prep.ts';
import { Random } from '../../shared/random.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { Appearance } from '../../simulators/vision/appearance.ts';
import { conditionsAt } from '../../simulators/vision/camera-conditions.ts';
import { cameraView } from '../../simulators/vision/camera-geometry.ts';
import { FrameRenderer } from '../../simulators/vision/frame-renderer.ts';
import { HARD_CASES, type HardCases, randomScene } from '../../simulators/vision/training-scenes.ts';

export interface LabelledPerson {
  identity: number;
  /** Centre in model-input pixels, and on the floor in metres. */
  cx: number;
  cy: number;
  x: number;
  y: number;
  hand: { cx: number; cy: number; x: number; y: number } | undefined;
}

export interface LabelledFrame {
  camera: string;
  jpeg: Buffer;
  /** HWC RGB at the model input size. */
  rgb: Buffer;
  people: LabelledPerson[];
}

export async function renderLabelledFrames(
  store: StoreConfig,
  identities: readonly Appearance[],
  count: number,
  seed: number,
  input: InputSize,
  onProgress?: (done: number) => void,
  /** The scene mix (default the one every model card is measured on). */
  hard: HardCases = HARD_CASES,
): Promise<LabelledFrame[]> {
  const random = new Random(seed);
  const views = store.cameras.map(cameraView);
  const renderers = views.map((v) => new FrameRenderer(v, store));
  const frames: LabelledFrame[] = [];
  for (let i = 0; i < count; i++) {
    const c = random.int(0, views.length - 1);
    const view = views[c];
    const renderer = renderers[c];
    if (view === undefined || renderer === undefined) continue;
    const actors = randomScene(store, view, identities, random, hard);
    const { jpeg, visible } = await renderer.render(
      actors,
      conditionsAt(c, random.next() * 600_000, random),
      random,
    );
    const rgb = await decodeToRgb(jpeg, input);
    const sx = input.width / view.camera.imageWidth;
    const sy = input.height / view.camera.imageHeight;
    frames.push({
      camera: view.camera.id,
      jpeg,
      rgb,
      people: visible.map((v) => ({
        identity: Number(v.id),
        cx: v.px * sx,
        cy: v.py * sy,
        x: v.x,
        y: v.y,
        hand:
          v.hand === undefined
            ? undefined
            : { cx: v.hand.px * sx, cy: v.hand.py * sy, x: v.hand.x, y: v.hand.y },
      })),
    });
    if ((i + 1) % 200 === 0) onProgress?.(i + 1);
  }
  return frames;
}
