// npm run models:build — renders labelled camera frames with the simulator, trains the person detector and
// the appearance embedding with training/*.py (Debian's /usr/bin/python3 with torch), exports ONNX into
// models/, measures both on freshly rendered frames and writes their model cards (models/*.md + *.json).
// Its options (frames, epochs, which models to keep, a store's own decisions to add) are in USAGE below.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ArmOwnerModel, patchOrigin } from '../edge/vision/arm-owner.ts';
import { decodeToRgb, writeCrop } from '../edge/vision/frame-prep.ts';
import { AppearanceEmbedder, HeatmapDetector } from '../edge/vision/onnx-models.ts';
import { ARM_CROP, ARM_INPUT, DETECTOR_INPUT, EMBED_CROP } from '../edge/vision/vision-defaults.ts';
import { type LabelledFrame, renderLabelledFrames } from '../evaluation/vision-eval/labelled-frames.ts';
import { lookCosines, lookTests } from '../evaluation/vision-eval/look-check.ts';
import {
  type ArmTraining,
  trainingSections,
  writeModelCards,
} from '../evaluation/vision-eval/model-cards.ts';
import {
  CLOSE_PAIR_M,
  embedPeople,
  LONG_REACH_M,
  measureDetector,
  measureEmbedder,
  truthCount,
} from '../evaluation/vision-eval/model-check.ts';
import { Random } from '../shared/random.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import { ARM_HARD_CASES, identityPool } from '../simulators/vision/training-scenes.ts';
import { commandLine } from './cli/command-line.ts';
import { writeExtraTrainingSet } from './extra-training-set.ts';

const PYTHON = process.env.TRAIN_PYTHON ?? '/usr/bin/python3';

const USAGE = `usage: npm run models:build -- [options]
  --frames N          training frames (default 4000)
  --epochs N          detector epochs (default 12)
  --emb-epochs N      embedder epochs (default 25)
  --val N             fresh validation frames the models are measured on (default 400)
  --skip-render       train on the frames already in the data folder
  --skip-train        re-measure the models and rewrite their cards
  --skip-embedder / --skip-detector / --skip-arm   keep that shipped model, train the others
  --skip-arm-owner    keep the shipped arm-owner net, train the arm-tip net and join it to it
  --skip-arm-tip      keep the shipped arm-tip net, train the arm-owner net and join it to it
  --arm-frames N      frames whose hands the arm nets learn from (default 40000; the arm-owner net's are drawn
                      with ARM_HARD_CASES, richer in reaches into a neighbour's lane)
  --arm-epochs N      arm net epochs (default 16)
  --extra <dir>       also train the detector on a dataset of the store's decisions (npm run dataset:export),
                      fine-tuned from <models>/person-heatmap.pt when a previous build left it; keeps the
                      arm nets
  --extra-repeat N    times the extra frames are repeated in training (default 4)
  --models <dir>      where the models and their cards are written (default models/)
  --data <dir>        where the training frames are written (default var/vision-train)
Environment: TRAIN_PYTHON (default /usr/bin/python3, with torch), STORE_CONFIG (default the sample store).`;

