// Binds new tracks to shopping sessions at the entry gate: after a valid scan, the next people to come in
// through that gate (as many as the party admitted) belong to the scan's session; anyone more is a tailgater.
// At the exit gate a bound track that leaves the floor ends its part of the session. Pure.

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
  /** People the scan admitted. */
  party: number;
  /** People still expected through the gate on this scan. */
  remaining: number;
  /** People who came in on it beyond the party. */
  extra: number;
  /** Someone came in unseen while this scan and another were both open: its person may be the other's. */
  contested: boolean;
}

/** A newcomer bound to a scan. */
export interface GateBinding {
  sessionId: string;
  /**
   * Who scanned is not certain: they were first seen off the gate or late (its camera dark) while another
   * scan's person was also still to come, so the two may be the other way round (the exit settles it).
   */
  contested: boolean;
}

/** People came in through an entry gate beyond what the scan there admitted (or on no scan at all). */
export interface Tailgating {
  gate: string;
  /** The scan they followed in on, or null when nobody scanned. */
  sessionId: string | null;
  /** People that scan admitted (0: no scan). */
  admitted: number;
  /** People seen coming in on it so far (admitted and not). */
  entered: number;
  /** The track of the person who came in unadmitted. */
  trackId: string;
  /** When they came in (the track's birth, capture time). */
  ts: number;
}

export interface GateBinderTuning {
  /** A track born this close to an entry gate counts as coming through it. */
  entryRadiusM: number;
  /** How long after a scan the party may take to pass. */
  entryWindowMs: number;
  /** A track lost this close to an exit gate has left through it. */
  exitRadiusM: number;
  /**
   * With the gate in sight a newcomer is first seen this close to it (m); first seen farther off (the gate's
   * camera dark), they may as well be someone lost nearby.
   */
  firstSeenM: number;
  /** A person can be seen at the gate this long before their scan reaches the edge (ms). */
  scanLeadMs: number;
  /** A scanned person is first seen on the floor about this long after the scan (the gate opens, they step in)... */
  arrivalMs: number;
  /** ...and each companion on the same scan about this long after the one before. */
  companionGapMs: number;
  /**
   * First seen this long after their due time, a newcomer came in unseen (the gate's camera dark, a blind
   * spot): 2 s beyond the 1 s arrival — people seen stepping in appear within about a second of it.
   */
  lateMs: number;
}

export const DEFAULT_GATE_TUNING: GateBinderTuning = {
  entryRadiusM: 2.6,
  entryWindowMs: 12_000,
  exitRadiusM: 2.6,
  firstSeenM: 1.2,
  scanLeadMs: 300,
  arrivalMs: 1000,
  companionGapMs: 900,
  lateMs: 2000,
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
    this.pending.push({ sessionId, gate, scanTs, party, remaining: party, extra: 0, contested: false });
  }

  /** The scan a track born at (x, y) at `ts` came in on, or undefined when it did not come through a gate. */
  bindNewTrack(x: number, y: number, ts: number): GateBinding | undefined {
    this.expire(ts);
    const { tuning } = this;
    const due = (e: PendingEntry) =>
      e.scanTs + tuning.arrivalMs + (e.party - e.remaining) * tuning.companionGapMs;
    const open = this.pending.filter((entry) => {
      const gate = this.gates.find((g) => g.id === entry.gate);
      return (
        gate !== undefined &&
        entry.remaining > 0 &&
        entry.scanTs <= ts + tuning.scanLeadMs &&
        Math.hypot(gate.x - x, gate.y - y) <= tuning.entryRadiusM
      );
    });
    const [oldest] = open;
    if (oldest === undefined) return undefined;
    // seen coming in: the scan whose next person was due closest to when this one appeared — not the oldest
    // open slot (a person the cameras missed would shift every later shopper by one), nor the latest scan
    // (two shoppers scanning a second apart step in after both scans and would swap). Came in unseen (first
    // seen off the gate, or late for every open scan): their moment says nothing, and people pass a gate in
    // the order they scanned — the oldest, in doubt while another open scan's person could be them.
    const unseen = this.offGate(x, y) || open.every((e) => ts - due(e) > tuning.lateMs);
    let chosen = oldest;
    if (!unseen)
      for (const entry of open) if (Math.abs(ts - due(entry)) < Math.abs(ts - due(chosen))) chosen = entry;
    if (unseen && open.length > 1) for (const entry of open) entry.contested = true;
    chosen.remaining -= 1;
    return { sessionId: chosen.sessionId, contested: chosen.contested };
  }

  /**
   * A person came in through an entry gate at (x, y) at `ts` and no slot was left for them: who they
   * followed in on (the gate's latest scan within the window), or undefined when (x, y) is no entry gate.
   */
  unadmitted(x: number, y: number, ts: number, trackId: string): Tailgating | undefined {
    const gate = this.entryGateNear(x, y);
    if (gate === undefined) return undefined;
    const scan = this.pending
      .filter(
        (e) => e.gate === gate.id && ts >= e.scanTs - 1000 && ts - e.scanTs <= this.tuning.entryWindowMs,
      )
      .at(-1);
    if (scan === undefined) return { gate: gate.id, sessionId: null, admitted: 0, entered: 1, trackId, ts };
    scan.extra += 1;
    return {
      gate: gate.id,
      sessionId: scan.sessionId,
      admitted: scan.party,
      entered: scan.party - scan.remaining + scan.extra,
      trackId,
      ts,
    };
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
    return this.entryGateNear(x, y) !== undefined;
  }

  /** True when (x, y) is on an entry gate: no farther from it than a newcomer in sight of it is first seen. */
  onGate(x: number, y: number): boolean {
    const gate = this.entryGateNear(x, y);
    return gate !== undefined && Math.hypot(gate.x - x, gate.y - y) <= this.tuning.firstSeenM;
  }

  /** True when (x, y) is near an entry gate but farther than a newcomer in sight of it is first seen. */
  offGate(x: number, y: number): boolean {
    const gate = this.entryGateNear(x, y);
    return gate !== undefined && Math.hypot(gate.x - x, gate.y - y) > this.tuning.firstSeenM;
  }

  private entryGateNear(x: number, y: number): GatePoint | undefined {
    return this.gates.find(
      (g) => g.kind === 'entry' && Math.hypot(g.x - x, g.y - y) <= this.tuning.entryRadiusM,
    );
  }

  pendingCount(): number {
    return this.pending.reduce((s, e) => s + Math.max(0, e.remaining), 0);
  }

  private expire(ts: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const e = this.pending[i] as PendingEntry;
      if (ts - e.scanTs > this.tuning.entryWindowMs) this.pending.splice(i, 1);
    }
  }
}
