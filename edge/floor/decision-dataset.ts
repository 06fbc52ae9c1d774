// Writes the staff decisions kept on the edge (decision-samples.ts) as a labelled dataset in the Ultralytics
// YOLO layout: images/{train,val}/*.jpg, labels/{train,val}/*.txt (one `0 cx cy w h` line per person,
// normalised), data.yaml, and manifest.json (every sample's decided answer, its images and boxes, each file's
// SHA-256). Faces are blurred (the head region of every person box, with sharp) and no shopper, session,
// track, staff or exception id is written. Samples go to val by a stable hash of their id (about 1 in 5).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DecisionSample, FramePerson } from './decision-samples.ts';

/** Side of the blurred head square, as a share of the person box's shorter side (a head is ~0.2 m of ~0.6). */
const HEAD_SHARE = 0.45;
/** Gaussian sigma of the blur (pixels): at 1.5 cm a pixel, nothing of a face is left. */
const BLUR_SIGMA = 8;

export interface DatasetManifest {
  format: 'yolo';
  version: 1;
  createdAt: string;
  /** Decisions taken at or after this time are in it. */
  since: string;
  classes: ['person'];
  counts: {
    samples: number;
    images: number;
    boxes: number;
    assigned: number;
    dropped: number;
    'not-this-shopper': number;
    train: number;
    val: number;
  };
  samples: Array<{
    sample: string;
    split: 'train' | 'val';
    decidedAt: string;
    decision: {
      outcome: string;
      /** floor (a staff decision on the floor view) or dispute (a dispute staff granted in the cloud). */
      source: string;
      kind: string;
      lanes: string[];
      reason: string;
      sku?: string;
      count?: number;
      /** not-this-shopper: who had billed the line, `staff` (floor view) or `edge` (by itself). */
      billedBy?: string;
    };
    images: Array<{
      file: string;
      camera: string;
      captureTs: number;
      boxes: number;
      actorBox: number | null;
    }>;
  }>;
  /** Path (relative to the dataset) → SHA-256 of every image and label file. */
  files: Record<string, string>;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The frame with the head region of every person blurred (JPEG). */
export async function blurHeads(jpeg: Buffer, people: readonly FramePerson[]): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  const heads = people.flatMap(({ box: [l, t, r, b] }) => {
    const side = Math.max(4, Math.round(Math.min(r - l, b - t) * HEAD_SHARE));
    const left = Math.max(0, Math.round((l + r) / 2 - side / 2));
    const top = Math.max(0, Math.round((t + b) / 2 - side / 2));
    const w = Math.min(side, width - left);
    const h = Math.min(side, height - top);
    return w >= 4 && h >= 4 ? [{ left, top, width: w, height: h }] : [];
  });
  if (heads.length === 0) return sharp(jpeg).jpeg({ quality: 90 }).toBuffer();
  const patches = await Promise.all(
    heads.map(async (region) => ({
      input: await sharp(jpeg).extract(region).blur(BLUR_SIGMA).toBuffer(),
      left: region.left,
      top: region.top,
    })),
  );
  return sharp(jpeg).composite(patches).jpeg({ quality: 90 }).toBuffer();
}

/** YOLO label lines: class 0, centre and size normalised to the picture. */
function labelLines(people: readonly FramePerson[], width: number, height: number): string {
  return people
    .map(({ box: [l, t, r, b] }) =>
      ['0', (l + r) / 2 / width, (t + b) / 2 / height, (r - l) / width, (b - t) / height]
        .map((v) => (typeof v === 'number' ? v.toFixed(6) : v))
        .join(' '),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** A manifest with nothing in it yet. */
function emptyManifest(since: Date): DatasetManifest {
  return {
    format: 'yolo',
    version: 1,
    createdAt: new Date().toISOString(),
    since: since.toISOString(),
    classes: ['person'],
    counts: {
      samples: 0,
      images: 0,
      boxes: 0,
      assigned: 0,
      dropped: 0,
      'not-this-shopper': 0,
      train: 0,
      val: 0,
    },
    samples: [],
    files: {},
  };
}

/** Writes the dataset into `out` (created); returns the manifest and its SHA-256 (the model card records it). */
export async function writeDecisionDataset(
  samples: Iterable<DecisionSample>,
  out: string,
  since: Date,
  progress: (line: string) => void = () => {},
): Promise<{ manifest: DatasetManifest; manifestSha256: string }> {
  for (const split of ['train', 'val'])
    for (const kind of ['images', 'labels']) mkdirSync(join(out, kind, split), { recursive: true });
  const manifest = emptyManifest(since);
  let n = 0;
  for (const sample of samples) {
    n += 1;
    // the edge's row id stays behind: samples are numbered in decision order
    const name = `s${String(n).padStart(5, '0')}`;
    const split = parseInt(sha256(name).slice(0, 8), 16) % 5 === 4 ? 'val' : 'train';
    const { sessionId: _who, ...decision } = sample.answer;
    const images: DatasetManifest['samples'][number]['images'] = [];
    for (const [k, frame] of sample.frames.entries()) {
      const { width = 0, height = 0 } = await sharp(frame.jpeg).metadata();
      const file = `${name}-${frame.camera}-${String(k).padStart(3, '0')}`;
      const image = await blurHeads(frame.jpeg, frame.people);
      const label = labelLines(frame.people, width, height);
      const imagePath = `images/${split}/${file}.jpg`;
      const labelPath = `labels/${split}/${file}.txt`;
      writeFileSync(join(out, imagePath), image);
      writeFileSync(join(out, labelPath), label);
      manifest.files[imagePath] = sha256(image);
      manifest.files[labelPath] = sha256(label);
      const actor = frame.people.findIndex((p) => p.actor);
      images.push({
        file: imagePath,
        camera: frame.camera,
        captureTs: frame.captureTs,
        boxes: frame.people.length,
        actorBox: actor < 0 ? null : actor,
      });
      manifest.counts.boxes += frame.people.length;
    }
    manifest.samples.push({
      sample: name,
      split,
      decidedAt: new Date(sample.decidedAt).toISOString(),
      decision,
      images,
    });
    manifest.counts.samples += 1;
    manifest.counts.images += images.length;
    manifest.counts[split] += images.length;
    manifest.counts[decision.outcome] += 1;
    progress(
      `${name}: ${decision.outcome} ${decision.kind} on ${decision.lanes.join('+')}, ${images.length} frames`,
    );
  }
  writeFileSync(
    join(out, 'data.yaml'),
    [
      '# Walkout staff decisions (npm run dataset:export): person boxes from the edge tracks, faces blurred.',
      '# The decided answers are in manifest.json.',
      'path: .',
      'train: images/train',
      'val: images/val',
      'names:',
      '  0: person',
      '',
    ].join('\n'),
  );
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(join(out, 'manifest.json'), text);
  return { manifest, manifestSha256: sha256(text) };
}
