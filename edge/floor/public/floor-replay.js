// @ts-check
// Replay of a past visit on the map, four times faster than it happened: the shopper's tracks (every
// person of the party) move with a fading trail, and the lanes of their shelf events flash when they
// happened. Also the Replay panel listing the past visits.
/** @import { VisitReplay } from '../../../shared/schemas/floor-snapshot.ts' */
/** @import { ShelfEvent } from '../../../shared/schemas/shelf-event.ts' */
import { fetchVisit } from './floor-api.js';
import { h } from './floor-dom.js';
import { short, time } from './floor-format.js';
import { replayDrawn, replayStarted } from './floor-metrics.js';
import { flashLanes } from './floor-motion.js';
import { pastVisits } from './floor-store.js';

const SPEED = 4;
/** The trail behind a replayed person covers this much visit time (ms). */
const TRAIL_MS = 4000;
/** The replay stays on the map this long (ms) after its last point. */
const LINGER_MS = 2000;

/**
 * A point of a replayed track, at replay time (ms from the start).
 * @typedef {{ at: number, x: number, y: number }} ReplayPoint
 */
/**
 * @typedef {object} Replay
 * @property {{ at: number, event: ShelfEvent, done: boolean }[]} events
 * @property {Map<string, ReplayPoint[]>} tracks by track id
 * @property {number} start performance.now() when it began
 * @property {number} lastAt replay time of its last point or event
 * @property {string} label
 */

/** @type {Replay | undefined} */
let replay;

/** @param {VisitReplay} visit @param {string} sessionId @returns {Replay} */
function replayOf(visit, sessionId) {
  const t0 = visit.session.enteredAt;
  /** @type {Map<string, ReplayPoint[]>} */
  const tracks = new Map();
  for (const p of visit.tracks) {
    const points = tracks.get(p.trackId) ?? [];
    points.push({ at: (p.ts - t0) / SPEED, x: p.x, y: p.y });
    tracks.set(p.trackId, points);
  }
  const events = visit.events.map((event) => ({ at: (event.startTs - t0) / SPEED, event, done: false }));
  const lastAt = Math.max(
    0,
    ...events.map((r) => r.at),
    ...[...tracks.values()].map((points) => points.at(-1)?.at ?? 0),
    ((visit.session.exitedAt ?? t0) - t0) / SPEED,
  );
  return { events, tracks, start: performance.now(), lastAt, label: `replay ${short(sessionId)} ×${SPEED}` };
}

/** @param {string} sessionId */
async function startReplay(sessionId) {
  const visit = await fetchVisit(sessionId);
  replay = replayOf(visit, sessionId);
  replayStarted({ sessionId, trackPoints: visit.tracks.length, events: replay.events.length });
}

/**
 * Where a replayed track is at replay time `at`, or undefined outside its span.
 * @param {ReplayPoint[]} points
 * @param {number} at
 */
function positionAt(points, at) {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || at < first.at || at > last.at) return undefined;
  let i = 1;
  while (i < points.length - 1 && (points[i]?.at ?? at) < at) i++;
  const a = points[i - 1] ?? first;
  const b = points[i] ?? a;
  const k = b.at === a.at ? 1 : (at - a.at) / (b.at - a.at);
  return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k };
}

/** @param {number} ms */
const clock = (ms) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms / 1000) % 60)).padStart(2, '0')}`;

/**
 * Draws the replay for this animation frame, its label above the map.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} now performance.now()
 * @param {(x: number) => number} X floor metres to canvas pixels
 * @param {(y: number) => number} Y
 */
export function drawReplay(ctx, now, X, Y) {
  const r = replay;
  if (!r) return;
  const at = now - r.start;
  for (const item of r.events)
    if (at >= item.at && !item.done) {
      item.done = true;
      flashLanes(item.event.lanes, now);
    }
  let shown = 0;
  for (const points of r.tracks.values()) {
    const p = positionAt(points, at);
    if (!p) continue;
    shown++;
    ctx.strokeStyle = '#e3b341';
    ctx.lineWidth = 2;
    ctx.beginPath();
    let started = false;
    for (const q of points) {
      if (q.at > at) break;
      if (q.at < at - TRAIL_MS / SPEED) continue;
      if (started) ctx.lineTo(X(q.x), Y(q.y));
      else ctx.moveTo(X(q.x), Y(q.y));
      started = true;
    }
    ctx.lineTo(X(p.x), Y(p.y));
    ctx.stroke();
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(X(p.x), Y(p.y), 9, 0, Math.PI * 2);
    ctx.stroke();
    ctx.lineWidth = 1;
  }
  replayDrawn(shown);
  ctx.fillStyle = '#e3b341';
  ctx.fillText(
    `${r.label} · ${clock(at * SPEED)} / ${clock(r.lastAt * SPEED)}${r.tracks.size ? '' : ' · no tracks stored'}`,
    24,
    14,
  );
  if (at > r.lastAt + LINGER_MS) replay = undefined;
}

/** The Replay panel: past visits, newest first, each replayable. @param {HTMLElement} panel */
export function renderVisits(panel) {
  const visits = pastVisits();
  panel.replaceChildren(
    ...(visits.length === 0
      ? [h('p', { class: 'muted' }, 'Past visits appear here.')]
      : visits.map((v) =>
          h(
            'div',
            { class: 'card', 'data-v': v.sessionId },
            h('h3', {}, `visit ${short(v.sessionId)}`),
            h(
              'div',
              { class: 'meta' },
              `${time(v.enteredAt)} – ${v.exitedAt === undefined ? '…' : time(v.exitedAt)}`,
            ),
            h(
              'div',
              { class: 'row' },
              h(
                'button',
                { type: 'button', class: 'ghost v-play', onclick: () => startReplay(v.sessionId) },
                'Replay',
              ),
            ),
          ),
        )),
  );
}
