import { describe, expect, it } from 'vitest';
import { decodeYolo, iou, letterboxFor } from '../../../../edge/vision/yolo-decode.ts';
import { YoloDetector } from '../../../../edge/vision/yolo-detector.ts';

const FIXTURE = 'test/unit/edge/vision/fixtures/yolo-tiny.onnx'; // built by training/make_yolo_fixture.py

describe('YOLO output decoding', () => {
  it('keeps the person class, applies NMS and undoes the letterbox', () => {
    // [1, 4 + 2 classes, 3 anchors], row-major: row r, anchor i at r * 3 + i
    const n = 3;
    const data = new Float32Array(6 * n);
    const set = (r: number, i: number, v: number) => {
      data[r * n + i] = v;
    };
    [
      [320, 320, 64, 128, 0.9, 0.0],
      [322, 318, 64, 128, 0.8, 0.0],
      [100, 400, 20, 20, 0.0, 0.99],
    ].forEach((row, i) => {
      for (const [r, v] of row.entries()) set(r, i, v);
    });
    // a 640×480 frame letterboxed into 640×640: scale 1, 80 px of padding above and below
    const letterbox = letterboxFor(640, 480, 640, 640);
    expect(letterbox).toEqual({ scale: 1, padX: 0, padY: 80 });
    const boxes = decodeYolo(data, [1, 6, n], {
      classId: 0,
      scoreThreshold: 0.25,
      iouThreshold: 0.5,
      letterbox,
    });
    expect(boxes).toEqual([{ cx: 320, cy: 240, w: 64, h: 128, score: expect.closeTo(0.9, 6) }]);
    expect(() =>
      decodeYolo(data, [6, n], { classId: 0, scoreThreshold: 0.25, iouThreshold: 0.5, letterbox }),
    ).toThrow(RangeError);
    expect(iou({ cx: 0, cy: 0, w: 2, h: 2, score: 1 }, { cx: 1, cy: 0, w: 2, h: 2, score: 1 })).toBeCloseTo(
      1 / 3,
      9,
    );
  });

  it('decodes a real ONNX model with the Ultralytics layout run by onnxruntime', async () => {
    const yolo = await YoloDetector.open(
      FIXTURE,
      { intraOpThreads: 1 },
      { input: { width: 64, height: 64 } },
    );
    try {
      // a white 128×96 frame: scale 0.5 into 64×64, 8 px padding above and below
      const white = Buffer.alloc(64 * 64 * 3, 255);
      const boxes = await yolo.detect(white, 128, 96);
      // strongest first: anchor 0 (score = mean brightness 1.0) at input (32, 20) → frame (64, (20 − 8) / 0.5);
      // anchor 1 at input (16, 40); the overlapping person, the car and the weak one are gone
      expect(boxes.map((b) => [b.cx, b.cy, b.w, b.h])).toEqual([
        [64, 24, 20, 24],
        [32, 64, 16, 16],
      ]);
      const black = Buffer.alloc(64 * 64 * 3, 0);
      expect((await yolo.detect(black, 128, 96)).map((b) => [b.cx, b.cy])).toEqual([[32, 64]]);
    } finally {
      await yolo.release();
    }
  });
});
