// Decodes the output of an Ultralytics YOLO export in the format its config DECLARES — never guessed from the
// shape, which is only checked against the declaration (a [1, 300, 6] end-to-end output would otherwise read
// as a 2-class [1, 4+C, N] one):
//   yolo-v8       YOLOv8/v11 detect   [1, 4 + classes, N]: cx, cy, w, h, then per-class scores
//   yolo-end2end  NMS-free export     [1, N, 6]: x1, y1, x2, y2, score, class (already suppressed)
//   yolo-pose     YOLOv8/v11 pose     [1, 4 + 1 + keypoints × 3, N]: cx, cy, w, h, person score, then x, y,
//                                     visibility per keypoint
// Coordinates are letterboxed input pixels; the result is in camera-frame pixels, one class kept, NMS applied.
// Pure.

export interface Letterbox {
  /** Input pixels per frame pixel. */
  scale: number;
  padX: number;
  padY: number;
}

export interface Box {
  /** Centre and size in frame pixels. */
  cx: number;
  cy: number;
  w: number;
  h: number;
  score: number;
}

export interface Keypoint {
  /** Frame pixels. */
  x: number;
  y: number;
  /** 0–1: how sure the model is the point is visible. */
  visibility: number;
}

/** A detected person, with their keypoints from a pose model (COCO order). */
export interface YoloPerson extends Box {
  keypoints?: Keypoint[];
}

export const YOLO_FORMATS = ['yolo-v8', 'yolo-end2end', 'yolo-pose'] as const;
export type YoloFormat = (typeof YOLO_FORMATS)[number];

/** What the config declares about the model's output. */
export interface YoloLayout {
  format: YoloFormat;
  /** Classes of a detect export (80 for COCO); the end-to-end format carries the class id instead. */
  classes: number;
  /** Keypoints per person of a pose export (17 for COCO). */
  keypoints: number;
}

export class YoloFormatError extends Error {
  readonly code = 'YOLO_FORMAT_MISMATCH';
}

/** The output shape a layout expects, as text (`N` for any anchor count). */
export function expectedShape(layout: YoloLayout): string {
  switch (layout.format) {
    case 'yolo-v8':
      return `[1, ${4 + layout.classes}, N]`;
    case 'yolo-end2end':
      return '[1, N, 6]';
    case 'yolo-pose':
      return `[1, ${5 + 3 * layout.keypoints}, N]`;
  }
}

/** Throws a YoloFormatError saying what was declared, what came out and what to do, when they differ. */
export function checkYoloOutput(dims: readonly number[], layout: YoloLayout): void {
  const [batch, a, b] = dims;
  const fits =
    dims.length === 3 &&
    batch === 1 &&
    (layout.format === 'yolo-v8'
      ? a === 4 + layout.classes
      : layout.format === 'yolo-end2end'
        ? b === 6
        : a === 5 + 3 * layout.keypoints);
  if (fits) return;
  throw new YoloFormatError(
    `the YOLO model outputs [${dims.join(', ')}] but the config declares ${layout.format}, which is ${expectedShape(layout)}: ` +
      'set VISION_YOLO_FORMAT (yolo-v8, yolo-end2end or yolo-pose), VISION_YOLO_CLASSES or VISION_YOLO_KEYPOINTS to what the model was exported as (docs/vision.md, "Bringing your own model")',
  );
}

/** The letterbox Ultralytics uses: scale to fit, centred, grey padding. */
export function letterboxFor(frameW: number, frameH: number, inputW: number, inputH: number): Letterbox {
  const scale = Math.min(inputW / frameW, inputH / frameH);
  return { scale, padX: (inputW - frameW * scale) / 2, padY: (inputH - frameH * scale) / 2 };
}

export interface YoloDecodeOptions {
  layout: YoloLayout;
  /** Class kept (0 = person in COCO; a pose model has only people). */
  classId: number;
  scoreThreshold: number;
  iouThreshold: number;
  letterbox: Letterbox;
}

