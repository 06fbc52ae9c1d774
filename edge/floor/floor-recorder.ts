// What the floor view shows after the fact: camera frames around each staff exception (from the frame
// archive the vision stage feeds) and shoppers' tracks for visit replay, both in the edge database and
// pruned on a timer once older than their retention; and a short clip of every pick the edge attributed by
// itself, for the disputes that later prove it wrong (pick-clips.ts).
import type { Clock } from '../../shared/clock.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { TrackUpdate } from '../../shared/schemas/track.ts';
import type { Camera, StoreIndex } from '../../shared/store-config.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { StaffException } from '../fusion/exception-queue.ts';
import { FrameArchive } from '../vision/frame-archive.ts';
import { type DecidedAnswer, DecisionSamples } from './decision-samples.ts';
import { ExceptionFrames, type FrameInfo } from './exception-frames.ts';
import { camerasForLanes } from './lane-cameras.ts';
import { type PickClipCounts, type PickClipSettings, PickClips } from './pick-clips.ts';
import { VisitTracks } from './visit-tracks.ts';

export interface FloorRecorderOptions {
  store: StoreIndex;
  db: EdgeDatabase;
  clock: Clock;
  /** Default: wall-clock timers. */
  timers?: Timers;
  /** The frames kept with an exception changed. */
  onFrames: (exceptionId: string, frames: FrameInfo[], complete: boolean) => void;
  /** How long exception frames are kept (ms, default 3 days). */
  frameRetentionMs?: number;
  /** How long visit tracks are kept (ms, default 7 days). */
  trackRetentionMs?: number;
  /** The camera as projected now (its calibration): places the people in frames kept as training data. */
  cameraOf?: (id: string) => Camera | undefined;
  /** The clips of picks the edge attributed by itself: their size and bounds (default PICK_CLIP_DEFAULTS). */
  pickClips?: Partial<PickClipSettings>;
  /** Counts what the pick clips do (the edge's metrics). */
  pickClipCounts?: Partial<PickClipCounts>;
}

const PRUNE_EVERY_MS = 10 * 60_000;
/** How often captures whose frames never came are ended (ms). */
const OVERDUE_EVERY_MS = 10_000;

export class FloorRecorder {
  readonly archive: FrameArchive;
  readonly frames: ExceptionFrames;
  readonly tracks: VisitTracks;
  /** Staff decisions kept with their frames (the data flywheel). */
  readonly samples: DecisionSamples;
  /** Clips of the picks the edge billed by itself (the disputes that prove it wrong become samples). */
  readonly pickClips: PickClips;
  private cancelPrune: CancelTimer | undefined;
  private cancelOverdue: CancelTimer | undefined;

  constructor(private readonly options: FloorRecorderOptions) {
    const { store, db } = options;
    this.archive = new FrameArchive({ cameras: store.config.cameras.map((c) => c.id) });
    this.frames = new ExceptionFrames(db, this.archive, {
      camerasFor: (lanes) => camerasForLanes(store, lanes),
      onUpdate: (exceptionId, frames, complete) => {
        // frames that came after staff decided join the decision's sample
        if (complete) this.samples.copyFrames(exceptionId);
        options.onFrames(exceptionId, frames, complete);
      },
    });
    this.pickClips = new PickClips(db, this.frames, {
      camerasFor: (lanes, max) => camerasForLanes(store, lanes, max),
      newestFrameTs: (camera) => this.archive.latest(camera)?.captureTs,
      ...(options.pickClips === undefined ? {} : { settings: options.pickClips }),
      ...(options.pickClipCounts === undefined ? {} : { counts: options.pickClipCounts }),
    });
    this.tracks = new VisitTracks(db);
    const cameras = new Map(store.config.cameras.map((c) => [c.id, c]));
    this.samples = new DecisionSamples(db, { cameraOf: options.cameraOf ?? ((id) => cameras.get(id)) });
  }

  start(): void {
    this.prune();
    const timers = this.options.timers ?? systemTimers;
    this.cancelPrune = timers.every(PRUNE_EVERY_MS, () => this.prune());
    this.cancelOverdue = timers.every(OVERDUE_EVERY_MS, () =>
      this.frames.giveUpOverdue(this.options.clock.now()),
    );
  }

  stop(): void {
    this.cancelPrune?.();
    this.cancelPrune = undefined;
    this.cancelOverdue?.();
    this.cancelOverdue = undefined;
    this.frames.stop();
  }

  /** A camera frame reached the edge (the vision stage's hook). */
  frameArrived(camera: string, captureTs: number, jpeg: Buffer): void {
    this.archive.add(camera, captureTs, jpeg);
  }

  exceptionOpened(exception: StaffException): void {
    this.frames.capture(exception, this.options.clock.now());
  }

  /** Fusion billed a shelf event with no staff exception: a pick gets its clip. */
  attributedAlone(event: ShelfEvent): void {
    this.pickClips.capture(event, this.options.clock.now());
  }

  /** Staff decided an exception: its frames and the answer are kept as training data. */
  decided(exception: StaffException, answer: DecidedAnswer): void {
    this.samples.decided(exception, answer, this.options.clock.now());
  }

  tracksUpdated(update: TrackUpdate): void {
    this.tracks.record(update);
  }

  prune(): void {
    const now = this.options.clock.now();
    this.frames.prune(now - (this.options.frameRetentionMs ?? 3 * 86_400_000));
    this.tracks.prune(now - (this.options.trackRetentionMs ?? 7 * 86_400_000));
    this.pickClips.prune(now);
  }
}
