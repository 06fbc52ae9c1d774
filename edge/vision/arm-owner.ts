// Whose hand, at the resolution an arm can be seen (#13). The detector runs on 128×96 frames, where an arm is
// about a pixel wide and two neighbours' arms blur into one; its `hand_owner` offset is right for ~87 % of
// hands. The arm-owner model looks again at each hand the detector found, in a patch cut from the same frame
// decoded at twice that size, and answers with a map over the patch of where the body the arm joins stands.
// Its best cell becomes the hand's owner point (`HandPeak.owner`); the rest of the pipeline (assignHands,
// every camera's vote) is unchanged. Newer files also answer where that arm really ends (`tip_map`): the
// detector often finds a long reach's hand short along its arm, and the hand is moved out to the arm's end
// when the model is sure of it. Pure apart from the ONNX session and the JPEG decode.
import * as ort from 'onnxruntime-node';
import { decodeToRgb, type InputSize, writeCrop } from './frame-prep.ts';
import { type HandPeak, openSession, type SessionTuning } from './onnx-models.ts';

export interface OwnerGuess {
  /** The owner's body centre, patch pixels. */
  x: number;
  y: number;
  /** The map's probability within one cell of its best cell: how sure the model is of that place. */
  mass: number;
}

export interface ArmGuess {
  owner: OwnerGuess;
  /** Where the arm ends (the hand), patch pixels; absent for models without `tip_map`. */
  tip?: OwnerGuess;
}

/**
 * Patches [N,3,C,C] in [0,1] → `owner_map` [N,1,C/s,C/s], a probability over cells (softmax), and in newer
 * files `tip_map` of the same shape.
 */
export class ArmOwnerModel {
  private patches = new Float32Array(0);

