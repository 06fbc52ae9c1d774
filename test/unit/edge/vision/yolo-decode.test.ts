// Each YOLO output format the detector accepts, decoded from a real ONNX fixture run by onnxruntime
// (training/make_yolo_fixture.py), and a wrong declared format refused when the model opens.
import { describe, expect, it } from 'vitest';
import {
  checkYoloOutput,
  decodeYolo,
  iou,
  letterboxFor,
  type YoloFormat,
  YoloFormatError,
  type YoloLayout,
} from '../../../../edge/vision/yolo-decode.ts';
import { YoloDetector } from '../../../../edge/vision/yolo-detector.ts';

const FIXTURES = 'test/unit/edge/vision/fixtures';
const FIXTURE: Record<YoloFormat, string> = {
  'yolo-v8': `${FIXTURES}/yolo-tiny.onnx`,
  'yolo-end2end': `${FIXTURES}/yolo-end2end-tiny.onnx`,
  'yolo-pose': `${FIXTURES}/yolo-pose-tiny.onnx`,
};
const layout = (format: YoloFormat, classes = 80): YoloLayout => ({ format, classes, keypoints: 17 });
const WHITE = Buffer.alloc(64 * 64 * 3, 255);
const BLACK = Buffer.alloc(64 * 64 * 3, 0);
const round = (v: number) => Math.round(v * 1000) / 1000;

async function withFixture<T>(format: YoloFormat, use: (yolo: YoloDetector) => Promise<T>): Promise<T> {
  const yolo = await YoloDetector.open(
    FIXTURE[format],
    { intraOpThreads: 1 },
    { input: { width: 64, height: 64 }, layout: layout(format) },
  );
  try {
    return await use(yolo);
  } finally {
    await yolo.release();
  }
}

