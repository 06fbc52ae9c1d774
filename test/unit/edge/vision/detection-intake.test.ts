import { describe, expect, it } from 'vitest';
import { DetectionIntake } from '../../../../edge/vision/detection-intake.ts';
import {
  decodeEmbedding,
  EmbeddingDecodeError,
  encodeEmbedding,
  fromFrameDetections,
  toFrameDetections,
} from '../../../../edge/vision/frame-detections-codec.ts';
import type { FrameDetections } from '../../../../shared/schemas/frame-detections.ts';

const settings = { lateAfterMs: 1000, stalledAfterMs: 3000, seqRestartGap: 1000 };
const frame = (camera: string, seq: number, captureTs: number): FrameDetections => ({
  v: 1,
  camera,
  seq,
  captureTs,
  worker: 'vision-worker-1',
  inferred: true,
  people: [],
});

describe('detection intake', () => {
  it('makes tracker steps in capture order with at most one frame per camera', () => {
    const intake = new DetectionIntake(['A', 'B'], 0, settings);
    // two workers: B's frame and A's second frame arrive before A's first
    intake.add(frame('B', 1, 100), 0);
    intake.add(frame('A', 2, 200), 0);
    intake.add(frame('A', 1, 100), 0);
    const steps = intake.takeSteps(0).map((s) => s.map((f) => `${f.camera}${f.seq}`));
    expect(steps).toEqual([['A1', 'B1'], ['A2']]);
    expect(intake.waiting).toBe(0);
  });

  it('says how many frames of each camera wait (what a step waits for)', () => {
    const intake = new DetectionIntake(['A', 'B'], 0, settings);
    intake.add(frame('A', 1, 100), 0);
    intake.add(frame('A', 2, 200), 0);
    intake.add(frame('B', 1, 130), 0);
    expect(intake.waitingByCamera()).toEqual(
      new Map([
        ['A', 2],
        ['B', 1],
      ]),
    );
    intake.takeSteps(0);
    expect(intake.waitingByCamera().size).toBe(0);
  });

  it('counts frames no worker inferred from sequence gaps, late arrivals filling them, and drops stale frames', () => {
    const intake = new DetectionIntake(['A'], 0, settings);
    intake.add(frame('A', 2010, 1000), 0);
    intake.add(frame('A', 2013, 1300), 0);
    expect(intake.lostFrames).toBe(2);
    intake.add(frame('A', 2012, 1200), 0); // a slower worker's frame: not lost after all
    expect(intake.lostFrames).toBe(1);
    // the camera restarted: its numbers begin again, what was lost before stays counted
    intake.add(frame('A', 1, 5000), 0);
    intake.add(frame('A', 3, 5200), 0);
    expect(intake.lostFrames).toBe(2);
    intake.takeSteps(0);
    intake.add(frame('A', 4, 3000), 0);
    expect(intake.takeSteps(5200)).toEqual([]);
    expect(intake.lateFrames).toBe(1);
  });

  it('raises a camera whose detections stopped, once, and clears it when they come back', () => {
    const intake = new DetectionIntake(['A', 'B'], 0, settings);
    intake.add(frame('A', 1, 0), 2000);
    expect(intake.checkStalled(2999)).toEqual([]);
    // B never sent anything since start
    expect(intake.checkStalled(3000)).toEqual([{ camera: 'B', state: 'raised', lastAt: 0 }]);
    expect(intake.checkStalled(5000)).toEqual([{ camera: 'A', state: 'raised', lastAt: 2000 }]);
    expect(intake.checkStalled(6000)).toEqual([]);
    intake.add(frame('B', 1, 6000), 6000);
    expect(intake.checkStalled(6100)).toEqual([{ camera: 'B', state: 'cleared', lastAt: 6000 }]);
  });
});

describe('frame detections codec', () => {
  it('carries a frame’s people, hands and exact float32 embeddings', () => {
    const embedding = Float32Array.from([0.1, -0.25, 1 / 3, 0]);
    const message = toFrameDetections(
      {
        frame: { camera: 'CAM2', captureTs: 1234, seq: 7, jpeg: Buffer.alloc(0) },
        detections: [
          {
            camera: 'CAM2',
            x: 1.5,
            y: 2.25,
            score: 0.9,
            embedding,
            hands: [{ x: 1.7, y: 2.3, ownerConfidence: 0.8 }],
          },
        ],
        inferred: true,
      },
      'vision-worker-3',
    );
    expect(message).toMatchObject({
      v: 1,
      camera: 'CAM2',
      seq: 7,
      captureTs: 1234,
      worker: 'vision-worker-3',
    });
    const [back] = fromFrameDetections(JSON.parse(JSON.stringify(message)));
    expect(back?.embedding).toEqual(embedding);
    expect(back).toMatchObject({
      camera: 'CAM2',
      x: 1.5,
      y: 2.25,
      score: 0.9,
      hands: [{ x: 1.7, y: 2.3, ownerConfidence: 0.8 }],
    });
    expect(decodeEmbedding(encodeEmbedding(embedding))).toEqual(embedding);
    expect(() => decodeEmbedding('AAE=')).toThrow(EmbeddingDecodeError);
  });
});
