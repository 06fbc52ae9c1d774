// The pipeline gives each hand to the person the detector's owner output names, with that confidence on the
// hand; a detector without the output (an older model) keeps the nearest-person rule. A scripted detector
// stands in for the model so the peaks are exact.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FramePipeline } from '../../../../edge/vision/frame-pipeline.ts';
import type { FrameDetections, HeatmapDetector } from '../../../../edge/vision/onnx-models.ts';
import { DETECTOR_INPUT } from '../../../../edge/vision/vision-defaults.ts';
import type { Camera } from '../../../../shared/store-config.ts';

/** Pixel → floor: x = 0.015·px − 0.8, y = 0.015·py − 0.2 (640×480, like the sample store's CAM1). */
const camera: Camera = {
  id: 'CAM1',
  position: { x: 4, y: 3.4 },
  heightM: 3.5,
  imageWidth: 640,
  imageHeight: 480,
  homography: [0.015, 0, -0.8, 0, 0.015, -0.2, 0, 0, 1],
};
// input pixels are 5 camera pixels (128×96 of 640×480): 1 input pixel = 0.075 m
const ann = { x: 40, y: 40, score: 0.9 }; // floor (2.2, 2.8)
const bob = { x: 46.67, y: 40, score: 0.9 }; // floor (2.7, 2.8), 0.5 m beside Ann
/** Ann's hand in front of Bob (0.45 m from him, 0.67 m from her). */
const hand = { x: 46.67, y: 34, score: 0.8 };

function scripted(result: FrameDetections): HeatmapDetector {
  const fake = { input: DETECTOR_INPUT, detect: async () => [result] };
  return fake as unknown as HeatmapDetector;
}

let jpeg: Buffer;
beforeAll(async () => {
  jpeg = await sharp({
    create: { width: 640, height: 480, channels: 3, background: { r: 196, g: 190, b: 178 } },
  })
    .jpeg()
    .toBuffer();
});

const run = async (result: FrameDetections) => {
  const pipeline = new FramePipeline(
    [camera],
    { kind: 'heatmap', model: scripted(result) },
    undefined,
    DETECTOR_INPUT,
  );
  const found = await pipeline.process([{ camera: 'CAM1', captureTs: 1000, jpeg }]);
  return found.map((d) => ({ x: Math.round(d.x * 100) / 100, hands: d.hands }));
};

describe('FramePipeline: whose hand', () => {
  it("with the owner output, Ann's hand in front of Bob is Ann's, sure", async () => {
    const found = await run({ people: [ann, bob], hands: [{ ...hand, owner: { x: 40.3, y: 40.2 } }] });
    expect(found).toEqual([
      {
        x: 2.2,
        hands: [
          {
            x: expect.closeTo(2.7, 3),
            y: expect.closeTo(2.35, 3),
            ownerConfidence: 1,
            // the owner point goes on with the hand: fusion lets every camera that saw it vote
            owner: { x: expect.closeTo(2.22, 2), y: expect.any(Number) },
          },
        ],
      },
      { x: 2.7, hands: [] },
    ]);
  });

  it('with an owner point between two people, both get the hand with a low confidence', async () => {
    const found = await run({ people: [ann, bob], hands: [{ ...hand, owner: { x: 43.5, y: 40 } }] });
    expect(found.map((p) => p.hands.length)).toEqual([1, 1]);
    expect(found[0]?.hands[0]?.ownerConfidence).toBeLessThan(0.3);
  });

  it('without the owner output (older model), the hand goes to the nearest person, Bob, with no confidence', async () => {
    const found = await run({ people: [ann, bob], hands: [hand] });
    expect(found).toEqual([
      { x: 2.2, hands: [] },
      { x: 2.7, hands: [{ x: expect.closeTo(2.7, 3), y: expect.closeTo(2.35, 3) }] },
    ]);
    expect(found[1]?.hands[0]).not.toHaveProperty('ownerConfidence');
  });
});
