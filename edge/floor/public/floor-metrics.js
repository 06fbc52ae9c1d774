// @ts-check
// How the page keeps up: message latency (p99) and frames per second in the header, and the same numbers
// for tests and the floor benchmark as window.__floor (with shelf-event arrival times, sounds played, the
// replay and the markers as drawn).
/** @import { FloorMessage } from '../../../shared/floor-messages.ts' */
import { byId } from './floor-dom.js';
import { liveMarkers } from './floor-motion.js';

/** Latencies kept for the p99: the last 1000 to 2000 messages. */
const LATENCIES_KEPT = 2000;
/** Arrival times are forgotten every this many shelf events, so a long shift does not fill the memory. */
const ARRIVALS_KEPT = 5000;

const probe = {
  /** ms from the edge sending a message to the page having it, recent messages */
  latencies: /** @type {number[]} */ ([]),
  messages: 0,
  /** frames drawn in the last second */
  fps: 0,
  /** frames drawn so far this second */
  frames: 0,
  /** by shelf event id: when it reached the page (Date.now()) */
  arrivals: /** @type {Record<string, number>} */ ({}),
  arrivalCount: 0,
  sounds: 0,
  /** The visit being replayed: its session, stored track points and events. */
  replay: /** @type {{ sessionId: string, trackPoints: number, events: number } | undefined} */ (undefined),
  /** Replayed people drawn in the last frame. */
  replayShown: 0,
  /** Live track markers as drawn (tests watch them move). */
  tracks: () =>
    [...liveMarkers()].map((m) => ({ id: m.id, sessionId: m.sessionId, x: m.shownX, y: m.shownY })),
};
Object.assign(window, { __floor: probe });

/** @param {FloorMessage} msg */
export function messageArrived(msg) {
  probe.messages++;
  probe.latencies.push(Date.now() - msg.sentAt);
  if (probe.latencies.length > LATENCIES_KEPT) probe.latencies.splice(0, LATENCIES_KEPT / 2);
  if (msg.type === 'shelf-event') {
    probe.arrivals[msg.data.eventId] = Date.now();
    if (++probe.arrivalCount % ARRIVALS_KEPT === 0) probe.arrivals = {};
  }
}

export function frameDrawn() {
  probe.frames++;
}

export function soundPlayed() {
  probe.sounds++;
}

/**
 * @param {{ sessionId: string, trackPoints: number, events: number }} replay
 */
export function replayStarted(replay) {
  probe.replay = replay;
}

/** @param {number} people */
export function replayDrawn(people) {
  probe.replayShown = people;
}

/** Updates the header's numbers once a second. */
export function startMetrics() {
  const fps = byId('fps', HTMLElement);
  const latency = byId('latency', HTMLElement);
  window.setInterval(() => {
    probe.fps = probe.frames;
    probe.frames = 0;
    fps.textContent = `${probe.fps} fps`;
    const sorted = [...probe.latencies].sort((a, b) => a - b);
    if (sorted.length) latency.textContent = `p99 ${sorted[Math.floor(sorted.length * 0.99)]} ms`;
  }, 1000);
}
