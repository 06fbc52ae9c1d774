// Random scenes for training and checking the vision models: people anywhere a camera sees (partly out of
// frame too), many standing at lanes with an arm in the shelf, pairs shoulder to shoulder, drawn from a
// pool of identities so the same person is seen again under other poses, places and light.
import type { Random } from '../../shared/random.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import { type Appearance, drawAppearance } from './appearance.ts';
import { applyMat3, type CameraView } from './camera-geometry.ts';
import { insideShelf, laneAccess, type Point } from './floor-planner.ts';
import type { SceneActor } from './frame-renderer.ts';

export function identityPool(count: number, random: Random): Appearance[] {
  return Array.from({ length: count }, () => drawAppearance(random));
}

const free = (store: StoreConfig, p: Point) => !store.shelves.some((s) => insideShelf(s, p, 0.22));

/** One random scene as seen by `view`; actor ids are `<identity index>`. */
export function randomScene(
  store: StoreConfig,
  view: CameraView,
  identities: readonly Appearance[],
  random: Random,
): SceneActor[] {
  const { imageWidth: w, imageHeight: h, homography } = view.camera;
  const toFloor = homography as unknown as Parameters<typeof applyMat3>[0];
  const a = applyMat3(toFloor, -30, -30);
  const b = applyMat3(toFloor, w + 30, h + 30);
  const lanes = store.shelves.flatMap((shelf) => shelf.lanes.map((lane) => ({ shelf, lane })));
  const inView = lanes.filter(({ shelf, lane }) => {
    const { stand } = laneAccess(shelf, lane);
    return stand.x > a.x && stand.x < b.x && stand.y > a.y && stand.y < b.y;
  });
  const actors: SceneActor[] = [];
  const used = new Set<number>();
  const count = random.int(0, 6);
  for (let n = 0; n < count * 3 && actors.length < count; n++) {
    const who = random.int(0, identities.length - 1);
    if (used.has(who)) continue;
    let p: Point;
    let heading = random.next() * 2 * Math.PI;
    let hand: Point | undefined;
    let reach = 0;
    const last = actors[actors.length - 1];
    const roll = random.next();
    if (roll < 0.35 && inView.length > 0) {
      const { shelf, lane } = random.pick(inView);
      const access = laneAccess(shelf, lane);
      const side = (random.next() - 0.5) * 0.3;
      p = { x: access.stand.x + side, y: access.stand.y + (random.next() - 0.5) * 0.1 };
      reach = random.next() < 0.7 ? Math.min(1, random.next() * 1.4) : 0;
      heading = Math.atan2(access.reach.y - p.y, access.reach.x - p.x);
      if (reach > 0)
        hand = { x: p.x + (access.reach.x - p.x) * reach, y: p.y + (access.reach.y - p.y) * reach };
    } else if (roll < 0.55 && last !== undefined) {
      // shoulder to shoulder with the previous person
      const side = last.pose.heading + Math.PI / 2;
      const gap = 0.45 + random.next() * 0.3;
      p = { x: last.pose.x + Math.cos(side) * gap, y: last.pose.y + Math.sin(side) * gap };
      heading = last.pose.heading + (random.next() - 0.5) * 0.6;
    } else {
      p = { x: a.x + random.next() * (b.x - a.x), y: a.y + random.next() * (b.y - a.y) };
    }
    if (!free(store, p) || actors.some((o) => Math.hypot(o.pose.x - p.x, o.pose.y - p.y) < 0.42)) continue;
    used.add(who);
    actors.push({
      id: String(who),
      appearance: identities[who] as Appearance,
      pose: { x: p.x, y: p.y, heading, hand, reach, onFloor: true },
    });
  }
  return actors;
}
