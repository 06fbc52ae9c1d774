// npm run eval:vision — renders the vision scenarios' camera frames (all the sample store's ceiling cameras, 10 fps, 2 % dropped)
// and runs them through the edge's detector, embedder and tracker in simulated time. Prints detection
// recall/precision at 0.3 m, MOTA, IDF1, ID switches, intact sessions and how identity confidence did (ticks
// on a wrong session while sure; share of right ones in doubt) per scenario, and hands overall (recall,
// precision, held by their owner); with --json the last line is
// {"overall":{…}}. Options: --fps N, --drop R, --scenario file.json (repeatable), --no-gate (infer every frame:
// the edge's motion gate off), --person-threshold / --hand-threshold (peaks kept; default the shipped
// DETECTOR_THRESHOLDS); VISION_DETECTOR_PATH=file evaluates another detector, VISION_ARM_OWNER_PATH=file another
// arm-owner model (empty: none, the detector's own owner point).
import { readdirSync } from 'node:fs';
import { ArmOwnerModel } from '../edge/vision/arm-owner.ts';
import { FramePipeline } from '../edge/vision/frame-pipeline.ts';
import { MOTION_GATE_DEFAULTS, MotionGate } from '../edge/vision/motion-gate.ts';
import { AppearanceEmbedder, HeatmapDetector } from '../edge/vision/onnx-models.ts';
import {
  ARM_CROP,
  ARM_INPUT,
  ARM_MODEL,
  DETECTOR_INPUT,
  DETECTOR_MODEL,
  DETECTOR_THRESHOLDS,
  EMBED_CROP,
  EMBEDDER_MODEL,
} from '../edge/vision/vision-defaults.ts';
import { evaluateScenario, type ScenarioScore } from '../evaluation/vision-eval/vision-eval.ts';
import { indexStore } from '../shared/store-config.ts';
import { loadScenario } from '../simulators/scenario/scenario-loader.ts';
import { commandLine } from './cli/command-line.ts';

const dir = 'evaluation/vision-eval/scenarios';
const USAGE = `usage: npm run eval:vision -- [--json] [--fps N] [--drop R] [--scenario file.json]… [--no-gate]
                                [--person-threshold T] [--hand-threshold T]
  --fps N                frames per second per camera (default 10)
  --drop R               share of frames dropped, 0–1 (default 0.02)
  --scenario file.json   only this scenario (repeatable; default every one in ${dir})
  --no-gate              infer every frame: the edge's motion gate off
  --person-threshold T   person peaks kept, 0–1 (default the shipped ${DETECTOR_THRESHOLDS.person})
  --hand-threshold T     hand peaks kept, 0–1 (default the shipped ${DETECTOR_THRESHOLDS.hand})
  --json                 last line: {"overall":{…}}
VISION_DETECTOR_PATH=file evaluates another detector, VISION_ARM_OWNER_PATH=file another arm-owner model
(empty: none, the detector's own owner point).`;

const cli = commandLine({
  command: 'eval:vision',
  usage: USAGE,
  options: {
    json: { type: 'boolean', default: false },
    fps: { type: 'string', default: '10' },
    drop: { type: 'string', default: '0.02' },
    scenario: { type: 'string', multiple: true, default: [] },
    'no-gate': { type: 'boolean', default: false },
    'person-threshold': { type: 'string' },
    'hand-threshold': { type: 'string' },
  },
});
const { json } = cli.values;
const gated = !cli.values['no-gate'];
const files = cli.values.scenario;
const scenarios =
  files.length > 0
    ? files
    : readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => `${dir}/${f}`);
const fps = cli.positiveNumber('fps');
const dropRate = cli.number('drop', { min: 0, max: 1 });
const thresholds = {
  person: cli.number('person-threshold', { min: 0, max: 1 }) ?? DETECTOR_THRESHOLDS.person,
  hand: cli.number('hand-threshold', { min: 0, max: 1 }) ?? DETECTOR_THRESHOLDS.hand,
};
const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);

const tuning = { intraOpThreads: 2 };
const detector = await HeatmapDetector.open(
  process.env.VISION_DETECTOR_PATH ?? DETECTOR_MODEL,
  DETECTOR_INPUT,
  tuning,
  thresholds,
);
const embedder = await AppearanceEmbedder.open(EMBEDDER_MODEL, EMBED_CROP, tuning);
const armPath = process.env.VISION_ARM_OWNER_PATH ?? ARM_MODEL;
const arm = armPath === '' ? undefined : await ArmOwnerModel.open(armPath, ARM_INPUT, ARM_CROP, tuning);
const started = performance.now();
const scores: ScenarioScore[] = [];
const frameCounts = { inferred: 0, skipped: 0 };
for (const file of scenarios) {
  const { scenario, store } = loadScenario(file);
  const index = indexStore(store);
  const gate = new MotionGate(
    { ...MOTION_GATE_DEFAULTS, enabled: gated },
    DETECTOR_INPUT,
    store.cameras,
    store.shelves,
  );
  const pipeline = new FramePipeline(
    store.cameras,
    { kind: 'heatmap', model: detector, arm },
    embedder,
    DETECTOR_INPUT,
    store.shelves,
    gate,
  );
  let lastReport = 0;
  const score = await evaluateScenario(scenario, index, pipeline, {
    fps,
    dropRate,
    onTick: (t) => {
      if (t - lastReport >= 5000) {
        lastReport = t;
        log(
          `  ${scenario.name}: ${(t / 1000).toFixed(0)} s simulated (${((performance.now() - started) / 1000).toFixed(0)} s wall)`,
        );
      }
    },
  });
  scores.push(score);
  frameCounts.inferred += gate.counts.inferred;
  frameCounts.skipped += gate.counts.skipped;
  for (const b of score.mot.broken) log(`  ${scenario.name}: session ${b.session} broken: ${b.reason}`);
}
await detector.release();
await embedder.release();
await arm?.release();

