// Tracking accuracy against ground truth on the floor: CLEAR-MOT (MOTA, ID switches) with matches kept while
// still within the radius, IDF1 from the best global truth↔track pairing, whether each session's people
// carried the right session from gate to exit, and whether the track's identity confidence said so when they
// did not. Pure: fed one tick at a time.
import { matchWithin } from './score-matching.ts';

export interface GtObject {
  id: string;
  /** Session the person belongs to (the shopper who scanned). */
  session: string;
  x: number;
  y: number;
}

export interface HypObject {
  id: string;
  session: string | null;
  x: number;
  y: number;
  /** The track's identity confidence (0–1), when the tracker gives one. */
  identityConfidence?: number;
}

/** Below this identity confidence fusion bills nobody on the track (edge/fusion). */
export const SURE_IDENTITY = 0.6;

export interface MotSummary {
  gtObjects: number;
  misses: number;
  falsePositives: number;
  idSwitches: number;
  mota: number;
  idf1: number;
  sessions: number;
  sessionsIntact: number;
  /** Sessions whose identity broke, with why. */
  broken: Array<{ session: string; reason: string }>;
  /** Matched ticks on a track carrying another shopper's session although its identity confidence was sure. */
  wrongButSure: number;
  /** Share of matched ticks with the right session whose identity confidence was not sure (billing refused). */
  doubtfulShare: number;
}

export class MotAccumulator {
  private gt = 0;
  private misses = 0;
  private fps = 0;
  private switches = 0;
  private hypCount = 0;
  private wrongButSure = 0;
  private rightTicks = 0;
  private rightButDoubtful = 0;
  /** by gt id: hyp id it was last matched to */
  private readonly lastMatch = new Map<string, string>();
  /** by `${gt}|${hyp}`: ticks matched within the radius */
  private readonly pairs = new Map<string, number>();
  /** by gt id: ticks present */
  private readonly gtTicks = new Map<string, number>();
  /** by hyp id: ticks present */
  private readonly hypTicks = new Map<string, number>();
  /** by session: first reason it broke */
  private readonly brokenSessions = new Map<string, string>();
  private readonly sessions = new Set<string>();

  constructor(private readonly radius = 0.3) {}

  /** One tick's true people and tracks; `atS` (seconds into the scenario) dates a session's first break. */
  addTick(gts: readonly GtObject[], hyps: readonly HypObject[], atS?: number): void {
    this.gt += gts.length;
    this.hypCount += hyps.length;
    for (const g of gts) {
      this.sessions.add(g.session);
      this.gtTicks.set(g.id, (this.gtTicks.get(g.id) ?? 0) + 1);
    }
    for (const h of hyps) this.hypTicks.set(h.id, (this.hypTicks.get(h.id) ?? 0) + 1);
    const d = (g: GtObject, h: HypObject) => Math.hypot(g.x - h.x, g.y - h.y);
    // IDF1 co-occurrence: any pair within the radius counts
    for (const g of gts) for (const h of hyps) if (d(g, h) <= this.radius) this.bump(`${g.id}|${h.id}`);
    // CLEAR-MOT: keep last tick's matches that are still close, assign the rest optimally
    const matched = new Map<string, HypObject>();
    const usedH = new Set<string>();
    for (const g of gts) {
      const prev = this.lastMatch.get(g.id);
      const h = hyps.find((x) => x.id === prev);
      if (h !== undefined && !usedH.has(h.id) && d(g, h) <= this.radius) {
        matched.set(g.id, h);
        usedH.add(h.id);
      }
    }
    const restG = gts.filter((g) => !matched.has(g.id));
    const restH = hyps.filter((h) => !usedH.has(h.id));
    const pick = matchWithin(
      restG.map((g) => restH.map((h) => d(g, h))),
      this.radius,
    );
    restG.forEach((g, i) => {
      const h = restH[pick[i] ?? -1];
      if (h !== undefined) matched.set(g.id, h);
    });
    for (const g of gts) {
      const h = matched.get(g.id);
      if (h === undefined) {
        this.misses++;
        continue;
      }
      const prev = this.lastMatch.get(g.id);
      if (prev !== undefined && prev !== h.id) this.switches++;
      this.lastMatch.set(g.id, h.id);
      const sure = (h.identityConfidence ?? 1) >= SURE_IDENTITY;
      // a track of no session bills nobody (fusion sends what it touches to staff): only a wrong session counts
      if (h.session !== g.session && h.session !== null && sure) this.wrongButSure++;
      if (h.session === g.session) {
        this.rightTicks++;
        if (!sure) this.rightButDoubtful++;
      }
      if (h.session !== g.session && !this.brokenSessions.has(g.session)) {
        const when = atS === undefined ? '' : ` at ${atS.toFixed(1)} s`;
        this.brokenSessions.set(
          g.session,
          `${g.id} tracked as ${h.id} with session ${h.session ?? 'none'}${when}`,
        );
      }
    }
    this.fps += hyps.length - matched.size;
  }

  /** Marks a session broken for a reason found outside the per-tick matching (e.g. never bound). */
  breakSession(session: string, reason: string): void {
    this.sessions.add(session);
    if (!this.brokenSessions.has(session)) this.brokenSessions.set(session, reason);
  }

  summary(): MotSummary {
    const gtIds = [...this.gtTicks.keys()];
    const hypIds = [...this.hypTicks.keys()];
    const pick = matchWithin(
      gtIds.map((g) => hypIds.map((h) => -(this.pairs.get(`${g}|${h}`) ?? 0))),
      -1,
    );
    let idtp = 0;
    gtIds.forEach((g, i) => {
      const h = hypIds[pick[i] ?? -1];
      if (h !== undefined) idtp += this.pairs.get(`${g}|${h}`) ?? 0;
    });
    const idfn = this.gt - idtp;
    const idfp = this.hypCount - idtp;
    return {
      gtObjects: this.gt,
      misses: this.misses,
      falsePositives: this.fps,
      idSwitches: this.switches,
      mota: this.gt === 0 ? 1 : 1 - (this.misses + this.fps + this.switches) / this.gt,
      idf1: 2 * idtp + idfp + idfn === 0 ? 1 : (2 * idtp) / (2 * idtp + idfp + idfn),
      sessions: this.sessions.size,
      sessionsIntact: this.sessions.size - this.brokenSessions.size,
      broken: [...this.brokenSessions].map(([session, reason]) => ({ session, reason })),
      wrongButSure: this.wrongButSure,
      doubtfulShare: this.rightTicks === 0 ? 0 : this.rightButDoubtful / this.rightTicks,
    };
  }

  private bump(key: string): void {
    this.pairs.set(key, (this.pairs.get(key) ?? 0) + 1);
  }
}
