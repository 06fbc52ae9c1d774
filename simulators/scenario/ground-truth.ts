// The ground truth of a run: what really happened (device times, true grams) and what each shopper's
// receipt must say, for the e2e tests and evals to compare the system against.
import { writeFileSync } from 'node:fs';

export interface ExpectedLine {
  sku: string;
  quantity: number;
}

export interface GroundTruthShopper {
  id: string;
  accountId: string | null;
  party: number;
  /** Sandbox card token the script added, and why the cloud refused it if it did. */
  card: string | null;
  cardError?: string;
  /** Device time of the entry scan that opened the gate. */
  enteredAt: number | null;
  /** Device time of the exit scan that opened the gate. */
  exitedAt: number | null;
  entryResult: 'open' | 'deny';
  denyReason?: string;
  /** What the receipt must say: picks minus put-backs per SKU, zero lines omitted, sorted by SKU. */
  expectedLines: ExpectedLine[];
  /** Each time through the entry gate (a shopper may leave and come back): one receipt each. */
  visits: GroundTruthVisit[];
}

export interface GroundTruthVisit {
  enteredAt: number;
  exitedAt: number | null;
  expectedLines: ExpectedLine[];
}

export interface GroundTruthEvent {
  /** Device time the units started to leave or arrive. */
  ts: number;
  /** Hand reached the lane / hand gone and the signal settled. */
  startTs: number;
  endTs: number;
  shopper: string;
  kind: 'pick' | 'put-back';
  lane: string;
  sku: string;
  count: number;
  /** True weight of the units moved. */
  grams: number;
  /** Put-backs of someone else's item (handed over): whose receipt it comes off. */
  chargedTo?: string;
}

/** Behaviour with no weight change: looking at a lane a while, or handing an item to another shopper. */
export interface GroundTruthMoment {
  ts: number;
  shopper: string;
  kind: 'linger' | 'hand-over';
  lane?: string;
  forS?: number;
  to?: string;
  sku?: string;
  count?: number;
}

export interface GroundTruthGate {
  ts: number;
  shopper: string;
  gate: string;
  scanId: string;
  action: 'open' | 'deny' | 'timeout';
  reason?: string;
}

/** A scripted action the world refused (empty lane, nothing to put back, lane full, not in the store). */
export interface GroundTruthRefusal {
  ts: number;
  shopper: string;
  kind: 'pick' | 'put-back';
  lane: string;
  count: number;
  reason: string;
}

export interface GroundTruth {
  scenario: string;
  store: string;
  seed: number;
  noise: string;
  /** Run nonce in the shoppers' emails. */
  nonce: string;
  startedAt: number;
  endedAt: number;
  shoppers: GroundTruthShopper[];
  events: GroundTruthEvent[];
  gates: GroundTruthGate[];
  refusals: GroundTruthRefusal[];
  moments: GroundTruthMoment[];
}

type ShopperEntry = Omit<GroundTruthShopper, 'expectedLines' | 'entryResult' | 'visits'> & {
  spans: { enteredAt: number; exitedAt: number | null }[];
  entryResult: 'open' | 'deny' | null;
};

export class GroundTruthRecorder {
  /** by shopper id, in scenario order */
  private readonly shoppers = new Map<string, ShopperEntry>();
  private readonly events: GroundTruthEvent[] = [];
  private readonly gates: GroundTruthGate[] = [];
  private readonly refusals: GroundTruthRefusal[] = [];
  private readonly moments: GroundTruthMoment[] = [];

  constructor(
    private readonly run: Pick<GroundTruth, 'scenario' | 'store' | 'seed' | 'noise' | 'nonce' | 'startedAt'>,
  ) {}

  addShopper(
    id: string,
    accountId: string | null,
    party: number,
    card: string | null,
    cardError?: string,
  ): void {
    this.shoppers.set(id, {
      id,
      accountId,
      party,
      card,
      ...(cardError === undefined ? {} : { cardError }),
      enteredAt: null,
      exitedAt: null,
      entryResult: null,
      spans: [],
    });
  }

  entered(shopper: string, ts: number): void {
    const entry = this.shopper(shopper);
    entry.entryResult = 'open';
    entry.enteredAt ??= ts;
    entry.spans.push({ enteredAt: ts, exitedAt: null });
  }

  entryDenied(shopper: string, reason: string): void {
    const entry = this.shopper(shopper);
    entry.entryResult = 'deny';
    entry.denyReason = reason;
  }

  exited(shopper: string, ts: number): void {
    const entry = this.shopper(shopper);
    entry.exitedAt = ts;
    const open = entry.spans[entry.spans.length - 1];
    if (open !== undefined && open.exitedAt === null) open.exitedAt = ts;
  }

  gate(record: GroundTruthGate): void {
    this.gates.push(record);
  }

  event(record: GroundTruthEvent): void {
    this.events.push(record);
  }

  refusal(record: GroundTruthRefusal): void {
    this.refusals.push(record);
  }

  moment(record: GroundTruthMoment): void {
    this.moments.push(record);
  }

  finish(endedAt: number): GroundTruth {
    const shoppers = [...this.shoppers.values()].map(
      ({ entryResult, spans, ...rest }): GroundTruthShopper => {
        const charged = this.events.filter((e) => (e.chargedTo ?? e.shopper) === rest.id);
        return {
          ...rest,
          entryResult: entryResult ?? 'deny',
          ...(entryResult === null ? { denyReason: 'not-attempted' } : {}),
          expectedLines: expectedLines(charged),
          visits: spans.map((span, i) => {
            const until = spans[i + 1]?.enteredAt ?? Number.POSITIVE_INFINITY;
            return {
              ...span,
              expectedLines: expectedLines(charged.filter((e) => e.ts >= span.enteredAt && e.ts < until)),
            };
          }),
        };
      },
    );
    const byTs = <T extends { ts: number }>(items: T[]) => [...items].sort((x, y) => x.ts - y.ts);
    return {
      ...this.run,
      endedAt,
      shoppers,
      events: byTs(this.events),
      gates: byTs(this.gates),
      refusals: byTs(this.refusals),
      moments: byTs(this.moments),
    };
  }

  private shopper(id: string): ShopperEntry {
    const entry = this.shoppers.get(id);
    if (entry === undefined) throw new RangeError(`unknown shopper ${id}`);
    return entry;
  }
}

/** Picks minus put-backs per SKU, zero lines omitted, sorted by SKU. */
export function expectedLines(events: readonly GroundTruthEvent[]): ExpectedLine[] {
  const quantities = new Map<string, number>();
  for (const e of events) {
    quantities.set(e.sku, (quantities.get(e.sku) ?? 0) + (e.kind === 'pick' ? e.count : -e.count));
  }
  return [...quantities]
    .filter(([, quantity]) => quantity !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sku, quantity]) => ({ sku, quantity }));
}

export function writeGroundTruth(path: string, truth: GroundTruth): void {
  writeFileSync(path, `${JSON.stringify(truth, null, 2)}\n`);
}
