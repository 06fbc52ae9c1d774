// The data flywheel end to end: a scenario runs through the whole store with a ceiling camera; the put-back the
// edge cannot bill on its own becomes a staff exception with its camera frames; a supervisor decides it (and
// any other) through the floor view's HTTP API; `npm run dataset:export` writes the decisions as a YOLO dataset
// (faces blurred, no shopper ids, a manifest), and `npm run models:build -- --extra` trains the detector on it in
// CI size, its model card naming the dataset by its manifest hash.
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetManifest } from '../../../edge/floor/decision-dataset.ts';
import { DEFAULT_VISION } from '../../../edge/vision/vision-config.ts';
import {
  deviceConnection,
  type StoreStack,
  startStoreStack,
} from '../../../evaluation/harness/store-stack.ts';
import type { FloorSnapshot } from '../../../shared/schemas/floor-snapshot.ts';
import { loadStoreConfig, type StoreConfig } from '../../../shared/store-config.ts';
import { CloudAppClient } from '../../../simulators/app/cloud-app-client.ts';
import { runScenario } from '../../../simulators/scenario/run-scenario.ts';
import { parseScenario } from '../../../simulators/scenario/scenario-loader.ts';
import { waitFor } from '../../support/services.ts';

const run = promisify(execFile);
const sample = loadStoreConfig('stores/sample-store.json');
/** The sample store seen by CAM1 alone (over shelf S01 and the gates): one camera to render. */
const store: StoreConfig = { ...sample, cameras: sample.cameras.filter((c) => c.id === 'CAM1') };
/** S01-L02's product, left on S01-L08 (after taking one from there to make room). */
const MISPLACED = 'SKU-0039';
const scenario = parseScenario(
  {
    name: 'flywheel',
    store: '../stores/sample-store.json',
    seed: 17,
    noise: 'standard',
    cameras: { fps: 5, dropRate: 0 },
    shoppers: [
      {
        id: 'alice',
        card: 'tok_visa',
        script: [
          { at: 0.5, do: 'enter' },
          { at: 4, do: 'pick', lane: 'S01-L02', count: 1 },
          { at: 7, do: 'pick', lane: 'S01-L08', count: 1 },
          { at: 10, do: 'put-back', lane: 'S01-L08', sku: MISPLACED, count: 1 },
          { at: 15, do: 'exit' },
        ],
      },
    ],
  },
  store,
);
/** Why the training step cannot run here (CI installs torch, so it must run there). */
const torchMissing = (() => {
  if (spawnSync('/usr/bin/python3', ['-c', 'import torch']).status === 0) return false;
  const reason = 'torch is not installed for /usr/bin/python3: apt-get install -y python3-torch python3-onnx';
  if (process.env.WALKOUT_REQUIRE_SERVICES === '1') throw new Error(reason);
  console.warn(`[walkout tests] training step skipped: ${reason}`);
  return true;
})();

