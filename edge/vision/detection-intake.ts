// The tracker's side of the vision workers, pure: per-frame detections from any number of workers (arriving in
// any order) into tracker steps, frames nobody inferred counted from the cameras' sequence numbers, and cameras
// whose detections stopped (every worker gone, or none takes their frames) raised and cleared.
import type { FrameDetections } from '../../shared/schemas/frame-detections.ts';

export interface DetectionIntakeSettings {
  /**
   * A frame captured this long before the newest one the tracker already used is too late to track (ms).
   * Two workers finish their batches ~one batch apart (≤ 200 ms at 32 cameras); a whole second behind means
   * the worker was stalled and its view is stale.
   */
  lateAfterMs: number;
  /**
   * A camera with no detections for this long is reported (ms): 30 frame periods at 10 fps, far beyond a
   * worker's batch time, short enough that staff hear of it before a shopper crosses the camera's view.
   */
  stalledAfterMs: number;
  /** A sequence number this far below the camera's highest is a camera restart, not a late frame. */
  seqRestartGap: number;
}

export const DETECTION_INTAKE_DEFAULTS: DetectionIntakeSettings = {
  lateAfterMs: 1000,
  stalledAfterMs: 3000,
  seqRestartGap: 1000,
};

interface CameraLedger {
  /** First and highest sequence number seen since the camera (re)started, and frames seen in between. */
  firstSeq: number;
  maxSeq: number;
  seen: number;
  /** Receive time (edge clock) of the camera's last detections. */
  lastAt: number;
  stalled: boolean;
}

export type StallChange = { camera: string; state: 'raised' | 'cleared'; lastAt: number };

export class DetectionIntake {
  private pending: FrameDetections[] = [];
  /** by camera id */
  private readonly ledgers = new Map<string, CameraLedger>();
  /** Frames lost before a camera restarted its sequence numbers. */
  private lostBefore = 0;
  private lateCount = 0;

  constructor(
    cameras: readonly string[],
    startedAt: number,
    private readonly settings: DetectionIntakeSettings = DETECTION_INTAKE_DEFAULTS,
  ) {
    // a camera never heard from is reported too, `stalledAfterMs` after start
    for (const camera of cameras)
      this.ledgers.set(camera, { firstSeq: -1, maxSeq: -1, seen: 0, lastAt: startedAt, stalled: false });
  }

  /** Takes one frame's detections (validated, of a known camera) received at `now`. */
  add(message: FrameDetections, now: number): void {
    const ledger = this.ledgers.get(message.camera);
    if (ledger === undefined) return;
    ledger.lastAt = now;
    const { seq } = message;
    if (ledger.firstSeq < 0 || seq + this.settings.seqRestartGap < ledger.maxSeq) {
      this.lostBefore += lostOf(ledger);
      Object.assign(ledger, { firstSeq: seq, maxSeq: seq, seen: 0 });
    }
    ledger.firstSeq = Math.min(ledger.firstSeq, seq);
    ledger.maxSeq = Math.max(ledger.maxSeq, seq);
    ledger.seen++;
    this.pending.push(message);
  }

  /**
   * Everything waiting, as tracker steps in capture order, each with at most one frame per camera (two frames
   * of a camera in one step would be two people). Frames older than `lateAfterMs` before `trackedTs` are dropped.
   */
  takeSteps(trackedTs: number): FrameDetections[][] {
    const frames = this.pending.sort((a, b) => a.captureTs - b.captureTs || a.camera.localeCompare(b.camera));
    this.pending = [];
    const steps: FrameDetections[][] = [];
    let step: FrameDetections[] = [];
    let cameras = new Set<string>();
    for (const f of frames) {
      if (f.captureTs < trackedTs - this.settings.lateAfterMs) {
        this.lateCount++;
        continue;
      }
      if (cameras.has(f.camera)) {
        steps.push(step);
        step = [];
        cameras = new Set();
      }
      step.push(f);
      cameras.add(f.camera);
    }
    if (step.length > 0) steps.push(step);
    return steps;
  }

  /** Frames waiting, by camera. */
  waitingByCamera(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const f of this.pending) counts.set(f.camera, (counts.get(f.camera) ?? 0) + 1);
    return counts;
  }

  get waiting(): number {
    return this.pending.length;
  }

  /** Frames no worker inferred (dropped behind, lost with a worker, lost on the way), from sequence gaps. */
  get lostFrames(): number {
    let lost = this.lostBefore;
    for (const ledger of this.ledgers.values()) lost += lostOf(ledger);
    return lost;
  }

  /** Frames whose detections came too late to track. */
  get lateFrames(): number {
    return this.lateCount;
  }

  /** Cameras that went quiet or came back since the last call. */
  checkStalled(now: number): StallChange[] {
    const changes: StallChange[] = [];
    for (const [camera, ledger] of this.ledgers) {
      const stalled = now - ledger.lastAt >= this.settings.stalledAfterMs;
      if (stalled === ledger.stalled) continue;
      ledger.stalled = stalled;
      changes.push({ camera, state: stalled ? 'raised' : 'cleared', lastAt: ledger.lastAt });
    }
    return changes;
  }
}

const lostOf = (l: CameraLedger) => (l.firstSeq < 0 ? 0 : Math.max(0, l.maxSeq - l.firstSeq + 1 - l.seen));