const cli = commandLine({
  command: 'models:build',
  usage: USAGE,
  options: {
    frames: { type: 'string', default: '4000' },
    epochs: { type: 'string', default: '12' },
    'emb-epochs': { type: 'string', default: '25' },
    val: { type: 'string', default: '400' },
    'skip-render': { type: 'boolean', default: false },
    'skip-train': { type: 'boolean', default: false },
    'skip-embedder': { type: 'boolean', default: false },
    'skip-detector': { type: 'boolean', default: false },
    'skip-arm': { type: 'boolean', default: false },
    'skip-arm-owner': { type: 'boolean', default: false },
    'skip-arm-tip': { type: 'boolean', default: false },
    'arm-frames': { type: 'string', default: '40000' },
    'arm-epochs': { type: 'string', default: '16' },
    extra: { type: 'string' },
    'extra-repeat': { type: 'string', default: '4' },
    models: { type: 'string', default: 'models' },
    data: { type: 'string', default: 'var/vision-train' },
  },
});
/** The counts the build takes from its command line, each an integer ≥ 1. */
const counts = {
  frames: cli.integer('frames', { min: 1 }),
  epochs: cli.integer('epochs', { min: 1 }),
  embEpochs: cli.integer('emb-epochs', { min: 1 }),
  val: cli.integer('val', { min: 1 }),
  armFrames: cli.integer('arm-frames', { min: 1 }),
  armEpochs: cli.integer('arm-epochs', { min: 1 }),
  extraRepeat: cli.integer('extra-repeat', { min: 1 }),
};
const DATA = cli.values.data;
const MODELS = cli.values.models;
const extraDir = cli.values.extra;
const skipTrain = cli.values['skip-train'];
const skipRender = cli.values['skip-render'];
const skipEmbedder = cli.values['skip-embedder'];
const skipDetector = cli.values['skip-detector'];
// a store's decisions label person boxes only: nothing for the arm-owner model, which is kept
const skipArm = cli.values['skip-arm'] || extraDir !== undefined;
// keep the shipped arm-owner net, train only the arm-tip net and join it to it
const skipArmOwner = cli.values['skip-arm-owner'];
// keep the shipped arm-tip net, train only the arm-owner net and join it to it
const skipArmTip = cli.values['skip-arm-tip'];
if (skipArmOwner && skipArmTip)
  cli.fail('--skip-arm-owner with --skip-arm-tip trains no arm net: use --skip-arm');
/** The share of arm-tip patches cut short along the arm, and how far back (fraction of hand → body). */
const ARM_SHORT = { share: 0.5, from: 0.1, to: 0.5 } as const;
const store = loadStoreConfig(process.env.STORE_CONFIG ?? 'stores/sample-store.json');
const cameras = new Map(store.cameras.map((c) => [c.id, c]));
const trainIds = identityPool(400, new Random(101));
const valIds = identityPool(60, new Random(202));
const say = (line: string) => console.log(`[models:build] ${line}`);

function writeDetectorSet(name: string, frames: LabelledFrame[]): void {
  writeFileSync(`${DATA}/det-${name}.u8`, Buffer.concat(frames.map((f) => f.rgb)));
  const labels = frames.map((f) => ({
    people: f.people.map((p) => [p.cx, p.cy]),
    // each hand with its owner's centre (input pixels): the detector learns the offset from one to the other
    hands: f.people.flatMap((p) => (p.hand === undefined ? [] : [[p.hand.cx, p.hand.cy, p.cx, p.cy]])),
  }));
  writeFileSync(`${DATA}/det-${name}.json`, JSON.stringify({ ...DETECTOR_INPUT, labels }));
}

function writeEmbedderSet(frames: LabelledFrame[], random: Random): number {
  const c = EMBED_CROP;
  const crops: Buffer[] = [];
  const identities: number[] = [];
  const tmp = new Float32Array(3 * c * c);
  for (const f of frames) {
    for (const p of f.people) {
      if (p.cx < 0 || p.cy < 0 || p.cx >= DETECTOR_INPUT.width || p.cy >= DETECTOR_INPUT.height) continue;
      // the detector's centre is off by up to a pixel or so: train on jittered crops
      writeCrop(f.rgb, DETECTOR_INPUT, p.cx + random.normal() * 0.7, p.cy + random.normal() * 0.7, c, tmp, 0);
      const hwc = Buffer.alloc(3 * c * c);
      for (let i = 0; i < c * c; i++) {
        for (let ch = 0; ch < 3; ch++) hwc[i * 3 + ch] = Math.round((tmp[ch * c * c + i] ?? 0) * 255);
      }
      crops.push(hwc);
      identities.push(p.identity);
    }
  }
  writeFileSync(`${DATA}/emb-train.u8`, Buffer.concat(crops));
  writeFileSync(`${DATA}/emb-train.json`, JSON.stringify({ crop: c, identities }));
  return crops.length;
}

