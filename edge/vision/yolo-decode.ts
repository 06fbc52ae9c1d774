// Decodes an Ultralytics YOLO (v8/v11) detection export: output [1, 4 + classes, N] with boxes (cx, cy, w, h)
// in letterboxed input pixels followed by per-class scores; keeps one class, applies NMS and undoes the
// letterbox, giving boxes in camera-frame pixels. Pure.

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

/** The letterbox Ultralytics uses: scale to fit, centred, grey padding. */
export function letterboxFor(frameW: number, frameH: number, inputW: number, inputH: number): Letterbox {
  const scale = Math.min(inputW / frameW, inputH / frameH);
  return { scale, padX: (inputW - frameW * scale) / 2, padY: (inputH - frameH * scale) / 2 };
}

export interface YoloDecodeOptions {
  /** Class kept (0 = person in COCO). */
  classId: number;
  scoreThreshold: number;
  iouThreshold: number;
  letterbox: Letterbox;
}

/** `data` is the [1, 4 + classes, N] tensor in row-major order; `dims` its shape. */
export function decodeYolo(data: Float32Array, dims: readonly number[], options: YoloDecodeOptions): Box[] {
  const [batch = 0, rows = 0, n = 0] = dims;
  if (dims.length !== 3 || batch !== 1 || rows < 5) {
    throw new RangeError(`YOLO output must be [1, 4+classes, N], got [${dims.join(', ')}]`);
  }
  const classes = rows - 4;
  if (options.classId < 0 || options.classId >= classes) {
    throw new RangeError(`class ${options.classId} not in a ${classes}-class output`);
  }
  const { scale, padX, padY } = options.letterbox;
  const at = (r: number, i: number) => data[r * n + i] as number;
  const candidates: Box[] = [];
  for (let i = 0; i < n; i++) {
    const score = at(4 + options.classId, i);
    if (!(score >= options.scoreThreshold)) continue;
    candidates.push({
      cx: (at(0, i) - padX) / scale,
      cy: (at(1, i) - padY) / scale,
      w: at(2, i) / scale,
      h: at(3, i) / scale,
      score,
    });
  }
  return nonMaxSuppression(candidates, options.iouThreshold);
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

export function nonMaxSuppression(boxes: readonly Box[], iouThreshold: number): Box[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: Box[] = [];
  for (const box of sorted) if (kept.every((k) => iou(k, box) < iouThreshold)) kept.push(box);
  return kept;
}
