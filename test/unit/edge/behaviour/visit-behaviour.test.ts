// The behaviour core on the sample store's shelf S01 (faces −y, front edge at y 3.7, lanes every 0.5 m from
// x 3.75): where a shopper stood, how long, and what that says — lingering, comparisons, dwell, first pick.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR } from '../../../../edge/behaviour/behaviour-settings.ts';
import { LaneReach } from '../../../../edge/behaviour/lane-reach.ts';
import { deriveVisitBehaviour } from '../../../../edge/behaviour/visit-behaviour.ts';
import type { VisitEvent } from '../../../../shared/schemas/visit.ts';
import { MAX_LINGERS, VisitBehaviourSchema } from '../../../../shared/schemas/visit-behaviour.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { compileValidator } from '../../../../shared/validator.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const reach = new LaneReach(store, DEFAULT_BEHAVIOUR.reachM);
/** Where a shopper stands to take from S01's lane n (1-based): 0.4 m out from its front. */
const standAt = (n: number) => ({ x: 3.75 + (n - 1) * 0.5, y: 3.3 });

type Leg = { to: { x: number; y: number }; walkMs: number; stayMs: number };

/** 4 Hz points of one person walking from the aisle (y 2) to each spot in turn, staying there. */
function walk(legs: Leg[], t0 = 0): Array<{ trackId: string; ts: number; x: number; y: number }> {
  const points: Array<{ trackId: string; ts: number; x: number; y: number }> = [];
  let at = { x: 2, y: 2 };
  let t = t0;
  for (const leg of legs) {
    const from = at;
    for (let dt = 250; dt <= leg.walkMs; dt += 250) {
      const f = dt / leg.walkMs;
      points.push({
        trackId: 'T1',
        ts: t + dt,
        x: from.x + (leg.to.x - from.x) * f,
        y: from.y + (leg.to.y - from.y) * f,
      });
    }
    t += leg.walkMs;
    for (let dt = 250; dt <= leg.stayMs; dt += 250) points.push({ trackId: 'T1', ts: t + dt, ...leg.to });
    t += leg.stayMs;
    at = leg.to;
  }
  // walks off into the aisle
  for (let dt = 250; dt <= 1500; dt += 250)
    points.push({ trackId: 'T1', ts: t + dt, x: at.x, y: at.y - dt / 1000 });
  return points;
}

const event = (kind: 'pick' | 'put-back', lane: string, sku: string, ts: number): VisitEvent => ({
  eventId: `${kind}-${lane}-${ts}`,
  kind,
  sku,
  count: 1,
  lane,
  ts,
});

const derive = (points: ReturnType<typeof walk>, events: VisitEvent[]) =>
  deriveVisitBehaviour({ enteredAt: 0, exitedAt: 60_000, points, events }, store, reach, DEFAULT_BEHAVIOUR);

describe('visit behaviour', () => {
  it('a long stay without taking is a linger, with its lane, product, category, start and duration', () => {
    const b = derive(walk([{ to: standAt(1), walkMs: 2000, stayMs: 6000 }]), []);
    expect(b.lingers).toEqual([
      { lane: 'S01-L01', sku: 'SKU-0060', category: 'dairy', startTs: 2125, durationMs: 6000 },
    ]);
    expect(b.dwellByCategory).toEqual([{ category: 'dairy', dwellMs: 6000 }]);
    expect(b.dwellByShelf).toEqual([{ shelf: 'S01', dwellMs: 6000 }]);
    expect(b.firstPickMs).toBeUndefined();
    expect(b.comparisons).toEqual([]);
  });

  it('standing to take is dwell, not a linger; walking past the shelf is neither', () => {
    const pass = walk([{ to: { x: 8, y: 3.3 }, walkMs: 2000, stayMs: 0 }]);
    expect(derive(pass, []).dwellByCategory).toEqual([]);
    const b = derive(walk([{ to: standAt(2), walkMs: 2000, stayMs: 6000 }]), [
      event('pick', 'S01-L02', 'SKU-0039', 4000),
    ]);
    expect(b.lingers).toEqual([]);
    expect(b.dwellByCategory).toEqual([{ category: 'ready', dwellMs: 6000 }]);
    expect(b.firstPickMs).toBe(4000);
  });

  it('lingering over one dairy lane, then taking from another: compared by looking', () => {
    const b = derive(
      walk([
        { to: standAt(1), walkMs: 2000, stayMs: 5000 },
        { to: standAt(8), walkMs: 3000, stayMs: 2000 },
      ]),
      [event('pick', 'S01-L08', 'SKU-0012', 11_000)],
    );
    expect(b.lingers.map((l) => l.lane)).toEqual(['S01-L01']);
    expect(b.comparisons).toEqual([
      {
        category: 'dairy',
        by: 'looked',
        skus: ['SKU-0012', 'SKU-0060'].sort(),
        kept: 'SKU-0012',
        ts: 11_000,
      },
    ]);
  });

  it('taking two dairy products and putting one back: compared by handling; keeping both is no comparison', () => {
    const points = walk([
      { to: standAt(1), walkMs: 2000, stayMs: 2000 },
      { to: standAt(8), walkMs: 3000, stayMs: 2000 },
    ]);
    const picks = [event('pick', 'S01-L01', 'SKU-0060', 3000), event('pick', 'S01-L08', 'SKU-0012', 8000)];
    const compared = derive(points, [...picks, event('put-back', 'S01-L01', 'SKU-0060', 8500)]);
    expect(compared.comparisons).toEqual([
      { category: 'dairy', by: 'handled', skus: ['SKU-0012', 'SKU-0060'], kept: 'SKU-0012', ts: 8000 },
    ]);
    expect(derive(points, picks).comparisons).toEqual([]);
  });

  it('the path is coarse: one point per 5 s, on a 0.5 m grid', () => {
    const b = derive(walk([{ to: standAt(1), walkMs: 2000, stayMs: 9000 }]), []);
    expect(b.path).toEqual([
      [0, 2, 2],
      [5, 4, 3.5],
      [10, 4, 3.5],
    ]);
  });

  it('stays within the upload schema however long the visit: three hours of lingering keep the first 500', () => {
    const legs: Leg[] = [];
    for (let i = 0; i < 1500; i++) legs.push({ to: standAt(1 + (i % 2) * 5), walkMs: 2000, stayMs: 5000 });
    const points = walk(legs);
    const b = deriveVisitBehaviour(
      { enteredAt: 0, exitedAt: points.at(-1)?.ts ?? 0, points, events: [] },
      store,
      reach,
      DEFAULT_BEHAVIOUR,
    );
    expect(b.lingers).toHaveLength(MAX_LINGERS);
    expect(compileValidator(VisitBehaviourSchema).check(b).ok).toBe(true);
  });
});
