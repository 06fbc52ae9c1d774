// The shipped models still do what their model cards say, on frames rendered fresh (not the build's).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArmOwnerModel } from '../../../edge/vision/arm-owner.ts';
import { AppearanceEmbedder, HeatmapDetector } from '../../../edge/vision/onnx-models.ts';
import {
  ARM_CROP,
  ARM_INPUT,
  ARM_MODEL,
  DETECTOR_INPUT,
  DETECTOR_MODEL,
  EMBED_CROP,
  EMBEDDER_MODEL,
} from '../../../edge/vision/vision-defaults.ts';
import { type LabelledFrame, renderLabelledFrames } from '../../../evaluation/vision-eval/labelled-frames.ts';
import { lookCosines, lookTests } from '../../../evaluation/vision-eval/look-check.ts';
import {
  type EmbeddedPerson,
  embedPeople,
  measureDetector,
  measureEmbedder,
  truthCount,
} from '../../../evaluation/vision-eval/model-check.ts';
import { Random } from '../../../shared/random.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { identityPool } from '../../../simulators/vision/training-scenes.ts';

const card = (name: string) =>
  JSON.parse(readFileSync(`models/${name}.json`, 'utf8')) as {
    bytes: number;
    measured: { frames: number };
    output?: { shape: (string | number)[] };
    minimum: Record<string, number>;
    maximum?: Record<string, number>;
  };
const store = loadStoreConfig('stores/sample-store.json');
let frames: LabelledFrame[] = [];

beforeAll(async () => {
  // seed and identities differ from both the training set (seed 1) and the build's check (seed 2); as many
  // frames as the card's measurement (measured.frames), since its minimums sit a few points under it and 200
  // frames of the 21 cameras varied by ±3 points in hand precision and association from draw to draw
  const { frames: count } = card('person-heatmap').measured;
  frames = await renderLabelledFrames(store, identityPool(40, new Random(303)), count, 3, DETECTOR_INPUT);
}, 180_000);

