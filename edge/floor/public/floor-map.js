// @ts-check
// The store map on a canvas: shelves with each lane coloured by its stock and sensor health (drawn into a
// cached layer, rebuilt only when they change), flashing lanes, people gliding with their hands, the
// replay on top; a click shows what is there.
/** @import { FloorLayout } from '../../../shared/floor-messages.ts' */
import { byId } from './floor-dom.js';
import { short } from './floor-format.js';
import { showDetailAt } from './floor-map-detail.js';
import { frameDrawn } from './floor-metrics.js';
import { flashing, glide, liveMarkers } from './floor-motion.js';
import { drawReplay } from './floor-replay.js';
import { cellHealth, onChange, stockOf, storeLayout } from './floor-store.js';

/** The cached layer is rebuilt at most this often (ms) however fast stock changes. */
const BASE_REBUILD_MS = 250;
/** Margin around the floor (px). */
const MARGIN_PX = 20;
/** A lane at or below this share of its capacity is low. */
const LOW_SHARE = 0.2;

/** @typedef {{ x: number, y: number, w: number, h: number }} Rect */

/** Canvas pixels per metre and the floor's origin on the canvas. */
let view = { s: 1, ox: MARGIN_PX, oy: MARGIN_PX };
/** The store without what moves. */
const base = document.createElement('canvas');
let baseBuiltAt = 0;
let baseKey = '';
let baseStale = true;
/** by lane id: where it is drawn (px) */
const laneRects = /** @type {Map<string, Rect>} */ (new Map());
/** by lane id: the heat layer's intensity, 0–1 (empty: the layer is off) */
let heat = /** @type {Map<string, number>} */ (new Map());

/**
 * Shows the heat layer (by lane id, 0–1), or hides it with an empty map.
 * @param {Map<string, number>} intensities
 */
export function setHeat(intensities) {
  heat = intensities;
}

/** @param {number} x */
const X = (x) => view.ox + x * view.s;
/** @param {number} y */
const Y = (y) => view.oy + y * view.s;

/**
 * @param {FloorLayout['shelves'][number]['lanes'][number]} lane
 * @param {string} shelfId
 */
function laneColour(lane, shelfId) {
  const cell = cellHealth(shelfId, lane.loadCell);
  if (cell && cell !== 'live') return '#8957e5';
  const st = stockOf(lane.id);
  if (!st || !lane.sku) return '#2b3440';
  if (st.units === 0) return '#f85149';
  if (st.units <= Math.max(1, Math.floor(st.capacity * LOW_SHARE))) return '#e3b341';
  return st.misplaced.length ? '#58a6ff' : '#2d6a4f';
}

/**
 * @param {CanvasRenderingContext2D | null} context
 * @returns {CanvasRenderingContext2D}
 */
function must2d(context) {
  if (context === null) throw new Error('no 2D canvas in this browser');
  return context;
}

/**
 * @param {FloorLayout} layout
 * @param {number} w css px
 * @param {number} h css px
 * @param {number} dpr
 * @param {number} now
 */
function buildBase(layout, w, h, dpr, now) {
  const key = `${w}x${h}x${dpr}`;
  if (key === baseKey && (!baseStale || now - baseBuiltAt < BASE_REBUILD_MS)) return;
  baseKey = key;
  baseBuiltAt = now;
  baseStale = false;
  base.width = w * dpr;
  base.height = h * dpr;
  const b = must2d(base.getContext('2d'));
  b.setTransform(dpr, 0, 0, dpr, 0, 0);
  const f = layout.floor;
  const s = view.s;
  b.fillStyle = '#141b22';
  b.fillRect(X(0), Y(0), f.widthM * s, f.depthM * s);
  b.strokeStyle = '#243040';
  b.strokeRect(X(0), Y(0), f.widthM * s, f.depthM * s);
  b.font = '11px system-ui';
  for (const shelf of layout.shelves) {
    const left = shelf.position.x - shelf.widthM / 2;
    const top = shelf.position.y - shelf.depthM / 2;
    b.fillStyle = '#1f2933';
    b.fillRect(X(left), Y(top), shelf.widthM * s, shelf.depthM * s);
    const lw = shelf.widthM / shelf.lanes.length;
    shelf.lanes.forEach((lane, i) => {
      const rect = { x: X(left + i * lw) + 1, y: Y(top) + 1, w: lw * s - 2, h: shelf.depthM * s - 2 };
      laneRects.set(lane.id, rect);
      b.fillStyle = laneColour(lane, shelf.id);
      b.fillRect(rect.x, rect.y, rect.w, rect.h);
    });
    b.fillStyle = '#8b98a5';
    b.fillText(shelf.id, X(left), Y(top) - 3);
  }
  for (const g of layout.gates) {
    b.fillStyle = g.kind === 'entry' ? '#3fb68b' : '#f0883e';
    b.fillRect(X(g.position.x) - 10, Y(g.position.y) - 4, 20, 8);
    b.fillText(g.id, X(g.position.x) - 12, Y(g.position.y) + 16);
  }
  // floor marks (calibration): a small cross with its id
  b.strokeStyle = '#c9a227';
  for (const m of layout.floorMarks) {
    const mx = X(m.position.x);
    const my = Y(m.position.y);
    b.beginPath();
    b.moveTo(mx - 4, my);
    b.lineTo(mx + 4, my);
    b.moveTo(mx, my - 4);
    b.lineTo(mx, my + 4);
    b.stroke();
    b.fillStyle = '#6e6130';
    b.fillText(m.id, mx + 5, my - 3);
  }
  b.strokeStyle = '#30363d';
  for (const c of layout.cameras) {
    b.beginPath();
    b.arc(X(c.position.x), Y(c.position.y), 5, 0, Math.PI * 2);
    b.stroke();
  }
}