/** `data` is the output tensor in row-major order, `dims` its shape, checked against the declared layout. */
export function decodeYolo(
  data: Float32Array,
  dims: readonly number[],
  options: YoloDecodeOptions,
): YoloPerson[] {
  checkYoloOutput(dims, options.layout);
  switch (options.layout.format) {
    case 'yolo-v8':
      return decodeDetect(data, dims, options);
    case 'yolo-end2end':
      return decodeEndToEnd(data, dims, options);
    case 'yolo-pose':
      return decodePose(data, dims, options);
  }
}

const toFrame = (l: Letterbox, x: number, y: number) => ({
  x: (x - l.padX) / l.scale,
  y: (y - l.padY) / l.scale,
});

function decodeDetect(data: Float32Array, dims: readonly number[], options: YoloDecodeOptions): YoloPerson[] {
  const n = dims[2] ?? 0;
  const classes = (dims[1] ?? 0) - 4;
  if (options.classId < 0 || options.classId >= classes)
    throw new RangeError(`class ${options.classId} not in a ${classes}-class output`);
  const at = (r: number, i: number) => data[r * n + i] as number;
  const candidates: YoloPerson[] = [];
  for (let i = 0; i < n; i++) {
    const score = at(4 + options.classId, i);
    if (!(score >= options.scoreThreshold)) continue;
    candidates.push(box(options.letterbox, at(0, i), at(1, i), at(2, i), at(3, i), score));
  }
  return nonMaxSuppression(candidates, options.iouThreshold);
}

function decodeEndToEnd(
  data: Float32Array,
  dims: readonly number[],
  options: YoloDecodeOptions,
): YoloPerson[] {
  const n = dims[1] ?? 0;
  const kept: YoloPerson[] = [];
  for (let i = 0; i < n; i++) {
    const at = (j: number) => data[i * 6 + j] as number;
    const score = at(4);
    if (at(5) !== options.classId || !(score >= options.scoreThreshold)) continue;
    const w = at(2) - at(0);
    const h = at(3) - at(1);
    kept.push(box(options.letterbox, at(0) + w / 2, at(1) + h / 2, w, h, score));
  }
  // the model suppressed overlaps itself; strongest first like the other formats
  return kept.sort((a, b) => b.score - a.score);
}

function decodePose(data: Float32Array, dims: readonly number[], options: YoloDecodeOptions): YoloPerson[] {
  const n = dims[2] ?? 0;
  const k = options.layout.keypoints;
  const l = options.letterbox;
  const at = (r: number, i: number) => data[r * n + i] as number;
  const candidates: YoloPerson[] = [];
  for (let i = 0; i < n; i++) {
    const score = at(4, i);
    if (!(score >= options.scoreThreshold)) continue;
    const keypoints: Keypoint[] = [];
    for (let j = 0; j < k; j++) {
      const p = toFrame(l, at(5 + 3 * j, i), at(6 + 3 * j, i));
      keypoints.push({ ...p, visibility: at(7 + 3 * j, i) });
    }
    candidates.push({ ...box(l, at(0, i), at(1, i), at(2, i), at(3, i), score), keypoints });
  }
  return nonMaxSuppression(candidates, options.iouThreshold);
}

function box(l: Letterbox, cx: number, cy: number, w: number, h: number, score: number): YoloPerson {
  const c = toFrame(l, cx, cy);
  return { cx: c.x, cy: c.y, w: w / l.scale, h: h / l.scale, score };
}

export function iou(a: Box, b: Box): number {
  const x0 = Math.max(a.cx - a.w / 2, b.cx - b.w / 2);
  const y0 = Math.max(a.cy - a.h / 2, b.cy - b.h / 2);
  const x1 = Math.min(a.cx + a.w / 2, b.cx + b.w / 2);
  const y1 = Math.min(a.cy + a.h / 2, b.cy + b.h / 2);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.w * a.h + b.w * b.h - inter;
  return union <= 0 ? 0 : inter / union;
}

export function nonMaxSuppression<B extends Box>(boxes: readonly B[], iouThreshold: number): B[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: B[] = [];
  for (const box of sorted) if (kept.every((k) => iou(k, box) < iouThreshold)) kept.push(box);
  return kept;
}