/**
 * The arm patches: one per labelled hand, cut around it (jittered by about the detector's error in placing a
 * hand) from the frame decoded at ARM_INPUT, with the owner's centre and the hand itself (the arm's end) in
 * patch pixels, written to `${DATA}/${name}.u8` and `.json`. The arm-owner model learns from patches centred on
 * the hand (`short` absent). The detector often finds a long reach's hand short along its arm (0.3–0.4 m of a
 * metre, docs/vision.md "Long reaches"), so for the arm-tip model a `short.share` of the patches are cut around
 * a point `short.from`–`short.to` of the way back from the hand to its body: it learns to find the arm's end
 * from wherever on the arm it is put.
 */
async function writeArmSet(
  frames: LabelledFrame[],
  random: Random,
  name: 'arm-train' | 'arm-tip',
  short?: { share: number; from: number; to: number },
): Promise<number> {
  const c = ARM_CROP;
  const sx = ARM_INPUT.width / DETECTOR_INPUT.width;
  const sy = ARM_INPUT.height / DETECTOR_INPUT.height;
  const tmp = new Float32Array(3 * c * c);
  const patches: Buffer[] = [];
  const owners: Array<[number, number]> = [];
  const tips: Array<[number, number]> = [];
  for (const f of frames) {
    if (!f.people.some((p) => p.hand !== undefined)) continue;
    const rgb = await decodeToRgb(f.jpeg, ARM_INPUT);
    for (const p of f.people) {
      if (p.hand === undefined) continue;
      const jitter = () => Math.max(-6, Math.min(6, random.normal() * 2));
      const back =
        short !== undefined && random.next() < short.share
          ? short.from + random.next() * (short.to - short.from)
          : 0;
      const cx = (p.hand.cx + (p.cx - p.hand.cx) * back) * sx + jitter();
      const cy = (p.hand.cy + (p.cy - p.hand.cy) * back) * sy + jitter();
      writeCrop(rgb, ARM_INPUT, cx, cy, c, tmp, 0);
      const hwc = Buffer.alloc(3 * c * c);
      for (let i = 0; i < c * c; i++) {
        for (let ch = 0; ch < 3; ch++) hwc[i * 3 + ch] = Math.round((tmp[ch * c * c + i] ?? 0) * 255);
      }
      patches.push(hwc);
      const o = patchOrigin(cx, cy, c);
      owners.push([p.cx * sx - o.x, p.cy * sy - o.y]);
      tips.push([p.hand.cx * sx - o.x, p.hand.cy * sy - o.y]);
    }
  }
  writeFileSync(`${DATA}/${name}.u8`, Buffer.concat(patches));
  writeFileSync(`${DATA}/${name}.json`, JSON.stringify({ crop: c, frames: frames.length, owners, tips }));
  return patches.length;
}

/**
 * The arm-owner file is two nets that read the same patches: the arm-owner net (`owner_map`; kept from the
 * shipped file with --skip-arm-owner) and the arm-tip net (`tip_map`), trained apart and joined into one ONNX
 * graph by training/merge_arm.py, so the edge runs them as one.
 */
