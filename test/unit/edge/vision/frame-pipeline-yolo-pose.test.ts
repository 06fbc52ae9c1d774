// A YOLO pose model through the whole frame pipeline (the real ONNX fixture, run by onnxruntime): each person
// stands between their visible ankles (or at the box point without them), and each visible wrist is a hand
// given to its own person, surely.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FramePipeline } from '../../../../edge/vision/frame-pipeline.ts';
import { DETECTOR_INPUT } from '../../../../edge/vision/vision-defaults.ts';
import { YoloDetector } from '../../../../edge/vision/yolo-detector.ts';
import { YOLO_PEOPLE_DEFAULTS } from '../../../../edge/vision/yolo-people.ts';
import type { Camera } from '../../../../shared/store-config.ts';

/** A 128×96 camera; pixel → floor: x = 0.02·px, y = 0.02·py. */
const camera: Camera = {
  id: 'CAM1',
  position: { x: 1, y: 1 },
  heightM: 3.5,
  imageWidth: 128,
  imageHeight: 96,
  homography: [0.02, 0, 0, 0, 0.02, 0, 0, 0, 1],
};
let yolo: YoloDetector;
let jpeg: Buffer;

beforeAll(async () => {
  yolo = await YoloDetector.open(
    'test/unit/edge/vision/fixtures/yolo-pose-tiny.onnx',
    { intraOpThreads: 1 },
    { input: { width: 64, height: 64 }, layout: { format: 'yolo-pose', classes: 1, keypoints: 17 } },
  );
  jpeg = await sharp({ create: { width: 128, height: 96, channels: 3, background: '#ffffff' } })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await yolo?.release();
});

const r = (v: number) => Math.round(v * 100) / 100;

describe('FramePipeline with a YOLO pose model', () => {
  it('puts people on their feet and ties their wrists to them', async () => {
    const pipeline = new FramePipeline(
      [camera],
      { kind: 'yolo', model: yolo, people: { ...YOLO_PEOPLE_DEFAULTS, floorPoint: 'box-bottom' } },
      undefined,
      DETECTOR_INPUT,
    );
    const found = await pipeline.process([{ camera: 'CAM1', captureTs: 1000, jpeg }]);
    const seen = found.map((d) => ({
      x: r(d.x),
      y: r(d.y),
      hands: d.hands.map((h) => ({ x: r(h.x), y: r(h.y), ownerConfidence: h.ownerConfidence })),
    }));
    expect(seen).toEqual([
      // ankles at frame (60, 54) and (68, 54); wrists at (52, 32) and (76, 28)
      {
        x: 1.28,
        y: 1.08,
        hands: [
          { x: 1.04, y: 0.64, ownerConfidence: 1 },
          { x: 1.52, y: 0.56, ownerConfidence: 1 },
        ],
      },
      // ankles hidden: the box bottom (24, 64 + 16); one wrist seen at (16, 60)
      { x: 0.48, y: 1.6, hands: [{ x: 0.32, y: 1.2, ownerConfidence: 1 }] },
    ]);
  });
});
