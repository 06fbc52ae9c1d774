// models:build -- --extra <dir>: reads a dataset written by `npm run dataset:export` (YOLO layout with
// manifest.json) into the detector's training format: frames at the detector's input size, person centres in
// input pixels, no hands (the dataset has none: the trainer leaves the hand heatmap of these frames alone).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetManifest } from '../edge/floor/decision-dataset.ts';
import { decodeToRgb } from '../edge/vision/frame-prep.ts';
import { DETECTOR_INPUT } from '../edge/vision/vision-defaults.ts';

export interface ExtraSet {
  manifestSha256: string;
  since: string;
  samples: number;
  images: number;
  boxes: number;
}

/** Writes `${data}/det-extra.{u8,json}` from the dataset's train split; throws with what to do when unusable. */
export async function writeExtraTrainingSet(
  dataset: string,
  data: string,
  repeat: number,
): Promise<ExtraSet> {
  const manifestPath = join(dataset, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new Error(`${manifestPath} not found: --extra takes a directory written by npm run dataset:export`);
  const text = readFileSync(manifestPath);
  const manifest = JSON.parse(text.toString('utf8')) as DatasetManifest;
  if (manifest.format !== 'yolo' || manifest.version !== 1)
    throw new Error(
      `${manifestPath}: format ${manifest.format} v${manifest.version} is not a Walkout YOLO dataset v1`,
    );
  const train = manifest.samples.filter((s) => s.split === 'train');
  const images = train.flatMap((s) => s.images);
  if (images.length === 0)
    throw new Error(
      `${dataset} has no training images (${manifest.counts.samples} decisions, all in val or without frames): export more decisions`,
    );
  const rgbs: Buffer[] = [];
  const labels: Array<{ people: number[][]; hands: number[][] }> = [];
  let boxes = 0;
  for (const image of images) {
    const jpeg = readFileSync(join(dataset, image.file));
    const expected = manifest.files[image.file];
    if (expected !== undefined && createHash('sha256').update(jpeg).digest('hex') !== expected)
      throw new Error(`${image.file} does not match its manifest hash: export the dataset again`);
    rgbs.push(await decodeToRgb(jpeg, DETECTOR_INPUT));
    const labelFile = image.file.replace(/^images\//, 'labels/').replace(/\.jpg$/, '.txt');
    const people = readFileSync(join(dataset, labelFile), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .filter((v) => v.length === 5 && v.every(Number.isFinite) && v[0] === 0)
      .map(([, cx, cy]) => [(cx as number) * DETECTOR_INPUT.width, (cy as number) * DETECTOR_INPUT.height]);
    boxes += people.length;
    labels.push({ people, hands: [] });
  }
  writeFileSync(join(data, 'det-extra.u8'), Buffer.concat(rgbs));
  writeFileSync(join(data, 'det-extra.json'), JSON.stringify({ ...DETECTOR_INPUT, labels, repeat }));
  return {
    manifestSha256: createHash('sha256').update(text).digest('hex'),
    since: manifest.since,
    samples: train.length,
    images: images.length,
    boxes,
  };
}
