// Families that test who is who: two shoppers who look alike from the ceiling, a party of several people on
// one scan, and a shopper the cameras lose at the entry gate.
import type { SiteLane } from '../store-sites.ts';
import type { Step, TimedVisit, VisitDraft } from '../visit-schedule.ts';
import {
  byVariant,
  type FamilyBuilder,
  FamilyError,
  idsOf,
  laneRow,
  nameAt,
  nearShelf,
  neighbourOf,
  offsetS,
} from './family-kit.ts';

/** Seconds within which people meant to be at a shelf together start their moves. */
const TOGETHER_WITHIN_S = 1.5;
/** Follow: the look-alike reaches into the lane this long after the first one did, seconds. */
const FOLLOW_AFTER_S = 3;
/** Party members acting per visit (more would make the visit long: one script plays them in turn). */
const PARTY_ACTORS_MAX = 3;
/** Lost at the gate: the cameras go dark this long before the scan, seconds. */
const DARK_BEFORE_SCAN_S = 1;

/**
 * Two shoppers wearing the same colours (`looksLike`) shop near each other. Variants: `side-by-side` (two
 * lanes apart at one shelf, picking at the same time), `swap-places` (each then takes from the other's lane,
 * passing each other), `follow` (the look-alike takes from the same lane just after, a third shopper nearby).
 */
export const lookAlikes: FamilyBuilder = (ctx) => {
  const { random, variant } = ctx;
  const shelf = nearShelf(ctx, { lanes: 4, usable: (l) => l.units >= 3 });
  const first = nameAt(ctx, 0);
  const twin = nameAt(ctx, 1);
  const together = (group: string) => ({ group, offsetS: offsetS(random, 0, TOGETHER_WITHIN_S) });
  let visits: VisitDraft[];
  let summary: string;
  if (variant === 'follow') {
    const [lane, beside] = laneRow(ctx, shelf, 2, 2) as [SiteLane, SiteLane];
    visits = [
      {
        id: first,
        steps: [
          { do: 'pick', lane, sync: { group: 'lane', offsetS: 0 } },
          { do: 'pick', lane: neighbourOf(shelf, lane, -1), sync: together('after') },
        ],
      },
      {
        id: twin,
        looksLike: first,
        steps: [{ do: 'pick', lane, sync: { group: 'lane', offsetS: FOLLOW_AFTER_S } }],
      },
      { id: nameAt(ctx, 2), steps: [{ do: 'pick', lane: beside, sync: together('lane') }] },
    ];
    summary = `${twin}, dressed like ${first}, takes from ${lane.id} ${FOLLOW_AFTER_S} s after ${first} did, while a third shopper picks at ${beside.id}.`;
  } else {
    const swap = variant === 'swap-places';
    const [a, b] = laneRow(ctx, shelf, 2, swap ? 3 : 2) as [SiteLane, SiteLane];
    const [a2, b2] = swap ? [b, a] : [neighbourOf(shelf, a, -1), neighbourOf(shelf, b, 1)];
    visits = [
      {
        id: first,
        steps: [
          { do: 'pick', lane: a, sync: together('first') },
          { do: 'pick', lane: a2, sync: together('second') },
        ],
      },
      {
        id: twin,
        looksLike: first,
        steps: [
          { do: 'pick', lane: b, sync: together('first') },
          { do: 'pick', lane: b2, sync: together('second') },
        ],
      },
    ];
    summary = swap
      ? `${first} and ${twin}, dressed alike, pick at ${a.id} and ${b.id} of shelf ${shelf.id} at the same time, then swap places and take from each other's lane.`
      : `${first} and ${twin}, dressed alike, pick side by side at ${a.id} and ${b.id} of shelf ${shelf.id}, then at ${a2.id} and ${b2.id}.`;
  }
  return { summary, visits };
};

/**
 * A party of `size` on one scan (`party`, `member`): up to three of them pick, the others walk along.
 * Variants: `same-shelf` (side by side at one shelf, a child putting something back when the party is
 * small), `two-shelves` (split over two shelves), `with-stranger` (a stranger picks beside them meanwhile).
 */