/** One colour per session: a party's people share it. @param {string} sessionId */
function sessionColour(sessionId) {
  let hash = 0;
  for (const c of sessionId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  // golden-angle steps keep the hues of a few shoppers far apart
  return `hsl(${Math.round((hash % 1000) * 137.508) % 360},70%,60%)`;
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} now
 * @param {number} elapsedMs since the last frame
 */
function drawMoving(ctx, now, elapsedMs) {
  for (const [lane, intensity] of heat) {
    const rect = laneRects.get(lane);
    if (rect === undefined || intensity <= 0) continue;
    // from a faint amber to a strong red, over the lane and a little into the aisle before it
    ctx.fillStyle = `rgba(255,${Math.round(180 - 150 * intensity)},40,${0.25 + 0.6 * intensity})`;
    ctx.fillRect(rect.x - 2, rect.y - 2, rect.w + 4, rect.h + 4);
    // outlined, so a hot lane is never taken for an empty one
    ctx.strokeStyle = '#ffffff';
    ctx.strokeRect(rect.x - 2, rect.y - 2, rect.w + 4, rect.h + 4);
  }
  for (const [lane, alpha] of flashing(now)) {
    const rect = laneRects.get(lane);
    if (rect === undefined) continue;
    ctx.fillStyle = `rgba(255,255,255,${alpha})`;
    ctx.fillRect(rect.x, rect.y, rect.w, rect.h);
  }
  glide(now, elapsedMs);
  for (const m of liveMarkers()) {
    const colour = m.sessionId ? sessionColour(m.sessionId) : '#8b98a5';
    ctx.fillStyle = colour;
    ctx.strokeStyle = colour;
    ctx.globalAlpha = m.state === 'tentative' ? 0.5 : 1;
    ctx.beginPath();
    ctx.arc(X(m.shownX), Y(m.shownY), 7, 0, Math.PI * 2);
    ctx.fill();
    for (const hand of m.hands) {
      ctx.beginPath();
      ctx.moveTo(X(m.shownX), Y(m.shownY));
      ctx.lineTo(X(hand.x), Y(hand.y));
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    if (m.sessionId) ctx.fillText(short(m.sessionId).slice(0, 4), X(m.shownX) + 9, Y(m.shownY) - 6);
  }
}

/** Draws the map every animation frame and answers clicks on it. */
export function startMap() {
  const canvas = byId('map', HTMLCanvasElement);
  const ctx = must2d(canvas.getContext('2d'));
  onChange((part) => {
    if (part === 'map') baseStale = true;
  });
  let lastDraw = 0;
  /** @param {number} now */
  const draw = (now) => {
    frameDrawn();
    const dpr = devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== w * dpr || canvas.height !== h * dpr) {
      canvas.width = w * dpr;
      canvas.height = h * dpr;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const layout = storeLayout();
    if (layout) {
      const f = layout.floor;
      view = {
        s: Math.min((w - 2 * MARGIN_PX) / f.widthM, (h - 2 * MARGIN_PX) / f.depthM),
        ox: MARGIN_PX,
        oy: MARGIN_PX,
      };
      buildBase(layout, w, h, dpr, now);
      ctx.drawImage(base, 0, 0);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawMoving(ctx, now, now - lastDraw);
      drawReplay(ctx, now, X, Y);
    }
    lastDraw = now;
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  canvas.onclick = (ev) => {
    const layout = storeLayout();
    if (!layout) return;
    const r = canvas.getBoundingClientRect();
    showDetailAt(
      layout,
      (ev.clientX - r.left - view.ox) / view.s,
      (ev.clientY - r.top - view.oy) / view.s,
      view.s,
    );
  };
}