  /** Whether the file also says where each arm ends (`tip_map`); older files say only whose it is. */
  readonly tips: boolean;
  /** The tip map's mass from which a hand is moved to where its arm ends (measurements sweep it). */
  tipMass: number = TIP_MASS;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly input: InputSize,
    readonly crop: number,
  ) {
    this.tips = session.outputNames.includes('tip_map');
  }

  static async open(
    path: string,
    input: InputSize,
    crop: number,
    tuning: SessionTuning,
  ): Promise<ArmOwnerModel> {
    return new ArmOwnerModel(await openSession(path, tuning), input, crop);
  }

  async locate(patches: Float32Array, count: number): Promise<ArmGuess[]> {
    if (count === 0) return [];
    const c = this.crop;
    const input = new ort.Tensor('float32', patches.subarray(0, count * 3 * c * c), [count, 3, c, c]);
    const out = await this.session.run({ patches: input });
    const map = out.owner_map;
    if (map === undefined || map.dims.length !== 4)
      throw new Error('arm-owner output has no owner_map [N,1,h,w]');
    const tips = out.tip_map;
    if (
      tips !== undefined &&
      (tips.dims.length !== 4 || tips.dims[2] !== map.dims[2] || tips.dims[3] !== map.dims[3])
    )
      throw new Error('arm-owner tip_map must be [N,1,h,w] like owner_map');
    const h = map.dims[2] ?? 0;
    const w = map.dims[3] ?? 0;
    const guesses = Array.from({ length: count }, (_, i) => ({
      owner: bestCell(map.data as Float32Array, i * h * w, w, h, c / w),
      ...(tips === undefined ? {} : { tip: bestCell(tips.data as Float32Array, i * h * w, w, h, c / w) }),
    }));
    map.dispose();
    tips?.dispose();
    return guesses;
  }

  /**
   * Gives every hand of these frames (detector-input pixels, `detectorInput`) the owner point the patch around
   * it shows, in the same pixels. Decodes each JPEG once more at `input` — only frames with hands pay for it —
   * and runs all their patches as one batch.
   */
  async ownHands(
    frames: ReadonlyArray<{ jpeg: Buffer; hands: HandPeak[] }>,
    detectorInput: InputSize,
  ): Promise<void> {
    const withHands = frames.filter((f) => f.hands.length > 0);
    if (withHands.length === 0) return;
    const rgbs = await Promise.all(withHands.map((f) => decodeToRgb(f.jpeg, this.input)));
    const scale = { x: this.input.width / detectorInput.width, y: this.input.height / detectorInput.height };
    const hands = withHands.flatMap((f, i) => f.hands.map((hand) => ({ hand, rgb: rgbs[i] as Buffer })));
    const moved: typeof hands = [];
    for (const [h, g] of await this.look(hands, scale)) {
      h.hand.owner = g.owner;
      h.hand.ownerSure = g.ownerSure;
      if (g.tip === undefined) continue;
      if (Math.hypot(g.tip.x - h.hand.x, g.tip.y - h.hand.y) >= SECOND_LOOK_PX) {
        h.hand.ownerBeforeMove = g.owner;
        moved.push(h);
      }
      h.hand.x = g.tip.x;
      h.hand.y = g.tip.y;
    }
    // a hand moved out along its arm is looked at again where it now is: the patch around the detector's
    // short place can show the arm passing in front of a neighbour, whose the model may then say it is. The
    // look at the arm's end names the owner (right more often: 228 vs 212 of 260 moved hands on 4000 fresh
    // renders); the first look can only veto it (fusion leaves a hand the two looks disagree on unsure)
    for (const [{ hand }, g] of await this.look(moved, scale)) {
      hand.owner = g.owner;
      hand.ownerSure = g.ownerSure;
    }
    if (!this.tips) return;
    for (const f of withHands)
      f.hands.splice(0, f.hands.length, ...oneHandPerPlace(f.hands, TIP_SAME_HAND_PX));
  }

  /**
   * The model's answer for the patch around each hand, in detector-input pixels: its owner point and how sure,
   * and where its arm ends when the model is sure enough of that (`tipMass`). One batch for all.
   */
  private async look<H extends { hand: HandPeak; rgb: Buffer }>(
    hands: readonly H[],
    scale: { x: number; y: number },
  ): Promise<
    Array<[H, { owner: { x: number; y: number }; ownerSure: number; tip?: { x: number; y: number } }]>
  > {
    if (hands.length === 0) return [];
    const c = this.crop;
    if (this.patches.length < hands.length * 3 * c * c)
      this.patches = new Float32Array(hands.length * 3 * c * c);
    const origins = hands.map(({ hand, rgb }, i) => {
      const cx = hand.x * scale.x;
      const cy = hand.y * scale.y;
      writeCrop(rgb, this.input, cx, cy, c, this.patches, i);
      return patchOrigin(cx, cy, c);
    });
    const guesses = await this.locate(this.patches, hands.length);
    return hands.map((h, i) => {
      const g = guesses[i] as ArmGuess;
      const o = origins[i] as { x: number; y: number };
      const at = (p: OwnerGuess) => ({ x: (o.x + p.x) / scale.x, y: (o.y + p.y) / scale.y });
      const tip = g.tip !== undefined && g.tip.mass >= this.tipMass ? at(g.tip) : undefined;
      return [
        h,
        { owner: at(g.owner), ownerSure: sureOf(g.owner.mass), ...(tip === undefined ? {} : { tip }) },
      ];
    });
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * The map's mass around its best cell → how sure the owner point is (0–1). The model spreads its probability
 * over a few cells even when right (its training target is a Gaussian one cell wide). On 1000 fresh renders
 * with unseen people (567 hands found): of the hands with mass ≥ 0.7, none went to the wrong person (348);
 * 0.6–0.7, 5 of 115; 0.5–0.6, 4 of 33; 0.4–0.5, 10 of 41. `sure` and above maps to 1, `unsure` and below to 0.
 */
export const OWNER_MASS = { unsure: 0.4, sure: 0.7 } as const;

export function sureOf(mass: number): number {
  return Math.min(1, Math.max(0, (mass - OWNER_MASS.unsure) / (OWNER_MASS.sure - OWNER_MASS.unsure)));
}

/**
 * How sure (the tip map's mass around its best cell) the model must be of where an arm ends before the hand
 * is moved there; below it the detector's place stands.
 */
export const TIP_MASS = 0.5;

/**
 * A hand moved at least this many detector pixels out along its arm is looked at again around its new place
 * (`HandPeak.ownerBeforeMove` keeps the first look's owner point; fusion wants both to name one person).
 */
export const SECOND_LOOK_PX = 1.5;

/** Two hands of one frame moved within this many detector pixels of each other are one hand. */
export const TIP_SAME_HAND_PX = 1.5;

/**
 * The hands of one frame, a hand that lands within `px` of a stronger one dropped: the detector can find one
 * long arm twice (short along it and at its end), and both then end at the same place.
 */
export function oneHandPerPlace(hands: readonly HandPeak[], px: number): HandPeak[] {
  const kept: HandPeak[] = [];
  for (const h of [...hands].sort((a, b) => b.score - a.score)) {
    if (!kept.some((k) => Math.hypot(k.x - h.x, k.y - h.y) < px)) kept.push(h);
  }
  return hands.filter((h) => kept.includes(h));
}

/** The top-left pixel of the patch `writeCrop` cuts around (cx, cy). */
export function patchOrigin(cx: number, cy: number, crop: number): { x: number; y: number } {
  return { x: Math.round(cx - crop / 2), y: Math.round(cy - crop / 2) };
}

/**
 * The most probable cell of one map (row-major h×w at `offset`), refined by the weighted centroid of its 3×3
 * neighbourhood; cell j covers patch pixels [j·stride, (j+1)·stride), so its centre is (j + ½)·stride.
 */
export function bestCell(
  map: Float32Array,
  offset: number,
  w: number,
  h: number,
  stride: number,
): OwnerGuess {
  let best = 0;
  for (let k = 1; k < w * h; k++) if ((map[offset + k] as number) > (map[offset + best] as number)) best = k;
  const bx = best % w;
  const by = Math.floor(best / w);
  let mass = 0;
  let sx = 0;
  let sy = 0;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const x = bx + dx;
      const y = by + dy;
      if (x < 0 || y < 0 || x >= w || y >= h) continue;
      const p = map[offset + y * w + x] as number;
      mass += p;
      sx += p * dx;
      sy += p * dy;
    }
  }
  const fx = mass > 0 ? sx / mass : 0;
  const fy = mass > 0 ? sy / mass : 0;
  return { x: (bx + fx + 0.5) * stride, y: (by + fy + 0.5) * stride, mass };
}
