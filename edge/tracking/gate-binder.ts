// Binds new tracks to shopping sessions at the entry gate: after a valid scan, the next people to come in
// through that gate (as many as the party admitted) belong to the scan's session. At the exit gate a bound
// track that leaves the floor ends its part of the session. Pure.

export interface GatePoint {
  id: string;
  kind: 'entry' | 'exit';
  x: number;
  y: number;
}

interface PendingEntry {
  sessionId: string;
  gate: string;
  scanTs: number;
  /** People still expected through the gate on this scan. */
  remaining: number;
}

export interface GateBinderTuning {
  /** A track born this close to an entry gate counts as coming through it. */
  entryRadiusM: number;
  /** How long after a scan the party may take to pass. */
  entryWindowMs: number;
  /** A track lost this close to an exit gate has left through it. */
  exitRadiusM: number;
}

export const DEFAULT_GATE_TUNING: GateBinderTuning = {
  entryRadiusM: 2.6,
  entryWindowMs: 12_000,
  exitRadiusM: 2.6,
};

export class GateBinder {
  /** oldest scan first */
  private readonly pending: PendingEntry[] = [];

  constructor(
    private readonly gates: readonly GatePoint[],
    private readonly tuning: GateBinderTuning = DEFAULT_GATE_TUNING,
  ) {}

  /** A valid entry scan: `party` people may now come in through `gate` for `sessionId`. */
  entered(sessionId: string, gate: string, party: number, scanTs: number): void {
    this.pending.push({ sessionId, gate, scanTs, remaining: party });
  }

  /** Session a track born at (x, y) at `ts` belongs to, or undefined when it did not come through a gate. */
  bindNewTrack(x: number, y: number, ts: number): string | undefined {
    this.expire(ts);
    for (const entry of this.pending) {
      const gate = this.gates.find((g) => g.id === entry.gate);
      if (gate === undefined || entry.remaining <= 0) continue;
      if (ts < entry.scanTs - 1000) continue;
      if (Math.hypot(gate.x - x, gate.y - y) > this.tuning.entryRadiusM) continue;
      entry.remaining -= 1;
      return entry.sessionId;
    }
    return undefined;
  }

  /** Gives a slot back when a bound track turns out to be a false start (dropped unconfirmed). */
  release(sessionId: string): void {
    const entry = this.pending.find((e) => e.sessionId === sessionId);
    if (entry !== undefined) entry.remaining += 1;
  }

  /** The exit gate a track last seen at (x, y) left through, if any. */
  exitNear(x: number, y: number): string | undefined {
    const gate = this.gates.find(
      (g) => g.kind === 'exit' && Math.hypot(g.x - x, g.y - y) <= this.tuning.exitRadiusM,
    );
    return gate?.id;
  }

  /** True when (x, y) is near any entry gate (where newcomers appear). */
  nearEntry(x: number, y: number): boolean {
    return this.gates.some(
      (g) => g.kind === 'entry' && Math.hypot(g.x - x, g.y - y) <= this.tuning.entryRadiusM,
    );
  }

  pendingCount(): number {
    return this.pending.reduce((s, e) => s + Math.max(0, e.remaining), 0);
  }

  private expire(ts: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const e = this.pending[i] as PendingEntry;
      if (e.remaining <= 0 || ts - e.scanTs > this.tuning.entryWindowMs) this.pending.splice(i, 1);
    }
  }
}