export const partyOnOneScan: FamilyBuilder = (ctx) => {
  const { random, variant, params } = ctx;
  const size = params.size;
  const actors = random
    .shuffle(Array.from({ length: size }, (_, m) => m))
    .slice(0, Math.min(size, PARTY_ACTORS_MAX));
  const split = variant === 'two-shelves' ? Math.ceil(actors.length / 2) : actors.length;
  const shelf = nearShelf(ctx, { lanes: split + 1, usable: (l) => l.units >= 2 });
  const lanes = laneRow(ctx, shelf, split + 1, 1);
  const other =
    variant === 'two-shelves'
      ? nearShelf(ctx, { lanes: actors.length - split, usable: (l) => l.units >= 2, except: [shelf] })
      : shelf;
  const otherLanes = variant === 'two-shelves' ? laneRow(ctx, other, actors.length - split, 1) : [];
  const strangerLane = lanes[split] as SiteLane;
  const steps: Step[] = actors.map((member, k) => ({
    do: 'pick',
    lane: (k < split ? lanes[k] : otherLanes[k - split]) as SiteLane,
    member,
    ...(variant === 'with-stranger' && k === split - 1 ? { sync: { group: 'near', offsetS: 0 } } : {}),
  }));
  const child = actors.find((m) => m > 0);
  const putBack = variant === 'same-shelf' && size <= 3 && child !== undefined;
  if (putBack) steps.push({ do: 'put-back', lane: lanes[actors.indexOf(child)] as SiteLane, member: child });
  const leader = nameAt(ctx, 0);
  const visits: VisitDraft[] = [{ id: leader, party: size, steps }];
  if (variant === 'with-stranger') {
    const stranger = {
      id: nameAt(ctx, 1),
      steps: [
        { do: 'pick', lane: strangerLane, sync: { group: 'near', offsetS: offsetS(random, 0.5, 1.2) } },
      ] as Step[],
    };
    visits.splice(random.int(0, 1), 0, stranger);
  }
  const where = byVariant(ctx, {
    'same-shelf': `side by side at ${idsOf(lanes.slice(0, split))}${putBack ? ', and a child puts one back' : ''}`,
    'two-shelves': `at ${idsOf(lanes.slice(0, split))} and then at ${idsOf(otherLanes)} on shelf ${other.id}`,
    'with-stranger': `at ${idsOf(lanes.slice(0, split))} while a stranger picks at ${strangerLane.id} beside them`,
  });
  return {
    summary: `A party of ${size} on ${leader}'s one scan: members ${actors.join(', ')} pick ${where}; one receipt.`,
    visits,
  };
};

/**
 * The cameras that see the entry gate go dark for `darkS` seconds around one shopper's scan, so the
 * tracker cannot tie that person to the scan. Variants: `alone` (someone already inside, the lost one
 * arrives a little later), `pair` (two scan back to back in the dark and shop side by side), `busy` (the
 * lost one arrives between two others).
 */
export const lostAtGate: FamilyBuilder = (ctx) => {
  const { random, params, sites } = ctx;
  const cameras = [
    ...new Set([...sites.camerasSeeing(sites.entry.position), ...sites.camerasSeeing(sites.entryLobby)]),
  ];
  if (cameras.length === 0)
    throw new FamilyError(ctx.family, `no camera sees the entry gate ${sites.entry.id}`);
  const shelf = nearShelf(ctx, { lanes: 4, usable: (l) => l.units >= 2 });
  const lanes = random.shuffle([...shelf.lanes]).slice(0, 4) as [SiteLane, SiteLane, SiteLane, SiteLane];
  const pick = (lane: SiteLane, group?: string): Step => ({
    do: 'pick',
    lane,
    ...(group === undefined ? {} : { sync: { group, offsetS: offsetS(random, 0, TOGETHER_WITHIN_S) } }),
  });
  const lost = nameAt(ctx, 1);
  const visits: VisitDraft[] = byVariant(ctx, {
    alone: () => [
      { id: nameAt(ctx, 0), steps: [pick(lanes[0]), pick(lanes[1])] },
      { id: lost, enterDelayS: 2, steps: [pick(lanes[2]), pick(lanes[3])] },
    ],
    // the lost one scans first, the other right behind, still in the dark
    pair: () => [
      { id: lost, steps: [pick(lanes[2], 'side'), pick(lanes[3])] },
      { id: nameAt(ctx, 0), steps: [pick(lanes[0], 'side'), pick(lanes[1])] },
    ],
    busy: () => [
      { id: nameAt(ctx, 0), steps: [pick(lanes[0])] },
      { id: lost, steps: [pick(lanes[1], 'side'), pick(lanes[2])] },
      { id: nameAt(ctx, 2), steps: [pick(lanes[3], 'side')] },
    ],
  })();
  const faults = (timed: TimedVisit[]) => {
    const scan = timed.find((t) => t.draft.id === lost)?.enterAt ?? 0;
    const at = Math.max(0, Math.round((scan - DARK_BEFORE_SCAN_S) * 10) / 10);
    return cameras.map((camera) => ({ at, do: 'camera-dark' as const, camera, forS: params.darkS }));
  };
  return {
    summary: `${cameras.join(' and ')} (seeing the entry ${sites.entry.id}) ${cameras.length === 1 ? 'goes' : 'go'} dark for ${params.darkS} s as ${lost} scans in; everyone then picks at shelf ${shelf.id}.`,
    visits,
    faults,
  };
};
