// Families of strangers close together at one shelf: a crowd picking at once, arms crossing, two hands in
// one lane, and an item handed from one shopper to another.
import type { SiteLane, SiteSpot } from '../store-sites.ts';
import type { Step, VisitDraft } from '../visit-schedule.ts';
import {
  byVariant,
  type FamilyBuilder,
  idsOf,
  LaneStock,
  laneRow,
  nameAt,
  nearShelf,
  offsetS,
  reachFrom,
  sideBySide,
  takeNear,
} from './family-kit.ts';

/** Seconds within which the people of a crowd (or a crossing) start their moves: close enough to overlap. */
const TOGETHER_WITHIN_S = 1.5;
/** How long a giver and a receiver stand side by side around a hand-over, seconds. */
const HAND_OVER_LINGER_S = 4;

/**
 * `people` shoppers at one shelf at the same time, each standing at a lane of their own (every other lane
 * when the shelf is long enough) and picking twice from the nearest stocked lanes (reaching over from an
 * empty one). Variants: `side-by-side` (the second pick from the lane beside them), `put-backs` (about half
 * put their first item back), `multi-unit` (about half take two, one of them returns one).
 */
export const crowdAtShelf: FamilyBuilder = (ctx) => {
  const { random, variant, params } = ctx;
  const n = params.people;
  const stock = new LaneStock();
  const shelf = nearShelf(ctx, { lanes: Math.ceil(n / 2), usable: (l) => l.units >= 2, spots: n });
  const places = sideBySide(ctx, shelf, n);
  const special = new Set(random.shuffle(places.map((_, k) => k)).slice(0, Math.max(1, Math.floor(n / 2))));
  const returner = Math.min(...special);
  // who enters first is not who stands first along the shelf
  const visits: VisitDraft[] = random.shuffle(places.map((_, k) => k)).map((k, i) => {
    const { home, beside } = places[k] as { home: SiteSpot; beside: SiteSpot };
    const count = variant === 'multi-unit' && special.has(k) ? 2 : 1;
    const first = takeNear(ctx, shelf, home, stock, count);
    const steps: Step[] = [
      {
        do: 'pick',
        lane: first,
        count,
        ...reachFrom(home, first),
        sync: { group: 'first', offsetS: offsetS(random, 0, TOGETHER_WITHIN_S) },
      },
    ];
    const second = { group: 'second', offsetS: offsetS(random, 0, TOGETHER_WITHIN_S) };
    if ((variant === 'put-backs' && special.has(k)) || (variant === 'multi-unit' && k === returner)) {
      steps.push({ do: 'put-back', lane: first, ...reachFrom(home, first), sync: second });
    } else {
      const lane = takeNear(ctx, shelf, beside, stock);
      steps.push({ do: 'pick', lane, ...reachFrom(home, lane), sync: second });
    }
    return { id: nameAt(ctx, i), steps };
  });
  const what = byVariant(ctx, {
    'side-by-side': 'then each takes one more from beside them',
    'put-backs': `then ${special.size === 1 ? 'one of them puts' : `${special.size} of them put`} their item back while the others pick again`,
    'multi-unit': `${special.size === 1 ? 'one of them takes' : `${special.size} of them take`} two units at once and one puts one back`,
  });
  return {
    summary: `${n} shoppers crowd shelf ${shelf.id} at the same time, each in front of a lane of their own (${idsOf(places.map((p) => p.home))}); ${what}.`,
    visits,
  };
};

/**
 * Neighbours reaching across each other (`standAt`). Variants: `swap-adjacent` (two people each take from
 * the lane in front of the other), `swap-wide` (the same two lanes apart, a third person picking between
 * them), `reach-past` (one reaches past a picking neighbour into the lane beyond). Then everyone who
 * crossed picks in front of themselves.
 */
export const crossingArms: FamilyBuilder = (ctx) => {
  const { random, variant } = ctx;
  const shelf = nearShelf(ctx, { lanes: 3, usable: (l) => l.units >= 2 });
  const together = (group: string, lo = 0) => ({ group, offsetS: offsetS(random, lo, TOGETHER_WITHIN_S) });
  let visits: VisitDraft[];
  let summary: string;
  if (variant === 'reach-past') {
    const [a, m, b] = laneRow(ctx, shelf, 3, 1) as [SiteLane, SiteLane, SiteLane];
    visits = [
      {
        id: nameAt(ctx, 0),
        steps: [
          { do: 'pick', lane: b, standAt: a, sync: { group: 'cross', offsetS: 0 } },
          { do: 'pick', lane: a, sync: together('back') },
        ],
      },
      {
        id: nameAt(ctx, 1),
        steps: [
          { do: 'pick', lane: m, sync: together('cross', 0.3) },
          { do: 'pick', lane: m, sync: together('back') },
        ],
      },
    ];
    summary = `At shelf ${shelf.id}, one shopper standing at ${a.id} reaches past a neighbour picking at ${m.id} into ${b.id}; then both pick in front of themselves.`;
  } else {
    const wide = variant === 'swap-wide';
    const [a, m, b] = (wide ? laneRow(ctx, shelf, 3, 1) : [...laneRow(ctx, shelf, 2, 1), undefined]) as [
      SiteLane,
      SiteLane | undefined,
      SiteLane | undefined,
    ];
    const right = b ?? m;
    if (right === undefined) throw new RangeError('a crossing needs two lanes');
    visits = [
      {
        id: nameAt(ctx, 0),
        steps: [
          { do: 'pick', lane: right, standAt: a, sync: { group: 'cross', offsetS: 0 } },
          { do: 'pick', lane: a, sync: together('own') },
        ],
      },
      {
        id: nameAt(ctx, 1),
        steps: [
          { do: 'pick', lane: a, standAt: right, sync: together('cross', 0.3) },
          { do: 'pick', lane: right, sync: together('own') },
        ],
      },
    ];
    if (wide && m !== undefined)
      visits.push({ id: nameAt(ctx, 2), steps: [{ do: 'pick', lane: m, sync: together('cross') }] });
    summary = wide
      ? `At shelf ${shelf.id}, two shoppers at ${a.id} and ${right.id} each take from the other's lane, arms crossing over a third picking at ${m?.id} between them; then each picks in front of themselves.`
      : `At shelf ${shelf.id}, two neighbours at ${a.id} and ${right.id} each take from the lane in front of the other, arms crossing; then each picks in front of themselves.`;
  }
  return { summary, visits: random.shuffle(visits) };
};

