// A camera's empty view (floor and shelves, nobody in the picture) rendered and JPEG-encoded once per lighting
// level and noise variant, then reused: in small scenarios most frames show nobody, and rendering them again
// cost ~4 ms each for pictures that differ only in their sensor noise. The views are kept for the whole process:
// every run of an evaluation starts at the same device time on the same store, so its cameras pass through the
// same lighting levels and take the views an earlier run rendered.
import { Random } from '../../shared/random.ts';
import { deriveSeed } from '../world/derived-random.ts';
import { brightnessAt, conditionsAt, sensorConditions } from './camera-conditions.ts';
import type { FrameRenderer, SceneActor, VisiblePerson } from './frame-renderer.ts';

export interface EmptyViewSettings {
  /** Pre-rendered variants per lighting level, each with its own sensor noise and blur. */
  variants: number;
  /**
   * The lighting of an empty view is rounded to multiples of this brightness factor: 0.02 moves a pixel by at
   * most ±1 % (~2 of 255 levels on the floor), less than the sensor noise (sd 3–8 levels) drawn over it. The
   * lighting range (0.78–1.06, dim spells ×0.72) then has ~26 levels: at most ~100 JPEGs of ~27 KB per camera.
   */
  brightnessStep: number;
}

/** 4 variants: the same noise rarely shows twice in a row (1 in 4), and a camera renders at most 4 per level. */
export const EMPTY_VIEW_DEFAULTS: EmptyViewSettings = { variants: 4, brightnessStep: 0.02 };

export interface CameraShot {
  jpeg: Buffer;
  visible: VisiblePerson[];
  /** True when the frame is a pre-rendered empty view. */
  reused: boolean;
}

/**
 * Empty views rendered in this process, by `${scene}|${camera index}|${seed}|${step}|${level}:${variant}`: the
 * encoded frame (a promise, so one render serves concurrent asks). A view's bytes depend on nothing else.
 */
const renderedViews = new Map<string, Promise<Buffer>>();
/**
 * Views kept before the store is emptied: the sample store's 21 cameras have ~26 lighting levels × 4 variants
 * (~2,200 views of ~27 KB); this leaves room for another store or seed per process.
 */
const MAX_RENDERED_VIEWS = 5000;

export class EmptyViewCache {
  /** Prefix of this camera's keys in `renderedViews`. */
  private readonly keyPrefix: string;

  constructor(
    private readonly renderer: FrameRenderer,
    /** Index of the camera in the store (its lighting phase). */
    private readonly cameraIndex: number,
    /**
     * Seed of the variants' own noise: a variant's bytes do not depend on when it was first needed. Caches of
     * the same scene and seed share their views.
     */
    private readonly seed: number,
    private readonly settings: EmptyViewSettings = EMPTY_VIEW_DEFAULTS,
  ) {
    this.keyPrefix = `${renderer.sceneKey()}|${cameraIndex}|${seed}|${settings.brightnessStep}|`;
  }

  /**
   * What the camera sees at `tMs`: a full render when anyone draws into the picture (conditions and noise from
   * `random`, as the renderer always did), otherwise one of the empty view's variants, chosen with `random`.
   */
  async shoot(actors: readonly SceneActor[], tMs: number, random: Random): Promise<CameraShot> {
    if (await this.renderer.showsAnyone(actors)) {
      const conditions = conditionsAt(this.cameraIndex, tMs, random);
      const { jpeg, visible } = await this.renderer.render(actors, conditions, random);
      return { jpeg, visible, reused: false };
    }
    const variant = Math.floor(random.next() * this.settings.variants);
    return { jpeg: await this.emptyView(tMs, variant), visible: [], reused: true };
  }

  private emptyView(tMs: number, variant: number): Promise<Buffer> {
    const step = this.settings.brightnessStep;
    const level = Math.round(brightnessAt(this.cameraIndex, tMs) / step);
    const key = `${level}:${variant}`;
    let jpeg = renderedViews.get(this.keyPrefix + key);
    if (jpeg === undefined) {
      const random = new Random(deriveSeed(this.seed, `empty-view:${key}`));
      const conditions = { brightness: level * step, ...sensorConditions(random), jpegQuality: 75 };
      const rendering = this.renderer.render([], conditions, random).then((shot) => shot.jpeg);
      if (renderedViews.size >= MAX_RENDERED_VIEWS) renderedViews.clear();
      renderedViews.set(this.keyPrefix + key, rendering);
      // a failed render is not kept: the next ask renders again
      rendering.catch(() => {
        if (renderedViews.get(this.keyPrefix + key) === rendering) renderedViews.delete(this.keyPrefix + key);
      });
      jpeg = rendering;
    }
    return jpeg;
  }
}