describe('staff decisions become training data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'walkout-flywheel-'));
  const dbPath = join(dir, 'edge.sqlite');
  const out = join(dir, 'dataset');
  let stack: StoreStack;
  let token: string;
  const since = new Date();
  const api = async (path: string, body?: object) => {
    const res = await fetch(`${stack.edge.httpUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res;
  };

  beforeAll(async () => {
    stack = await startStoreStack({
      store,
      edgeDbPath: dbPath,
      exceptionHoldMs: 60_000,
      vision: DEFAULT_VISION,
    });
    const login = await fetch(`${stack.edge.httpUrl}/floor/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'manager', password: 'walkout-demo' }),
    });
    token = ((await login.json()) as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps each decision with its frames and exports them as a YOLO dataset, faces blurred and no ids', async () => {
    const done = runScenario({
      scenario,
      store,
      ...deviceConnection(stack),
      app: new CloudAppClient(stack.cloudUrl),
      logger: pino({ level: 'silent' }),
      settleS: 1,
    });
    done.catch(() => {});
    const state = async () => (await (await api('/floor/api/state')).json()) as FloorSnapshot;
    const putBack = await waitFor(
      'the put-back sent to staff',
      async () =>
        (await state()).exceptions.find(
          (x) => x.event.kind === 'put-back' && x.event.lanes.includes('S01-L08'),
        ),
      40_000,
      250,
    );
    const sessionId = putBack.candidateSessions[0];
    expect(sessionId).toBeDefined();
    await waitFor(
      'frames kept with the exception',
      async () => {
        const list = (await (await api(`/floor/api/exceptions/${putBack.exceptionId}/frames`)).json()) as {
          frames: unknown[];
        };
        return list.frames.length > 0 ? true : undefined;
      },
      15_000,
      250,
    );
    await api(`/floor/api/exceptions/${putBack.exceptionId}/assign`, { sessionId, sku: MISPLACED, count: 1 });
    // whatever else the edge could not settle is dropped: a decision too
    const truth = await done;
    // alice's two picks, which the edge billed by itself (she was alone), each kept a clip of CAM1's frames
    const clipsKept = await waitFor(
      "the picks' clips stored",
      async () => {
        const metrics = await (await api('/metrics')).text();
        const kept = /^walkout_edge_pick_clips_total\{outcome="kept"\} (\d+)$/m.exec(metrics)?.[1];
        return Number(kept ?? 0) >= 2 ? Number(kept) : undefined;
      },
      15_000,
      250,
    );
    expect(clipsKept).toBe(2);
    for (const other of (await state()).exceptions)
      await api(`/floor/api/exceptions/${other.exceptionId}/drop`, { note: 'test' });
    await waitFor(
      'the frames around the put-back complete',
      async () => {
        const list = (await (await api(`/floor/api/exceptions/${putBack.exceptionId}/frames`)).json()) as {
          complete: boolean;
        };
        return list.complete ? true : undefined;
      },
      15_000,
      250,
    );

    const { stdout } = await run(
      'npx',
      [
        'tsx',
        'scripts/dataset-export.ts',
        '--since',
        since.toISOString(),
        '--out',
        out,
        '--db',
        dbPath,
        '--json',
      ],
      { timeout: 60_000 },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    const manifestText = readFileSync(join(out, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(manifestText) as DatasetManifest;
    expect(summary.manifestSha256).toBe(createHash('sha256').update(manifestText).digest('hex'));
    expect(manifest.counts.assigned).toBe(1);
    const assigned = manifest.samples.find((s) => s.decision.outcome === 'assigned');
    expect(assigned?.decision).toEqual({
      outcome: 'assigned',
      source: 'floor',
      kind: 'put-back',
      lanes: putBack.event.lanes,
      reason: putBack.reason,
      sku: MISPLACED,
      count: 1,
    });
    expect(assigned?.images.length).toBeGreaterThan(0);
    // alice is in the frames of her own put-back, as the box staff billed
    expect(assigned?.images.some((i) => i.boxes > 0 && i.actorBox !== null)).toBe(true);
    expect(readFileSync(join(out, 'data.yaml'), 'utf8')).toContain('train: images/train');
    // no shopper, session, account, track or staff id anywhere in what was written
    const alice = truth.shoppers[0];
    const written = [manifestText, ...readdirSync(join(out, 'labels', 'train')).map((f) => f)].join('\n');
    for (const id of [sessionId, alice?.accountId, putBack.exceptionId, putBack.event.eventId, 'manager'])
      expect(written).not.toContain(String(id));
    // every file is what the manifest says, and every label line is `0 cx cy w h` normalised
    for (const [file, hash] of Object.entries(manifest.files)) {
      expect(
        createHash('sha256')
          .update(readFileSync(join(out, file)))
          .digest('hex'),
      ).toBe(hash);
      if (file.endsWith('.txt'))
        for (const line of readFileSync(join(out, file), 'utf8').split('\n').filter(Boolean))
          expect(line).toMatch(/^0( (0|1)\.\d{6}){4}$/);
    }

    // the face is blurred: inside the head square the picture changed far more than around it
    const image = assigned?.images.find((i) => i.actorBox !== null);
    const frameList = (await (await api(`/floor/api/exceptions/${putBack.exceptionId}/frames`)).json()) as {
      frames: Array<{ frameId: number; camera: string; captureTs: number }>;
    };
    const original = frameList.frames.find((f) => f.captureTs === image?.captureTs);
    expect(original).toBeDefined();
    const before = await (
      await api(`/floor/api/exceptions/${putBack.exceptionId}/frames/${original?.frameId}`)
    ).arrayBuffer();
    const label = readFileSync(
      join(out, (image?.file ?? '').replace('images/', 'labels/').replace('.jpg', '.txt')),
      'utf8',
    );
    const [, cx = 0, cy = 0, w = 0] = (label.split('\n')[image?.actorBox ?? 0] ?? '').split(' ').map(Number);
    const change = await meanChange(
      Buffer.from(before),
      readFileSync(join(out, image?.file ?? '')),
      cx,
      cy,
      w * 0.4,
    );
    expect(change.inside).toBeGreaterThan(3 * change.outside);
  }, 120_000);

  it.skipIf(torchMissing)(
    'trains the detector on the exported decisions (CI size), the card naming the dataset',
    async () => {
      const models = join(dir, 'models');
      mkdirSync(models, { recursive: true });
      for (const f of ['appearance-embed.onnx', 'appearance-embed.md', 'appearance-embed.json'])
        copyFileSync(join('models', f), join(models, f));
      const args = [
        '--extra',
        out,
        '--models',
        models,
        '--data',
        join(dir, 'train'),
        '--frames',
        '48',
        '--epochs',
        '1',
      ];
      await run(
        'npx',
        ['tsx', 'scripts/models-build.ts', ...args, '--val', '12', '--skip-embedder', '--skip-arm'],
        {
          timeout: 90_000,
        },
      );
      expect(existsSync(join(models, 'person-heatmap.onnx'))).toBe(true);
      expect(existsSync(join(models, 'person-heatmap.pt'))).toBe(true);
      const manifestText = readFileSync(join(out, 'manifest.json'), 'utf8');
      const manifest = JSON.parse(manifestText) as DatasetManifest;
      const hash = createHash('sha256').update(manifestText).digest('hex');
      const card = JSON.parse(readFileSync(join(models, 'person-heatmap.json'), 'utf8'));
      const trainImages = manifest.samples.filter((s) => s.split === 'train').flatMap((s) => s.images);
      expect(card.trainedOn.extra).toMatchObject({
        manifestSha256: hash,
        images: trainImages.length,
        boxes: trainImages.reduce((n, i) => n + i.boxes, 0),
        startedFrom: expect.stringContaining('scratch'),
      });
      expect(readFileSync(join(models, 'person-heatmap.md'), 'utf8')).toContain(hash);
    },
    120_000,
  );
});

/** Mean absolute change of grey level inside a square (centre and side normalised) and around it. */
async function meanChange(a: Buffer, b: Buffer, cx: number, cy: number, side: number) {
  const grey = async (jpeg: Buffer) => sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
  const [ga, gb] = [await grey(a), await grey(b)];
  const { width, height } = ga.info;
  const sums = { inside: 0, outside: 0, nIn: 0, nOut: 0 };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const d = Math.abs((ga.data[y * width + x] as number) - (gb.data[y * width + x] as number));
      const inside =
        Math.abs(x / width - cx) < side / 2 && Math.abs(y / height - cy) < (side * width) / height / 2;
      if (inside) {
        sums.inside += d;
        sums.nIn += 1;
      } else {
        sums.outside += d;
        sums.nOut += 1;
      }
    }
  return { inside: sums.inside / Math.max(1, sums.nIn), outside: sums.outside / Math.max(1, sums.nOut) };
}
