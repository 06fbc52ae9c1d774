// Runs one scenario's rendered camera frames through the edge's vision pipeline and tracker in simulated
// time and scores them: detections per camera frame, tracks per tick (MOTA, IDF1, ID switches), sessions.

import type { FloorDetection } from '../../edge/tracking/camera-fusion.ts';
import { GateBinder } from '../../edge/tracking/gate-binder.ts';
import { Tracker } from '../../edge/tracking/tracker.ts';
import type { FramePipeline } from '../../edge/vision/frame-pipeline.ts';
import { type CameraOutline, cameraOutline, camerasSeeing } from '../../shared/camera-coverage.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { Scenario } from '../../simulators/scenario/scenario-schema.ts';
import {
  type CapturedFrame,
  type SceneTick,
  scenarioFrames,
} from '../../simulators/vision/scenario-frames.ts';
import { type DetectionScore, scoreMatches, summarise } from './model-check.ts';
import { MotAccumulator, type MotSummary } from './mot-metrics.ts';
import { emptyTrackHands, scoreTrackHands, type TrackHandCounts } from './track-hands.ts';

export interface ScenarioScore {
  scenario: string;
  frames: number;
  detection: DetectionScore;
  /** Extended hands in each camera frame, as the pipeline gave them to people (0.3 m). */
  hands: DetectionScore;
  /** Hands found: how many, held by their true owner's detection, and held by more than one detection. */
  handOwners: { found: number; right: number; contested: number };
  /** The same after every camera was fused: the true hands the tracks hold, and by whom (`track-hands.ts`). */
  trackHands: TrackHandCounts;
  mot: MotSummary;
  /** Wall time spent in the edge pipeline + tracker per frame, ms. */
  edgeMsPerFrame: number;
  /** People the tracker reported coming in unadmitted (the scenarios admit everyone: false alarms). */
  tailgating: number;
}

export async function evaluateScenario(
  scenario: Scenario,
  store: StoreIndex,
  pipeline: FramePipeline,
  options: { fps: number; dropRate: number; onTick?: (t: number) => void },
): Promise<ScenarioScore> {
  const config = store.config;
  const outlines = config.cameras.map((c) => cameraOutline(c));
  const binder = new GateBinder(config.gates.map((g) => ({ id: g.id, kind: g.kind, ...g.position })));
  const tracker = new Tracker(outlines, binder);
  const mot = new MotAccumulator(0.3);
  const startTs = 1_764_064_800_000;
  // the gate's valid scans, in time order: the edge's gate stage calls entered() for each
  const entries = scenario.shoppers.flatMap((s) =>
    s.script.flatMap((a) =>
      a.do === 'enter' ? [{ shopper: s.id, party: s.party, gate: a.gate, ts: startTs + a.at * 1000 }] : [],
    ),
  );
  entries.sort((a, b) => a.ts - b.ts);
  const det = [0, 0, 0, 0];
  const hand = [0, 0, 0, 0];
  const handOwners = { found: 0, right: 0, contested: 0 };
  const trackHands = emptyTrackHands();
  let frames = 0;
  let tailgating = 0;
  let edgeMs = 0;
  for await (const tick of scenarioFrames(scenario, store, {
    fps: options.fps,
    dropRate: options.dropRate,
    startTs,
  })) {
    while (entries.length > 0 && (entries[0]?.ts ?? Number.POSITIVE_INFINITY) <= tick.ts) {
      const e = entries.shift();
      if (e !== undefined) binder.entered(e.shopper, e.gate, e.party, e.ts);
    }
    const started = performance.now();
    const detections = await pipeline.process(tick.frames);
    tracker.update(tick.ts, detections, new Set(tick.frames.map((f) => f.camera)));
    tailgating += tracker.takeTailgating().length;
    edgeMs += performance.now() - started;
    frames += tick.frames.length;
    for (const frame of tick.frames) scoreCameraFrame(frame, detections, { det, hand, handOwners });
    const atMs = tick.ts - startTs;
    addMotTick(mot, outlines, tick, tracker, atMs / 1000);
    scoreTrackHands(
      tick.truth.filter((p) => p.onFloor),
      tracker.reported().map((t) => ({ id: t.id, x: t.x.p, y: t.y.p, hands: t.hands })),
      trackHands,
    );
    options.onTick?.(atMs);
  }
  const [tp = 0, fp = 0, fn = 0, err = 0] = det;
  return {
    scenario: scenario.name,
    frames,
    detection: summarise(tp, fp, fn, err),
    hands: summarise(hand[0] ?? 0, hand[1] ?? 0, hand[2] ?? 0, hand[3] ?? 0),
    handOwners,
    trackHands,
    mot: mot.summary(),
    edgeMsPerFrame: frames === 0 ? 0 : edgeMs / frames,
    tailgating,
  };
}

/** Running sums over camera frames: detections and hands [tp, fp, fn, error sum], and hand owners. */
interface FrameCounts {
  det: number[];
  hand: number[];
  handOwners: { found: number; right: number; contested: number };
}

/** One camera frame's people and hands against what the pipeline detected in it. */
function scoreCameraFrame(frame: CapturedFrame, detections: FloorDetection[], counts: FrameCounts): void {
  const { det, hand, handOwners } = counts;
  const seen = detections.filter((d) => d.camera === frame.camera);
  const s = scoreMatches(frame.visible, seen);
  det[0] = (det[0] ?? 0) + s.tp;
  det[1] = (det[1] ?? 0) + s.fp;
  det[2] = (det[2] ?? 0) + s.fn;
  det[3] = (det[3] ?? 0) + s.errorSum;
  // a contested hand is one object on several people's lists
  const hands = [...new Set(seen.flatMap((d) => d.hands))];
  const owners = frame.visible.flatMap((v, i) => (v.hand === undefined ? [] : [i]));
  const h = scoreMatches(
    owners.map((i) => frame.visible[i]?.hand as { x: number; y: number }),
    hands,
  );
  hand[0] = (hand[0] ?? 0) + h.tp;
  hand[1] = (hand[1] ?? 0) + h.fp;
  hand[2] = (hand[2] ?? 0) + h.fn;
  hand[3] = (hand[3] ?? 0) + h.errorSum;
  owners.forEach((owner, t) => {
    const found = hands[h.foundOf[t] ?? -1];
    if (found === undefined) return;
    const holders = seen.flatMap((d, i) => (d.hands.includes(found) ? [i] : []));
    handOwners.found++;
    if (holders.includes(s.foundOf[owner] ?? -1)) handOwners.right++;
    if (holders.length > 1) handOwners.contested++;
  });
}

/** The tick's people on covered floor against the tracker's reported tracks. */
function addMotTick(
  mot: MotAccumulator,
  outlines: CameraOutline[],
  tick: SceneTick,
  tracker: Tracker,
  atS: number,
): void {
  const covered = (x: number, y: number) => camerasSeeing(outlines, x, y).length > 0;
  const gts = tick.truth
    .filter((p) => p.onFloor && covered(p.x, p.y))
    .map((p) => ({ id: p.id, session: p.shopperId, x: p.x, y: p.y }));
  const hyps = tracker
    .reported()
    .filter((t) => covered(t.x.p, t.y.p))
    .map((t) => ({
      id: t.id,
      session: t.sessionId,
      x: t.x.p,
      y: t.y.p,
      identityConfidence: t.identityConfidence,
    }));
  mot.addTick(gts, hyps, atS);
}
