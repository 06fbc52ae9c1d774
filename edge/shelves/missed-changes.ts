// Pure core: what a lane's weight says happened while the edge was not listening (killed, restarted). The
// level stored at the last quiet checkpoint, plus every event recorded on the lane since, is what the lane
// should weigh; the first settled level after the restart is what it weighs. A difference beyond the noise
// is a change the edge missed, timed from the checkpoint to the first settled sample — never dropped.

/** A lane's settled level at a quiet moment (no change in progress, nothing waiting to be decided). */
export interface LaneLevel {
  lane: string;
  grams: number;
  /** Device time of the shelf's newest sample when it was taken. */
  ts: number;
}

export interface MissedChangeSettings {
  /** Smallest difference (grams) that is a change, as the detector's own floor. */
  minChangeGrams: number;
  /** …and at least this many times the quiet noise (sd) of the lane's reading. */
  noiseSigmas: number;
}

/** As the weight-change detector: 5 g floor (its minChangeGrams), 4 σ (its eventSigmas). */
export const DEFAULT_MISSED_CHANGE_SETTINGS: MissedChangeSettings = { minChangeGrams: 5, noiseSigmas: 4 };

export interface MissedChange {
  deltaGrams: number;
  deltaSdGrams: number;
  startTs: number;
  endTs: number;
}

/**
 * The change a lane went through unseen, or undefined when its level is where the checkpoint and the recorded
 * events put it. `recordedGrams` is the sum of the deltas of events recorded on the lane after the checkpoint.
 */
export function missedChange(
  stored: LaneLevel,
  recordedGrams: number,
  level: number,
  levelTs: number,
  noiseSdGrams: number,
  settings: MissedChangeSettings = DEFAULT_MISSED_CHANGE_SETTINGS,
): MissedChange | undefined {
  const deltaGrams = level - (stored.grams + recordedGrams);
  const threshold = Math.max(settings.minChangeGrams, settings.noiseSigmas * noiseSdGrams);
  if (Math.abs(deltaGrams) < threshold) return undefined;
  return {
    deltaGrams,
    // two independent settled means, each as noisy as the lane
    deltaSdGrams: Math.max(noiseSdGrams, 0.1) * Math.SQRT2,
    startTs: stored.ts,
    endTs: Math.max(levelTs, stored.ts),
  };
}