function trainArm(): void {
  const epochs = counts.armEpochs;
  // a net kept comes from the shipped file (merge_arm.py takes only the map it needs from each)
  const owner = skipArmOwner ? `${MODELS}/arm-owner.onnx` : `${DATA}/arm-owner-part.onnx`;
  const tip = skipArmTip ? `${MODELS}/arm-owner.onnx` : `${DATA}/arm-tip-part.onnx`;
  if (!skipArmOwner) train('training/train_arm_owner.py', owner, epochs);
  if (!skipArmTip) train('training/train_arm_tip.py', tip, epochs);
  const merged = `${DATA}/arm-owner-merged.onnx`;
  const run = spawnSync(PYTHON, ['training/merge_arm.py', owner, tip, merged], {
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`training/merge_arm.py failed (exit ${run.status})`);
  copyFileSync(merged, `${MODELS}/arm-owner.onnx`);
}

function train(script: string, out: string, epochs: number, init?: string): void {
  say(`training ${out} with ${PYTHON} ${script}${init === undefined ? '' : ` from ${init}`}`);
  const run = spawnSync(PYTHON, [script, DATA, out, String(epochs), ...(init === undefined ? [] : [init])], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    throw new Error(
      `${script} failed (exit ${run.status}); install torch for ${PYTHON}: apt-get install -y python3-torch python3-onnx`,
    );
  }
}

const started = performance.now();
mkdirSync(DATA, { recursive: true });
mkdirSync(MODELS, { recursive: true });
// a store's decisions are trained on only when asked for: none left over from an earlier --extra build
rmSync(`${DATA}/det-extra.u8`, { force: true });
rmSync(`${DATA}/det-extra.json`, { force: true });
const checkpoint = `${MODELS}/person-heatmap.pt`;
const fineTune = extraDir !== undefined && existsSync(checkpoint);
const extraRepeat = counts.extraRepeat;
const extra =
  extraDir === undefined || skipTrain
    ? undefined
    : {
        ...(await writeExtraTrainingSet(extraDir, DATA, extraRepeat)),
        repeat: extraRepeat,
        startedFrom: fineTune
          ? `models/person-heatmap.pt sha256 ${createHash('sha256').update(readFileSync(checkpoint)).digest('hex')}`
          : 'scratch (no person-heatmap.pt from an earlier build to fine-tune)',
      };
if (extra !== undefined)
  say(
    `store decisions from ${extraDir}: ${extra.images} frames, ${extra.boxes} person boxes (manifest ${extra.manifestSha256.slice(0, 12)}…)`,
  );
if (!skipTrain && !skipRender) {
  const n = counts.frames;
  // the arm nets learn from one patch per hand, and a frame has less than one hand on average: the arm-tip net
  // takes the same stream of frames further (the detector's are its first n); the arm-owner net has its own
  const armFrames = counts.armFrames;
  const tipFrames = skipArm || skipArmTip ? 0 : armFrames;
  const ownerFrames = skipArm || skipArmOwner ? 0 : armFrames;
  const total = Math.max(n, tipFrames);
  const progress = (of: number) => (d: number) =>
    say(`  ${d}/${of} frames (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  say(
    `rendering ${total} training frames (${n} for the detector and embedder${tipFrames === 0 ? '' : `, ${tipFrames} for the arm-tip net`})`,
  );
  const rendered = await renderLabelledFrames(store, trainIds, total, 1, DETECTOR_INPUT, progress(total));
  const trainFrames = rendered.slice(0, n);
  writeDetectorSet('train', trainFrames);
  const crops = writeEmbedderSet(trainFrames, new Random(5));
  // the arm-owner net learns from scenes of their own, richer in arms reaching into a neighbour's lane
  if (ownerFrames > 0) say(`rendering ${ownerFrames} frames for the arm-owner net (ARM_HARD_CASES)`);
  const ownerRendered =
    ownerFrames === 0
      ? []
      : await renderLabelledFrames(
          store,
          trainIds,
          ownerFrames,
          4,
          DETECTOR_INPUT,
          progress(ownerFrames),
          ARM_HARD_CASES,
        );
  const arms = ownerFrames === 0 ? 0 : await writeArmSet(ownerRendered, new Random(7), 'arm-train');
  const tips =
    tipFrames === 0
      ? 0
      : await writeArmSet(rendered.slice(0, tipFrames), new Random(7), 'arm-tip', ARM_SHORT);
  say(
    `wrote ${trainFrames.length} frames, ${crops} person crops, ${arms} hand patches and ${tips} arm-tip patches to ${DATA}`,
  );
}
if (!skipTrain) {
  if (!skipDetector)
    train(
      'training/train_detector.py',
      `${MODELS}/person-heatmap.onnx`,
      counts.epochs,
      fineTune ? checkpoint : undefined,
    );
  if (!skipEmbedder) train('training/train_embedder.py', `${MODELS}/appearance-embed.onnx`, counts.embEpochs);
  if (!skipArm) trainArm();
}
const valCount = counts.val;
say(`rendering ${valCount} fresh validation frames (unseen identities)`);
const valFrames = await renderLabelledFrames(store, valIds, valCount, 2, DETECTOR_INPUT);
const tuning = { intraOpThreads: 2 };
const detector = await HeatmapDetector.open(`${MODELS}/person-heatmap.onnx`, DETECTOR_INPUT, tuning);
const embedder = await AppearanceEmbedder.open(`${MODELS}/appearance-embed.onnx`, EMBED_CROP, tuning);
const det = await measureDetector(detector, valFrames, cameras);
const detectorStride = detector.cellPx;
if (detectorStride === undefined)
  throw new Error('the detector never ran: no validation frames (--val must be > 0)');
const armFile = `${MODELS}/arm-owner.onnx`;
const armModel = existsSync(armFile)
  ? await ArmOwnerModel.open(armFile, ARM_INPUT, ARM_CROP, tuning)
  : undefined;
const armDet =
  armModel === undefined ? undefined : await measureDetector(detector, valFrames, cameras, armModel);
await armModel?.release();
// a model not retrained keeps the card's account of what it was trained on (a first card: the patches in DATA)
const armCard = `${MODELS}/arm-owner.json`;
const armTrainedOn = armModel === undefined ? undefined : armTraining();
/**
 * What the arm nets were trained on: a net not retrained keeps its card's account (a first card: the patch
 * sets in DATA).
 */
function armTraining(): ArmTraining | undefined {
  const card = existsSync(armCard)
    ? (JSON.parse(readFileSync(armCard, 'utf8')) as { trainedOn: ArmTraining }).trainedOn
    : undefined;
  const fromSet = (name: string) => {
    const file = `${DATA}/${name}.json`;
    if (!existsSync(file)) return undefined;
    const set = JSON.parse(readFileSync(file, 'utf8')) as { frames: number; owners: unknown[] };
    return { patches: set.owners.length, frames: set.frames, epochs: counts.armEpochs };
  };
  if (skipTrain || skipArm) return card;
  const owner = skipArmOwner ? card : fromSet('arm-train');
  if (owner === undefined) return undefined;
  const tip = skipArmTip ? card?.tip : fromSet('arm-tip');
  return {
    patches: owner.patches,
    frames: owner.frames,
    epochs: owner.epochs,
    ...(tip === undefined ? {} : { tip }),
  };
}
const embedded = await embedPeople(embedder, valFrames, DETECTOR_INPUT);
const emb = measureEmbedder(embedded);
const looks = lookTests(lookCosines(embedded));
await detector.release();
await embedder.release();
for (const [name, d] of [
  ['all', det],
  ['crowded', det.crowded],
] as const) {
  say(
    `detector (${name}): people recall ${d.people.recall.toFixed(3)} precision ${d.people.precision.toFixed(3)} ` +
      `error ${d.people.meanErrorM.toFixed(3)} m; hands recall ${d.hands.recall.toFixed(3)} precision ` +
      `${d.hands.precision.toFixed(3)}; whose hand ${d.association.accuracy.toFixed(3)} of ${d.association.hands} ` +
      `(contested ${d.association.contestedShare.toFixed(3)}, sure ${d.association.sureShare.toFixed(3)}, ` +
      `wrong and sure ${d.association.wrongSureShare.toFixed(3)})`,
  );
}
const long = det.longReach;
say(
  `detector (people with another within ${CLOSE_PAIR_M} m): recall ${det.closePair.people.recall.toFixed(3)} of ` +
    `${truthCount(det.closePair.people)}, error ` +
    `${det.closePair.people.meanErrorM.toFixed(3)} m`,
);
say(
  `detector (long reaches, ≥ ${LONG_REACH_M} m): hands recall ${long.hands.recall.toFixed(3)} of ` +
    `${truthCount(long.hands)}, error ${long.hands.meanErrorM.toFixed(3)} m; ` +
    `whose hand ${long.association.accuracy.toFixed(3)}`,
);
if (armDet !== undefined) {
  for (const [name, a] of [
    ['all', armDet.association],
    ['crowded', armDet.crowded.association],
    ['long reaches', armDet.longReach.association],
  ] as const)
    say(
      `arm-owner (${name}): whose hand ${a.accuracy.toFixed(3)} of ${a.hands} (contested ${a.contestedShare.toFixed(3)}, ` +
        `sure ${a.sureShare.toFixed(3)}, wrong and sure ${a.wrongSureShare.toFixed(3)})`,
    );
  for (const b of armDet.association.byConfidence)
    say(
      `arm-owner owner confidence ${b.from.toFixed(2)}–${b.to.toFixed(2)}: ${b.hands} hands given to one person, ` +
        `${b.hands === 0 ? '–' : ((100 * b.right) / b.hands).toFixed(1)} % to the right one`,
    );
}
say(
  `embedder: rank-1 ${emb.rank1.toFixed(3)} over ${emb.crops} crops (cos same ${emb.sameCos.toFixed(2)}, other ${emb.otherCos.toFixed(2)})`,
);
for (const [test, l] of Object.entries(looks))
  say(
    `embedder look test ${test} at cosine ${l.cosine}: own looks through ${l.ownPass.toFixed(3)}, others' ` +
      `${l.othersPass.toFixed(4)} (target ${l.target}: cosine ${l.cosineForTarget} would keep it)`,
  );
// an embedder not retrained keeps the card text of what it was trained on
const embedderTrainedOn =
  skipTrain || skipEmbedder
    ? trainingSections(readFileSync(`${MODELS}/appearance-embed.md`, 'utf8'))
    : undefined;
// …and so does a detector: its card's training text and what its JSON says it was trained on
const detectorKept = skipTrain || skipDetector;
const detectorTrainedOn = detectorKept
  ? trainingSections(readFileSync(`${MODELS}/person-heatmap.md`, 'utf8'))
  : undefined;
// …and arm nets not retrained (a models folder without the arm-owner model writes no card for it)
const armCardFile = `${MODELS}/arm-owner.md`;
const armTrainedText =
  (skipTrain || skipArm) && existsSync(armCardFile)
    ? trainingSections(readFileSync(armCardFile, 'utf8'))
    : undefined;
const detectorTrainedJson = detectorKept
  ? ((JSON.parse(readFileSync(`${MODELS}/person-heatmap.json`, 'utf8')) as { trainedOn?: object })
      .trainedOn ?? {
      note: 'not recorded by the build that trained it: see the card text',
    })
  : undefined;
writeModelCards(
  {
    det,
    detectorStride,
    epochs: counts.epochs,
    emb,
    looks,
    valFrames: valFrames.length,
    trainFrames: counts.frames,
    trainIdentities: trainIds.length,
    cameras: store.cameras.length,
    ...(embedderTrainedOn === undefined ? {} : { embedderTrainedOn }),
    ...(detectorTrainedOn === undefined ? {} : { detectorTrainedOn }),
    ...(detectorTrainedJson === undefined ? {} : { detectorTrainedJson }),
    ...(armTrainedText === undefined ? {} : { armTrainedOn: armTrainedText }),
    ...(extra === undefined ? {} : { extra }),
    ...(armDet === undefined || armTrainedOn === undefined
      ? {}
      : { arm: { det: armDet, trainedOn: armTrainedOn, tips: armModel?.tips ?? false } }),
  },
  MODELS,
);
say(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
