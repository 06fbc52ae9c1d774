// Motion gate: a camera whose picture has not changed since the detector last found nobody in it is not inferred
// again — it reports nobody, as the detector did. Most frames of a quiet store show an empty aisle; skipping
// them leaves the detector for the cameras where someone is. Pure: a decision depends only on the frames'
// pixels and capture times (never the wall clock), so lockstep runs stay reproducible.
// Shelves are not watched: nobody stands there (a hand reaching in belongs to someone on the floor beside it),
// and their bright, busy fronts are where sensor noise moves a block's mean most.

import { imageToFloor } from '../../shared/camera-projection.ts';
import type { Camera, Shelf } from '../../shared/store-config.ts';
import { insideFixture } from './fixture-mask.ts';
import type { InputSize } from './frame-prep.ts';

export interface MotionGateSettings {
  /** Off: every frame is inferred. */
  enabled: boolean;
  /**
   * Side of the square blocks whose mean grey level is compared, in detector-input pixels. 4 px of the 128×96
   * input are 20 camera pixels (0.3 m on the sample store's cameras): a hand (0.11 m) or an arm (0.09 m wide)
   * covers a good part of one, while the mean of 16 input pixels (each ~25 camera pixels) averages the sensor
   * noise and JPEG artefacts away.
   */
  blockPx: number;
  /**
   * A block of floor whose mean grey level moved by more than this many 8-bit levels from the background is
   * motion. Measured on rendered frames of the sample store (test/unit/edge/vision/motion-gate.test.ts): empty
   * frames up to 1 s apart (noise sd 3–8, blur, lighting drift) differ by at most ~5 levels in any floor
   * block; a person whose centre has just crossed the image border already moves one by 11 or more.
   */
  thresholdLevels: number;
  /**
   * Lighting that changed the whole picture by up to this fraction (the median block's ratio to the
   * background) is taken out before comparing: the sample store's light drifts by up to ~2 % a second, which
   * moves every floor block by ~4 levels. A larger change (a dim spell, ×0.72) counts as motion.
   */
  maxLightingChange: number;
  /** The detector runs on each camera at least this often (capture-time ms), whatever the gate says. */
  maxSkipMs: number;
  /**
   * Inferences in a row that found nobody in a still picture (each within the threshold of the one before)
   * before frames may be skipped: someone the detector missed once (just coming in at the border, or standing
   * still) must not be hidden for `maxSkipMs`; while they move, every look sees motion and the count restarts.
   */
  emptyInferencesBeforeSkip: number;
}

export const MOTION_GATE_DEFAULTS: MotionGateSettings = {
  enabled: true,
  blockPx: 4,
  thresholdLevels: 6,
  maxLightingChange: 0.1,
  maxSkipMs: 1000,
  emptyInferencesBeforeSkip: 2,
};

/** What the gate remembers of one camera. */
interface CameraBackground {
  /** Block means of the last inferred frame in which the detector found nobody. */
  blocks: Float32Array;
  /** Capture time of the camera's last inferred frame. */
  inferredTs: number;
  /** Inferences in a row (up to the last) that found nobody, each in a picture still since the one before. */
  emptyInferences: number;
}

export class MotionGate {
  /** by camera id */
  private readonly backgrounds = new Map<string, CameraBackground>();
  /** by camera id: 1 for each block whose centre lies on a shelf (not compared) */
  private readonly shelfBlocks = new Map<string, Uint8Array>();
  /** by camera id */
  private readonly cameras: Map<string, Camera>;
  /** Frames the gate let through to the detector, and frames it skipped. */
  readonly counts = { inferred: 0, skipped: 0 };
  private readonly columns: number;
  private readonly rows: number;

  constructor(
    private readonly settings: MotionGateSettings,
    /** Size of the RGB frames it is given (the detector's input). */
    private readonly input: InputSize,
    /** The store's cameras and shelves: blocks on a shelf are not compared (none given: every block is). */
    cameras: readonly Camera[] = [],
    private readonly shelves: readonly Shelf[] = [],
  ) {
    this.columns = Math.ceil(input.width / settings.blockPx);
    this.rows = Math.ceil(input.height / settings.blockPx);
    this.cameras = new Map(cameras.map((c) => [c.id, c]));
  }

  /** A camera was calibrated again: which of its blocks lie on a shelf is worked out anew. */
  setCamera(camera: Camera): void {
    if (!this.cameras.has(camera.id)) return;
    this.cameras.set(camera.id, camera);
    this.shelfBlocks.delete(camera.id);
  }

