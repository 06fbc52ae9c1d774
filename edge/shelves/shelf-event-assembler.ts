// Pure core: turns the weight changes of one shelf's lanes into shelf interactions. Changes on
// neighbouring lanes that overlap in time are one interaction when only their sum is a product (an item
// resting across two plates), and separate ones when each lane's change is a product of its own (two
// hands at once). A group is final once nothing adjacent can still join it.
import { type CandidateProduct, type Identification, identifyProduct } from './product-identifier.ts';
import type { WeightChange } from './weight-change-detector.ts';

export interface AssembledChange extends WeightChange {
  laneIndex: number;
}

export interface Interaction {
  kind: 'pick' | 'put-back';
  /** Lane indexes involved, ascending; `primary` moved the most weight. */
  lanes: number[];
  primary: number;
  startTs: number;
  endTs: number;
  peakTs: number;
  deltaGrams: number;
  deltaSdGrams: number;
  identification: Identification;
}

export interface LaneProducts {
  /** Candidates for a pick from this lane: its planogram product and misplaced items on it. */
  pick(laneIndex: number): CandidateProduct[];
  /** Candidates for a put-back onto this lane: its product and its neighbours' (misplaced returns). */
  putBack(laneIndex: number): CandidateProduct[];
}

export interface AssemblerSettings {
  /** Changes whose intervals are this close (ms) may be one interaction. */
  overlapSlackMs: number;
  /** Time past a group's last change before it is final, when no neighbour is moving (ms). */
  settleMs: number;
  /** A lone change that fits no product and is below this share of the smallest candidate is noise. */
  noiseShareOfSmallest: number;
}

export const defaultAssemblerSettings: AssemblerSettings = {
  overlapSlackMs: 300,
  settleMs: 100,
  noiseShareOfSmallest: 0.5,
};

/** How strongly the share of weight a lane moved says which product it was (share^k). */
const SHARE_EXPONENT = 2;

export class ShelfEventAssembler {
  private pending: AssembledChange[] = [];
  /** Lone changes dropped as noise. */
  droppedNoise = 0;

  constructor(
    private readonly products: LaneProducts,
    private readonly settings: AssemblerSettings = defaultAssemblerSettings,
  ) {}

  add(change: AssembledChange): void {
    this.pending.push(change);
  }

  /** Earliest start among changes not yet final (undefined when none). */
  pendingSince(): number | undefined {
    let since: number | undefined;
    for (const c of this.pending) if (since === undefined || c.startTs < since) since = c.startTs;
    return since;
  }

  /**
   * Emits the groups that are final: the shelf's samples have reached `watermarkTs` and `laneBusySince`
   * tells when a lane's change in progress began (undefined when the lane is at rest).
   */
  flush(
    watermarkTs: number,
    laneBusySince: (laneIndex: number) => number | undefined,
    out: Interaction[],
  ): void {
    if (this.pending.length === 0) return;
    const { overlapSlackMs, settleMs } = this.settings;
    const groups = this.group(this.pending);
    const kept: AssembledChange[] = [];
    for (const group of groups) {
      const endTs = Math.max(...group.map((c) => c.endTs));
      const lanes = new Set(group.map((c) => c.laneIndex));
      let final = watermarkTs >= endTs + settleMs;
      for (const lane of lanes) {
        for (const neighbour of [lane - 1, lane, lane + 1]) {
          const busy = laneBusySince(neighbour);
          if (busy !== undefined && busy <= endTs + overlapSlackMs) final = false;
        }
      }
      if (!final) {
        kept.push(...group);
        continue;
      }
      for (const part of this.splitBySign(group)) this.emit(part, out);
    }
    this.pending = kept;
  }

  private emit(part: AssembledChange[], out: Interaction[]): void {
    const alone = part.map((change) => ({ change, identification: this.identify([change]) }));
    const fitting = alone.filter((a) => a.identification.hypotheses.length > 0);
    const rest = alone.filter((a) => a.identification.hypotheses.length === 0);
    if (part.length > 1 && rest.length > 0) {
      const merged = this.identify(part);
      // Separate wins when the lanes that fit alone fit at least as well as the sum and the rest is noise.
      const worstAlone = Math.max(...fitting.map((a) => a.identification.bestZ), Number.NEGATIVE_INFINITY);
      const separateIsBetter =
        fitting.length > 0 && rest.every((a) => this.isNoise(a.change)) && worstAlone <= merged.bestZ;
      if (merged.hypotheses.length > 0 && !separateIsBetter) {
        out.push(this.interaction(part, merged));
        return;
      }
    }
    for (const { change, identification } of alone) {
      if (identification.hypotheses.length === 0 && this.isNoise(change)) {
        this.droppedNoise++;
        continue;
      }
      out.push(this.interaction([change], identification));
    }
  }

