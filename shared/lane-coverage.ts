// Which cameras see each lane's aisle (where whoever takes from it stands): stated in the store config by an
// integrator who checked it on site, else computed from the cameras' outlines. Fusion counts on it, and a lane
// seen by one camera loses every pick there to staff while that camera is dark or blocked. Pure.
import { cameraOutline, camerasSeeing } from './camera-coverage.ts';
import type { StoreConfig } from './store-config.ts';
import { laneAislePoint } from './store-geometry.ts';

export interface LaneCoverage {
  lane: string;
  shelf: string;
  /** Cameras that see the lane's aisle point (stated ones in the config's order, computed ones in /cameras order). */
  cameras: string[];
  /** `stated`: the lane's `cameras` in the config; `computed`: from the camera outlines. */
  source: 'stated' | 'computed';
}

/** Fewer cameras than this on a lane is warned about: one dark or blocked camera must not blind a lane. */
export const MIN_CAMERAS_PER_LANE = 2;

/** Lane groups listed in a warning before "and N more" (a start-up log line stays one readable line). */
const LISTED_GROUPS = 20;

/** Every lane's cameras, in config order: the lane's stated `cameras`, else the ones whose picture holds its aisle point. */
export function laneCoverage(config: StoreConfig): LaneCoverage[] {
  const outlines = config.cameras.map((c) => cameraOutline(c));
  return config.shelves.flatMap((shelf) =>
    shelf.lanes.map((lane): LaneCoverage => {
      if (lane.cameras !== undefined)
        return { lane: lane.id, shelf: shelf.id, cameras: [...lane.cameras], source: 'stated' };
      const aisle = laneAislePoint(shelf, lane);
      return {
        lane: lane.id,
        shelf: shelf.id,
        cameras: camerasSeeing(outlines, aisle.x, aisle.y),
        source: 'computed',
      };
    }),
  );
}

/** How many lanes are seen by no camera, by one, and by two or more. */
export function coverageCounts(coverage: readonly LaneCoverage[]): {
  none: number;
  one: number;
  twoOrMore: number;
} {
  const counts = { none: 0, one: 0, twoOrMore: 0 };
  for (const c of coverage) {
    if (c.cameras.length === 0) counts.none++;
    else if (c.cameras.length === 1) counts.one++;
    else counts.twoOrMore++;
  }
  return counts;
}

export interface CoverageWarning {
  code: 'lanes-under-covered';
  /** The lanes seen by fewer than `minCameras` cameras, config order. */
  lanes: LaneCoverage[];
  /** One line: how many, then the lanes with their cameras, neighbours on one shelf with the same cameras as a range. */
  message: string;
}

/** Lanes seen by fewer than `minCameras` cameras, summarised in one warning (none when every lane is covered). */
export function coverageWarnings(
  coverage: readonly LaneCoverage[],
  minCameras = MIN_CAMERAS_PER_LANE,
): CoverageWarning[] {
  const under = coverage.filter((c) => c.cameras.length < minCameras);
  if (under.length === 0) return [];
  const groups = groupNeighbours(coverage, minCameras);
  const listed = groups.slice(0, LISTED_GROUPS).map(describeGroup);
  if (groups.length > LISTED_GROUPS) listed.push(`and ${groups.length - LISTED_GROUPS} more groups`);
  const fewer = minCameras === 2 ? 'two' : String(minCameras);
  const message =
    `${under.length} of ${coverage.length} lane${coverage.length === 1 ? ' is' : 's are'} ` +
    `seen by fewer than ${fewer} cameras: ${listed.join(', ')}`;
  return [{ code: 'lanes-under-covered', lanes: under, message }];
}

/** Runs of under-covered lanes adjacent in config order, on one shelf, with the same cameras. */
function groupNeighbours(coverage: readonly LaneCoverage[], minCameras: number): LaneCoverage[][] {
  const groups: LaneCoverage[][] = [];
  let run: LaneCoverage[] = [];
  for (const c of coverage) {
    const last = run[run.length - 1];
    const joins =
      last !== undefined &&
      c.cameras.length < minCameras &&
      last.shelf === c.shelf &&
      last.cameras.join(',') === c.cameras.join(',');
    if (!joins && run.length > 0) groups.push(run);
    if (!joins) run = [];
    if (c.cameras.length < minCameras) run.push(c);
  }
  if (run.length > 0) groups.push(run);
  return groups;
}

function describeGroup(group: readonly LaneCoverage[]): string {
  const first = group[0];
  const last = group[group.length - 1];
  if (first === undefined || last === undefined) return '';
  const lanes = first === last ? first.lane : `${first.lane}–${last.lane}`;
  return `${lanes} (${first.cameras.length === 0 ? 'no camera' : first.cameras.join(', ')})`;
}