describe('YOLO output decoding', () => {
  it('keeps the person class, applies NMS and undoes the letterbox', () => {
    // [1, 4 + 2 classes, 3 anchors], row-major: row r, anchor i at r * 3 + i
    const n = 3;
    const data = new Float32Array(6 * n);
    [
      [320, 320, 64, 128, 0.9, 0.0],
      [322, 318, 64, 128, 0.8, 0.0],
      [100, 400, 20, 20, 0.0, 0.99],
    ].forEach((row, i) => {
      for (const [r, v] of row.entries()) data[r * n + i] = v;
    });
    // a 640×480 frame letterboxed into 640×640: scale 1, 80 px of padding above and below
    const letterbox = letterboxFor(640, 480, 640, 640);
    expect(letterbox).toEqual({ scale: 1, padX: 0, padY: 80 });
    const options = {
      layout: layout('yolo-v8', 2),
      classId: 0,
      scoreThreshold: 0.25,
      iouThreshold: 0.5,
      letterbox,
    };
    expect(decodeYolo(data, [1, 6, n], options)).toEqual([
      { cx: 320, cy: 240, w: 64, h: 128, score: expect.closeTo(0.9, 6) },
    ]);
    expect(() => decodeYolo(data, [6, n], options)).toThrow(YoloFormatError);
    expect(iou({ cx: 0, cy: 0, w: 2, h: 2, score: 1 }, { cx: 1, cy: 0, w: 2, h: 2, score: 1 })).toBeCloseTo(
      1 / 3,
      9,
    );
  });

  it('checks the output shape against the declared format, never the other way round', () => {
    // the current Ultralytics end-to-end export: as a v8 output it would read as 296 classes over 6 anchors
    expect(() => checkYoloOutput([1, 300, 6], layout('yolo-v8'))).toThrow(
      'the YOLO model outputs [1, 300, 6] but the config declares yolo-v8, which is [1, 84, N]',
    );
    expect(() => checkYoloOutput([1, 300, 6], layout('yolo-end2end'))).not.toThrow();
    expect(() => checkYoloOutput([1, 84, 8400], layout('yolo-end2end'))).toThrow(/which is \[1, N, 6\]/);
    expect(() => checkYoloOutput([1, 84, 8400], layout('yolo-pose'))).toThrow(/which is \[1, 56, N\]/);
    expect(() => checkYoloOutput([1, 56, 8400], layout('yolo-v8'))).toThrow(/VISION_YOLO_FORMAT/);
    expect(() => checkYoloOutput([1, 56, 8400], layout('yolo-pose'))).not.toThrow();
  });

  // a white 128×96 frame: scale 0.5 into 64×64, 8 px of padding above and below
  it('decodes a YOLOv8/v11 detect model [1, 84, N]', async () => {
    await withFixture('yolo-v8', async (yolo) => {
      // strongest first: anchor 0 (score = mean brightness 1.0) at input (32, 20) → frame (64, (20 − 8) / 0.5);
      // anchor 1 at input (16, 40); the overlapping person, the car and the weak one are gone
      const boxes = await yolo.detect(WHITE, 128, 96);
      expect(boxes.map((b) => [b.cx, b.cy, b.w, b.h])).toEqual([
        [64, 24, 20, 24],
        [32, 64, 16, 16],
      ]);
      expect((await yolo.detect(BLACK, 128, 96)).map((b) => [b.cx, b.cy])).toEqual([[32, 64]]);
    });
  });

  it('decodes an end-to-end model [1, N, 6] (corner boxes, class column, no NMS of its own)', async () => {
    await withFixture('yolo-end2end', async (yolo) => {
      const boxes = await yolo.detect(WHITE, 128, 96);
      expect(boxes.map((b) => [b.cx, b.cy, b.w, b.h, round(b.score)])).toEqual([
        [64, 24, 20, 24, 1],
        [32, 64, 16, 16, 0.9],
      ]);
      expect((await yolo.detect(BLACK, 128, 96)).map((b) => [b.cx, b.cy])).toEqual([[32, 64]]);
    });
  });

  it('decodes a pose model [1, 56, N] with each person’s keypoints', async () => {
    await withFixture('yolo-pose', async (yolo) => {
      const people = await yolo.detect(WHITE, 128, 96);
      expect(people.map((p) => [p.cx, p.cy, p.w, p.h, round(p.score)])).toEqual([
        [64, 32, 24, 48, 1],
        [24, 64, 16, 32, 0.85],
      ]);
      const [first, second] = people;
      // keypoints in frame pixels: 9/10 wrists, 15/16 ankles (COCO order)
      expect(first?.keypoints).toHaveLength(17);
      const kp = (i: number, p = first) => {
        const k = p?.keypoints?.[i];
        return k === undefined ? undefined : [k.x, k.y, round(k.visibility)];
      };
      expect([kp(9), kp(10), kp(15), kp(16)]).toEqual([
        [52, 32, 0.9],
        [76, 28, 0.8],
        [60, 54, 0.9],
        [68, 54, 0.9],
      ]);
      expect([kp(9, second), kp(10, second)]).toEqual([
        [16, 60, 0.95],
        [32, 60, 0.2],
      ]);
      expect((await yolo.detect(BLACK, 128, 96)).map((p) => p.score)).toEqual([expect.closeTo(0.85, 5)]);
    });
  });

  it('refuses to open a model whose output is not the declared format', async () => {
    const open = (format: YoloFormat, declared: YoloFormat) =>
      YoloDetector.open(
        FIXTURE[format],
        { intraOpThreads: 1 },
        { input: { width: 64, height: 64 }, layout: layout(declared) },
      );
    await expect(open('yolo-end2end', 'yolo-v8')).rejects.toThrow(
      'the YOLO model outputs [1, 5, 6] but the config declares yolo-v8, which is [1, 84, N]',
    );
    await expect(open('yolo-v8', 'yolo-end2end')).rejects.toThrow(YoloFormatError);
    await expect(open('yolo-v8', 'yolo-pose')).rejects.toThrow(/outputs \[1, 84, 7\]/);
    await expect(open('yolo-pose', 'yolo-v8')).rejects.toThrow(/outputs \[1, 56, 4\]/);
    await expect(open('yolo-pose', 'yolo-end2end')).rejects.toThrow(YoloFormatError);
  });
});