  /** Mean grey level (r + g + b) / 3 of every block of an HWC RGB frame at the input size. */
  blockMeans(rgb: Uint8Array): Float32Array {
    const { width, height } = this.input;
    const { blockPx } = this.settings;
    const sums = new Float32Array(this.columns * this.rows);
    const counts = new Float32Array(this.columns * this.rows);
    for (let y = 0; y < height; y++) {
      const row = Math.floor(y / blockPx) * this.columns;
      for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
        const b = row + Math.floor(x / blockPx);
        sums[b] = (sums[b] as number) + (rgb[i] as number) + (rgb[i + 1] as number) + (rgb[i + 2] as number);
        counts[b] = (counts[b] as number) + 3;
      }
    }
    for (let b = 0; b < sums.length; b++) sums[b] = (sums[b] as number) / (counts[b] as number);
    return sums;
  }

  /**
   * True when the detector may be skipped for this frame: the camera's last inferences found nobody, the
   * last was less than `maxSkipMs` ago, and no block moved by more than the threshold since.
   */
  canSkip(camera: string, captureTs: number, blocks: Float32Array): boolean {
    const { enabled, maxSkipMs, emptyInferencesBeforeSkip } = this.settings;
    const background = this.backgrounds.get(camera);
    const skip =
      enabled &&
      background !== undefined &&
      background.emptyInferences >= emptyInferencesBeforeSkip &&
      captureTs >= background.inferredTs &&
      captureTs - background.inferredTs < maxSkipMs &&
      this.change(camera, blocks) <= this.settings.thresholdLevels;
    if (skip) this.counts.skipped++;
    else this.counts.inferred++;
    return skip;
  }

  /**
   * How far a frame moved from the camera's background: the largest change of a floor block's mean level
   * (8-bit levels); infinite before a background was learned.
   */
  change(camera: string, blocks: Float32Array): number {
    const background = this.backgrounds.get(camera);
    if (background === undefined) return Number.POSITIVE_INFINITY;
    return largestChange(
      blocks,
      background.blocks,
      this.shelfBlocksOf(camera),
      this.settings.maxLightingChange,
    );
  }

  /** Which of the camera's blocks have their centre on a shelf's footprint (computed once per camera). */
  private shelfBlocksOf(cameraId: string): Uint8Array {
    let mask = this.shelfBlocks.get(cameraId);
    if (mask !== undefined) return mask;
    mask = new Uint8Array(this.columns * this.rows);
    const camera = this.cameras.get(cameraId);
    if (camera !== undefined) {
      const { blockPx } = this.settings;
      const sx = camera.imageWidth / this.input.width;
      const sy = camera.imageHeight / this.input.height;
      for (let by = 0; by < this.rows; by++)
        for (let bx = 0; bx < this.columns; bx++) {
          const floor = imageToFloor(camera, (bx + 0.5) * blockPx * sx, (by + 0.5) * blockPx * sy);
          if (insideFixture(this.shelves, floor.x, floor.y, 0)) mask[by * this.columns + bx] = 1;
        }
    }
    this.shelfBlocks.set(cameraId, mask);
    return mask;
  }

  /** The detector ran on this frame and found `people` people: learn the background when it found nobody. */
  inferred(camera: string, captureTs: number, blocks: Float32Array, people: number): void {
    const before = this.backgrounds.get(camera);
    if (people > 0) {
      // the background stays what it was: the next frames are inferred until someone sees nobody again
      if (before !== undefined) {
        before.inferredTs = captureTs;
        before.emptyInferences = 0;
      }
      return;
    }
    const still = before !== undefined && this.change(camera, blocks) <= this.settings.thresholdLevels;
    this.backgrounds.set(camera, {
      blocks,
      inferredTs: captureTs,
      emptyInferences: still ? before.emptyInferences + 1 : 1,
    });
  }
}

/**
 * The largest change of one block's mean level off the shelves, in 8-bit levels, once the change of lighting
 * (the median block's ratio) is taken out; infinite when the lighting changed by more than `maxLighting`.
 */
function largestChange(
  blocks: Float32Array,
  background: Float32Array,
  shelf: Uint8Array,
  maxLighting: number,
): number {
  const ratios: number[] = [];
  for (let b = 0; b < blocks.length; b++)
    if (shelf[b] !== 1) ratios.push((blocks[b] as number) / Math.max(1, background[b] as number));
  if (ratios.length === 0) return 0;
  ratios.sort((a, b) => a - b);
  const gain = ratios[ratios.length >> 1] as number;
  if (Math.abs(gain - 1) > maxLighting) return Number.POSITIVE_INFINITY;
  let largest = 0;
  for (let b = 0; b < blocks.length; b++) {
    if (shelf[b] === 1) continue;
    const change = Math.abs((blocks[b] as number) - gain * (background[b] as number));
    if (change > largest) largest = change;
  }
  return largest;
}