describe('shipped vision models meet their model cards', () => {
  const tuning = { intraOpThreads: 1 };
  let detector: HeatmapDetector | undefined;
  let embedder: AppearanceEmbedder | undefined;
  let people: EmbeddedPerson[] | undefined;
  // the fresh frames' people, embedded once for both embedder checks
  const embedded = async () => {
    embedder ??= await AppearanceEmbedder.open(EMBEDDER_MODEL, EMBED_CROP, tuning);
    people ??= await embedPeople(embedder, frames, DETECTOR_INPUT);
    return people;
  };
  afterAll(async () => {
    await detector?.release();
    await embedder?.release();
  });

  it('person-heatmap: person and hand recall/precision at 0.3 m, and whose hand each hand is', async () => {
    const { minimum, bytes } = card('person-heatmap');
    expect(readFileSync(DETECTOR_MODEL).length).toBe(bytes);
    detector = await HeatmapDetector.open(DETECTOR_MODEL, DETECTOR_INPUT, tuning);
    expect(detector.ownsHands).toBe(true);
    const score = await measureDetector(detector, frames, new Map(store.cameras.map((c) => [c.id, c])));
    // the card's heatmap size is the model's (stride 2, or 1 for the full-resolution head)
    const cell = detector.cellPx ?? 0;
    const { width, height } = DETECTOR_INPUT;
    expect(card('person-heatmap').output?.shape).toEqual(['N', 2, height / cell, width / cell]);
    expect(score.people.truePositives).toBeGreaterThan(300);
    expect(score.people.recall).toBeGreaterThanOrEqual(minimum.personRecall ?? 1);
    expect(score.people.precision).toBeGreaterThanOrEqual(minimum.personPrecision ?? 1);
    expect(score.hands.truePositives).toBeGreaterThan(100);
    expect(score.hands.recall).toBeGreaterThanOrEqual(minimum.handRecall ?? 1);
    expect(score.hands.precision).toBeGreaterThanOrEqual(minimum.handPrecision ?? 1);
    expect(score.people.meanErrorM).toBeLessThan(0.1);
    // the hard cases are in these frames: hands of people with someone else within 1 m
    expect(score.crowded.association.hands).toBeGreaterThan(40);
    expect(score.association.accuracy).toBeGreaterThanOrEqual(minimum.association ?? 1);
    expect(score.crowded.association.accuracy).toBeGreaterThanOrEqual(minimum.crowdedAssociation ?? 1);
    // arms reaching past a neighbour, where hands used to be placed short
    expect(truthCount(score.longReach.hands)).toBeGreaterThan(20);
    expect(score.longReach.hands.recall).toBeGreaterThanOrEqual(minimum.longReachHandRecall ?? 1);
    // a party side by side or in single file, 0.18–0.35 m apart: two people, not one blob
    expect(truthCount(score.closePair.people)).toBeGreaterThan(40);
    expect(score.closePair.people.recall).toBeGreaterThanOrEqual(minimum.closePairPersonRecall ?? 1);
  });

  it("arm-owner: whose hand each of the detector's hands is, and how seldom it is surely wrong", async () => {
    const { minimum, maximum, bytes } = card('arm-owner');
    expect(readFileSync(ARM_MODEL).length).toBe(bytes);
    detector ??= await HeatmapDetector.open(DETECTOR_MODEL, DETECTOR_INPUT, tuning);
    const arm = await ArmOwnerModel.open(ARM_MODEL, ARM_INPUT, ARM_CROP, tuning);
    const cameras = new Map(store.cameras.map((c) => [c.id, c]));
    const score = await measureDetector(detector, frames, cameras, arm);
    await arm.release();
    if (arm.tips) {
      // hands moved to where their arms end: found as often as the card says, long reaches included
      expect(score.hands.recall).toBeGreaterThanOrEqual(minimum.handRecall ?? 1);
      expect(score.hands.precision).toBeGreaterThanOrEqual(minimum.handPrecision ?? 1);
      expect(score.longReach.hands.recall).toBeGreaterThanOrEqual(minimum.longReachHandRecall ?? 1);
    }
    expect(score.association.hands).toBeGreaterThan(100);
    expect(score.crowded.association.hands).toBeGreaterThan(40);
    expect(score.association.accuracy).toBeGreaterThanOrEqual(minimum.association ?? 1);
    expect(score.crowded.association.accuracy).toBeGreaterThanOrEqual(minimum.crowdedAssociation ?? 1);
    expect(score.association.wrongSureShare).toBeLessThanOrEqual(maximum?.handWrongSureShare ?? 0);
    // the owner confidence fusion relies on: every hand given to one person is in one bin, and the surest bin
    // (0.9–1, most hands) goes to the right person at least 95 % of the time
    const bins = score.association.byConfidence;
    const given = bins.reduce((n, b) => n + b.hands, 0);
    expect(given).toBeLessThanOrEqual(score.association.hands);
    expect(given).toBeGreaterThanOrEqual(
      score.association.hands * (1 - score.association.contestedShare) * 0.95,
    );
    const surest = bins.at(-1);
    expect(surest?.from).toBe(0.9);
    expect(surest?.hands ?? 0).toBeGreaterThan(100);
    expect((surest?.right ?? 0) / (surest?.hands ?? 1)).toBeGreaterThanOrEqual(0.95);
  });

  it('appearance-embed: rank-1 re-identification among 20 unseen appearances', async () => {
    const { minimum, bytes } = card('appearance-embed');
    expect(readFileSync(EMBEDDER_MODEL).length).toBe(bytes);
    const score = measureEmbedder(await embedded());
    expect(score.crops).toBeGreaterThan(100);
    expect(score.rank1).toBeGreaterThanOrEqual(minimum.rank1Of20 ?? 1);
    expect(score.sameCos).toBeGreaterThan(score.otherCos + 0.3);
  });

  it("appearance-embed: the tracker's look tests let others through no more than their targets", async () => {
    const { minimum } = card('appearance-embed');
    const looks = lookTests(lookCosines(await embedded()));
    // a fresh draw of 40 appearances: which look alike varies, so the targets hold within half again
    for (const l of Object.values(looks)) expect(l.othersPass).toBeLessThanOrEqual(l.target * 1.5);
    expect(looks.recover.ownPass).toBeGreaterThanOrEqual(minimum.recoverOwnPass ?? 1);
    // every test lets through more of the person's own looks than of others'
    for (const l of Object.values(looks)) expect(l.ownPass).toBeGreaterThan(l.othersPass + 0.5);
  });
});