/**
 * Two people grab from the same lane `gapS` seconds apart, the second reaching in from the next lane.
 * Variants: `both-keep`, `one-returns` (the second puts the unit back), `with-bystander` (a third picks from
 * the lane on the other side in between).
 */
export const sameLane: FamilyBuilder = (ctx) => {
  const { random, variant, params } = ctx;
  const shelf = nearShelf(ctx, { lanes: 3, usable: (l) => l.units >= 3 });
  const [left, lane, right] = laneRow(ctx, shelf, 3, 1) as [SiteLane, SiteLane, SiteLane];
  const [side, other] = random.next() < 0.5 ? [left, right] : [right, left];
  const grab = (offset: number) => ({ group: 'grab', offsetS: Math.round(offset * 10) / 10 });
  const second: Step[] = [{ do: 'pick', lane, standAt: side, sync: grab(params.gapS) }];
  if (variant === 'one-returns') second.push({ do: 'put-back', lane, standAt: side });
  const visits: VisitDraft[] = random.shuffle([
    { id: nameAt(ctx, 0), steps: [{ do: 'pick', lane, sync: grab(0) }] },
    { id: nameAt(ctx, 1), steps: second },
  ]);
  if (variant === 'with-bystander')
    visits.push({ id: nameAt(ctx, 2), steps: [{ do: 'pick', lane: other, sync: grab(params.gapS / 2) }] });
  const then = byVariant(ctx, {
    'both-keep': 'both keep theirs',
    'one-returns': 'the second puts it back',
    'with-bystander': `a third shopper picks from ${other.id} on the other side in between`,
  });
  return {
    summary: `Two shoppers take from ${lane.id} ${params.gapS} s apart, the second reaching in from ${side.id}; ${then}.`,
    visits,
  };
};

/**
 * A shopper hands what they picked to a stranger standing beside them (the picker still pays unless it goes
 * back). Variants: `keeps` (the receiver walks out with it), `puts-back` (the receiver returns it to its
 * lane), `keeps-one-of-two` (two units handed, one returned).
 */
export const handOver: FamilyBuilder = (ctx) => {
  const { random, variant } = ctx;
  const count = variant === 'keeps-one-of-two' ? 2 : 1;
  const shelf = nearShelf(ctx, { lanes: 3, usable: (l) => l.units >= 2 });
  const row = laneRow(ctx, shelf, 3, 1);
  // the giver steps next to the receiver: onto the lane between them
  const [g, between, r] = (random.next() < 0.5 ? row : row.reverse()) as [SiteLane, SiteLane, SiteLane];
  const giver = nameAt(ctx, 0);
  const receiver = nameAt(ctx, 1);
  const receiving: Step[] = [
    { do: 'pick', lane: r, sync: { group: 'meet', offsetS: offsetS(random, 0.3, 1) } },
    { do: 'linger', lane: r, forS: HAND_OVER_LINGER_S, sync: { group: 'hand', offsetS: 0.3 } },
  ];
  if (variant !== 'keeps') receiving.push({ do: 'put-back', lane: g, count: 1 });
  const visits: VisitDraft[] = [
    {
      id: giver,
      steps: [
        { do: 'pick', lane: g, count, sync: { group: 'meet', offsetS: 0 } },
        { do: 'linger', lane: between, forS: HAND_OVER_LINGER_S, sync: { group: 'hand', offsetS: 0 } },
        { do: 'hand-over', to: receiver, sku: g.sku, count, sync: { group: 'hand', offsetS: 1.5 } },
      ],
    },
    { id: receiver, steps: receiving },
  ];
  const then = byVariant(ctx, {
    keeps: 'who walks out with it',
    'puts-back': `who puts it back on ${g.id}`,
    'keeps-one-of-two': `who puts one of them back on ${g.id}`,
  });
  return {
    summary: `${giver} picks ${count} from ${g.id} and hands ${count === 1 ? 'it' : 'them'} to ${receiver}, a stranger picking at ${r.id} beside them, ${then}.`,
    visits: random.shuffle(visits),
  };
};