  private identify(changes: AssembledChange[]): Identification {
    const delta = changes.reduce((s, c) => s + c.deltaGrams, 0);
    const sd = Math.sqrt(changes.reduce((s, c) => s + c.deltaSdGrams ** 2, 0));
    const total = changes.reduce((s, c) => s + Math.abs(c.deltaGrams), 0) || 1;
    /** by SKU */
    const merged = new Map<string, CandidateProduct>();
    for (const change of changes) {
      const share = (Math.abs(change.deltaGrams) / total) ** SHARE_EXPONENT;
      const candidates =
        delta < 0 ? this.products.pick(change.laneIndex) : this.products.putBack(change.laneIndex);
      for (const candidate of candidates) {
        const prior = candidate.prior * (changes.length === 1 ? 1 : share);
        const known = merged.get(candidate.sku);
        merged.set(candidate.sku, { ...candidate, prior: (known?.prior ?? 0) + prior });
      }
    }
    return identifyProduct(delta, sd, [...merged.values()]);
  }

  private isNoise(change: AssembledChange): boolean {
    const candidates =
      change.deltaGrams < 0 ? this.products.pick(change.laneIndex) : this.products.putBack(change.laneIndex);
    const smallest = Math.min(...candidates.map((c) => c.unitGrams), Number.POSITIVE_INFINITY);
    const limit = Number.isFinite(smallest) ? smallest * this.settings.noiseShareOfSmallest : 25;
    return Math.abs(change.deltaGrams) < limit;
  }

  private interaction(changes: AssembledChange[], identification: Identification): Interaction {
    const deltaGrams = changes.reduce((s, c) => s + c.deltaGrams, 0);
    const primary = changes.reduce((a, b) => (Math.abs(b.deltaGrams) > Math.abs(a.deltaGrams) ? b : a));
    return {
      kind: deltaGrams < 0 ? 'pick' : 'put-back',
      lanes: [...new Set(changes.map((c) => c.laneIndex))].sort((a, b) => a - b),
      primary: primary.laneIndex,
      startTs: Math.min(...changes.map((c) => c.startTs)),
      endTs: Math.max(...changes.map((c) => c.endTs)),
      peakTs: primary.peakTs,
      deltaGrams,
      deltaSdGrams: Math.sqrt(changes.reduce((s, c) => s + c.deltaSdGrams ** 2, 0)),
      identification,
    };
  }

  /** Connected components: adjacent (or same) lanes whose intervals overlap within the slack. */
  private group(changes: AssembledChange[]): AssembledChange[][] {
    const slack = this.settings.overlapSlackMs;
    const parent = changes.map((_, i) => i);
    const find = (i: number): number => {
      let root = i;
      while (parent[root] !== root) root = parent[root] as number;
      return root;
    };
    for (let i = 0; i < changes.length; i++) {
      for (let j = i + 1; j < changes.length; j++) {
        const a = changes[i] as AssembledChange;
        const b = changes[j] as AssembledChange;
        const near = Math.abs(a.laneIndex - b.laneIndex) <= 1;
        const overlap = a.startTs <= b.endTs + slack && b.startTs <= a.endTs + slack;
        if (near && overlap) parent[find(i)] = find(j);
      }
    }
    const groups = new Map<number, AssembledChange[]>();
    changes.forEach((c, i) => {
      const root = find(i);
      groups.set(root, [...(groups.get(root) ?? []), c]);
    });
    return [...groups.values()];
  }

  /** Picks and put-backs in one group are different interactions; each sign splits by adjacency. */
  private splitBySign(group: AssembledChange[]): AssembledChange[][] {
    const parts: AssembledChange[][] = [];
    for (const sign of [-1, 1]) {
      const same = group.filter((c) => Math.sign(c.deltaGrams) === sign);
      if (same.length > 0) parts.push(...this.group(same));
    }
    return parts;
  }
}
