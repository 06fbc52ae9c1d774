// @ts-check
// What moves on the map: the live tracks (a marker glides to each new position, so it looks smooth at any
// frame rate between 5 Hz updates) and lanes flashing after a shelf event.
/** @import { TrackMessage, TrackUpdate } from '../../../shared/schemas/track.ts' */

/**
 * A track as drawn: where it is (x, y), where its marker is shown, and when it was last reported.
 * @typedef {TrackMessage & { shownX: number, shownY: number, seen: number }} Marker
 */

/** Markers glide towards the latest position with this time constant (ms). */
const GLIDE_MS = 120;
/** A track not reported for this long (ms) is gone (the vision stage stopped, or it was lost). */
const STALE_MS = 3000;
/** How long a lane flashes after an event (ms). */
const FLASH_MS = 1500;

/** by track id */
const markers = /** @type {Map<string, Marker>} */ (new Map());
/** by lane id: when it started flashing (performance.now()) */
const flashes = /** @type {Map<string, number>} */ (new Map());

/**
 * New positions from the vision stage; an exited track goes.
 * @param {TrackUpdate} update
 * @param {number} now performance.now()
 */
export function updateTracks(update, now) {
  for (const t of update.tracks) {
    if (t.state === 'exited') {
      markers.delete(t.id);
      continue;
    }
    const known = markers.get(t.id);
    markers.set(t.id, { ...t, shownX: known?.shownX ?? t.x, shownY: known?.shownY ?? t.y, seen: now });
  }
}

/**
 * Moves every marker towards its track for a frame `elapsedMs` after the last one; forgets stale tracks.
 * @param {number} now performance.now()
 * @param {number} elapsedMs
 */
export function glide(now, elapsedMs) {
  const k = 1 - Math.exp(-Math.min(250, elapsedMs) / GLIDE_MS);
  for (const [id, m] of markers) {
    if (now - m.seen > STALE_MS) {
      markers.delete(id);
      continue;
    }
    m.shownX += (m.x - m.shownX) * k;
    m.shownY += (m.y - m.shownY) * k;
  }
}

/** @returns {Iterable<Marker>} */
export const liveMarkers = () => markers.values();

/**
 * The marker drawn within `radiusM` of a floor point, if any.
 * @param {number} x
 * @param {number} y
 * @param {number} radiusM
 */
export const markerNear = (x, y, radiusM) =>
  [...markers.values()].find((m) => Math.hypot(m.shownX - x, m.shownY - y) <= radiusM);

/** People seen on the floor for a session (a party shares one). @param {string} sessionId */
export const peopleOf = (sessionId) => [...markers.values()].filter((m) => m.sessionId === sessionId).length;

/**
 * @param {readonly string[]} lanes
 * @param {number} now performance.now()
 */
export function flashLanes(lanes, now) {
  for (const lane of lanes) flashes.set(lane, now);
}

/**
 * Lanes flashing now with their brightness (1 → 0); forgets those that are over.
 * @param {number} now performance.now()
 * @returns {[lane: string, alpha: number][]}
 */
export function flashing(now) {
  /** @type {[string, number][]} */
  const shown = [];
  for (const [lane, at] of flashes) {
    const alpha = 1 - (now - at) / FLASH_MS;
    if (alpha <= 0) flashes.delete(lane);
    else shown.push([lane, alpha]);
  }
  return shown;
}
