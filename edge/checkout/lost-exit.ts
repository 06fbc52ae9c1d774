// Pure core: which open sessions to close although their exit scan never came (a scanner glitch, a shopper
// let out by staff, a tailgater through the exit). The cameras saw every person bound to the session leave
// through an exit gate and no scan followed within a grace period; or the visit has lasted longer than any
// real one. The visit is then finalised and billed as usual, and the shopper can enter again.

export interface LostExitSettings {
  /**
   * Longest a visit stays open without an exit scan (ms). Default 3 h: far beyond any real shop in a
   * convenience-sized store (the suite's longest scenario visit is under 15 min), short enough that a shopper
   * whose scan was lost can come back the same afternoon.
   */
  maxVisitMs: number;
  /**
   * After the cameras saw the session's last person leave through an exit gate, how long the exit scan may
   * still come before the session is closed without it (ms). Default 30 s: a scan arrives before the
   * person crosses the gate (fusion's exit window is 10 s), so 30 s without one means it is lost.
   */
  exitScanGraceMs: number;
  /**
   * How sure the tracker must be that an exited track is still the session's person (identityConfidence) for
   * its exit to close the session. Default 0.9, fusion's bar for trusting an identity; below it, the maximum
   * visit time decides.
   */
  minIdentityConfidence: number;
  /** How often open sessions are looked at (ms, default 10 s). */
  checkEveryMs: number;
}

export const DEFAULT_LOST_EXIT: LostExitSettings = {
  maxVisitMs: 3 * 3_600_000,
  exitScanGraceMs: 30_000,
  minIdentityConfidence: 0.9,
  checkEveryMs: 10_000,
};

/** What the cameras last said about a session's people. */
export interface SessionSightings {
  /** Newest capture time at which a track bound to the session was still in the store (not exited). */
  lastInsideTs: number | undefined;
  /** Newest exit through a gate of a track bound to the session with a trusted identity. */
  lastExit: { gate: string; ts: number } | undefined;
}

export interface OpenSession {
  sessionId: string;
  enteredAt: number;
}

export type LostExitDecision =
  | { sessionId: string; by: 'cameras'; gate: string; exitedAt: number }
  | { sessionId: string; by: 'max-visit-time'; exitedAt: number };

/**
 * The sessions to close now. Cameras first: every person of the session seen leaving (no bound track inside
 * after the last exit) and `exitScanGraceMs` gone by; else the maximum visit time.
 */
export function lostExits(
  open: readonly OpenSession[],
  sightings: ReadonlyMap<string, SessionSightings>,
  now: number,
  settings: LostExitSettings = DEFAULT_LOST_EXIT,
): LostExitDecision[] {
  const decisions: LostExitDecision[] = [];
  for (const session of open) {
    const seen = sightings.get(session.sessionId);
    const exit = seen?.lastExit;
    if (
      exit !== undefined &&
      exit.ts >= session.enteredAt &&
      (seen?.lastInsideTs === undefined || seen.lastInsideTs <= exit.ts) &&
      now - exit.ts >= settings.exitScanGraceMs
    ) {
      decisions.push({ sessionId: session.sessionId, by: 'cameras', gate: exit.gate, exitedAt: exit.ts });
      continue;
    }
    if (now - session.enteredAt >= settings.maxVisitMs)
      decisions.push({ sessionId: session.sessionId, by: 'max-visit-time', exitedAt: now });
  }
  return decisions;
}

/** Folds one tracker step into the sightings (by session id). */
export function recordSightings(
  sightings: Map<string, SessionSightings>,
  step: { ts: number; tracks: readonly TrackSighting[] },
  settings: LostExitSettings = DEFAULT_LOST_EXIT,
): void {
  for (const t of step.tracks) {
    if (t.sessionId === null) continue;
    const seen = sightings.get(t.sessionId) ?? { lastInsideTs: undefined, lastExit: undefined };
    if (t.state !== 'exited') {
      seen.lastInsideTs = Math.max(seen.lastInsideTs ?? step.ts, step.ts);
    } else if (t.exitGate !== undefined && (t.identityConfidence ?? 1) >= settings.minIdentityConfidence) {
      if (seen.lastExit === undefined || step.ts > seen.lastExit.ts)
        seen.lastExit = { gate: t.exitGate, ts: step.ts };
    }
    sightings.set(t.sessionId, seen);
  }
}

/** The part of a track (shared/schemas/track.ts) the watch reads. */
export interface TrackSighting {
  sessionId: string | null;
  state: 'tentative' | 'confirmed' | 'exited';
  exitGate?: string;
  identityConfidence?: number;
}