const sum = (f: (s: ScenarioScore) => number) => scores.reduce((a, s) => a + f(s), 0);
const tp = sum((s) => s.detection.truePositives);
const fp = sum((s) => s.detection.falsePositives);
const fn = sum((s) => s.detection.falseNegatives);
const gt = sum((s) => s.mot.gtObjects);
const handTp = sum((s) => s.hands.truePositives);
const handsFound = Math.max(
  1,
  sum((s) => s.handOwners.found),
);
const trackHandsFound = Math.max(
  1,
  sum((s) => s.trackHands.found),
);
const errors = sum((s) => s.mot.misses + s.mot.falsePositives + s.mot.idSwitches);
const overall = {
  detectionRecall: tp / Math.max(1, tp + fn),
  detectionPrecision: tp / Math.max(1, tp + fp),
  mota: 1 - errors / Math.max(1, gt),
  // IDF1 over all scenarios, weighted by ground-truth presence
  idf1: sum((s) => s.mot.idf1 * s.mot.gtObjects) / Math.max(1, gt),
  idSwitches: sum((s) => s.mot.idSwitches),
  sessionsIntact:
    sum((s) => s.mot.sessionsIntact) /
    Math.max(
      1,
      sum((s) => s.mot.sessions),
    ),
  identityWrongButSure: sum((s) => s.mot.wrongButSure),
  // weighted by ground-truth presence, like IDF1
  identityDoubtfulShare: sum((s) => s.mot.doubtfulShare * s.mot.gtObjects) / Math.max(1, gt),
  // everyone in these scenarios is admitted: any report is a false alarm
  tailgatingReports: sum((s) => s.tailgating),
  // extended hands per camera frame as the pipeline gave them to people; association: share of the hands
  // found that the true owner's detection holds (contested: held by more than one)
  handRecall: handTp / Math.max(1, handTp + sum((s) => s.hands.falseNegatives)),
  handPrecision: handTp / Math.max(1, handTp + sum((s) => s.hands.falsePositives)),
  handAssociation: sum((s) => s.handOwners.right) / handsFound,
  handContestedShare: sum((s) => s.handOwners.contested) / handsFound,
  // the same after fusion, on the tracks (every camera's vote counted): the share of true hands found that
  // the owner's track holds, held by several tracks, and held surely (owner confidence ≥ 0.8) by another
  trackHandAssociation: sum((s) => s.trackHands.right) / trackHandsFound,
  trackHandContestedShare: sum((s) => s.trackHands.contested) / trackHandsFound,
  trackHandSureWrongShare: sum((s) => s.trackHands.sureWrong) / trackHandsFound,
  framesInferred: frameCounts.inferred,
  framesSkipped: frameCounts.skipped,
};
const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(7);
log('');
log(
  'scenario            frames  det.recall det.prec   MOTA    IDF1  IDsw  sessions  wrong+sure  doubtful  edge ms/frame',
);
for (const s of scores) {
  log(
    `${s.scenario.padEnd(18)} ${String(s.frames).padStart(7)}  ${pct(s.detection.recall)}   ${pct(s.detection.precision)} ${pct(s.mot.mota)} ${pct(s.mot.idf1)} ${String(s.mot.idSwitches).padStart(5)}  ${`${s.mot.sessionsIntact}/${s.mot.sessions}`.padStart(8)}  ${String(s.mot.wrongButSure).padStart(10)}  ${pct(s.mot.doubtfulShare).padStart(8)}  ${s.edgeMsPerFrame.toFixed(2).padStart(13)}`,
  );
}
log(
  `${'overall'.padEnd(18)} ${String(sum((s) => s.frames)).padStart(7)}  ${pct(overall.detectionRecall)}   ${pct(overall.detectionPrecision)} ${pct(overall.mota)} ${pct(overall.idf1)} ${String(overall.idSwitches).padStart(5)}  ${pct(overall.sessionsIntact).padStart(8)}  ${String(overall.identityWrongButSure).padStart(10)}  ${pct(overall.identityDoubtfulShare).padStart(8)}`,
);
log(
  `(${fps} fps, ${(dropRate * 100).toFixed(0)} % frames dropped, matches within 0.3 m; ${((performance.now() - started) / 1000).toFixed(0)} s)`,
);
log(
  `hands: recall ${pct(overall.handRecall)}, precision ${pct(overall.handPrecision)}, held by their owner ${pct(overall.handAssociation)}, contested ${pct(overall.handContestedShare)}`,
);
log(
  `hands on the tracks (all cameras fused): held by their owner ${pct(overall.trackHandAssociation)}, contested ${pct(overall.trackHandContestedShare)}, surely another's ${pct(overall.trackHandSureWrongShare)}`,
);
log(
  `frames inferred / skipped by the motion gate: ${frameCounts.inferred} / ${frameCounts.skipped}${gated ? '' : ' (gate off)'}`,
);
if (json)
  process.stdout.write(
    `${JSON.stringify({
      overall,
      scenarios: scores.map((s) => ({
        scenario: s.scenario,
        detection: s.detection,
        hands: s.hands,
        handOwners: s.handOwners,
        trackHands: s.trackHands,
        mot: s.mot,
        tailgating: s.tailgating,
      })),
    })}\n`,
  );
