// @ts-check
// The heat layer over the map: per lane, over a chosen period, where people dwell or which lanes are looked at
// but rarely taken (looks per pick), from the edge's anonymous floor heat; the lanes ranked beside it.
/** @import { FloorHeatMap } from '../../../shared/schemas/floor-heat.ts' */
import { fetchHeat } from './floor-api.js';
import { byId, h } from './floor-dom.js';
import { setHeat } from './floor-map.js';

/** Lanes listed beside the map. */
const RANKED = 5;
/** The layer is fetched again this often while shown (ms). */
const REFRESH_MS = 60_000;

/** @typedef {'off' | 'dwell' | 'looks-per-pick'} HeatLayer */

/**
 * One lane's value on the chosen layer: dwell seconds, or looks per pick (looks alone when nothing was taken).
 * @param {HeatLayer} layer
 * @param {FloorHeatMap['lanes'][number]} lane
 */
function laneValue(layer, lane) {
  if (layer === 'dwell') return lane.dwellMs / 1000;
  return lane.looks / Math.max(1, lane.picks);
}

/**
 * @param {HeatLayer} layer
 * @param {FloorHeatMap['lanes'][number]} lane
 */
function describe(layer, lane) {
  if (layer === 'dwell') return `${Math.round(lane.dwellMs / 1000)} s dwell`;
  return `${lane.looks} looks / ${lane.picks} picks`;
}

/**
 * @param {HeatLayer} layer
 * @param {FloorHeatMap} map
 */
function show(layer, map) {
  const ranked = map.lanes
    .map((lane) => ({ lane, value: laneValue(layer, lane) }))
    .filter((r) => r.value > 0)
    .sort((a, b) => b.value - a.value || (a.lane.lane < b.lane.lane ? -1 : 1));
  const top = ranked[0]?.value ?? 0;
  setHeat(new Map(ranked.map((r) => [r.lane.lane, top > 0 ? r.value / top : 0])));
  byId('heat-top', HTMLElement).replaceChildren(
    ...(ranked.length === 0
      ? [h('li', { class: 'muted' }, 'Nobody stood at a shelf in this period.')]
      : ranked
          .slice(0, RANKED)
          .map((r) => h('li', {}, h('b', {}, r.lane.lane), ' ', describe(layer, r.lane)))),
  );
}

/** Wires the layer's controls: which layer, over which period (hours back from now). */
export function startHeat() {
  const layerSelect = byId('heat-layer', HTMLSelectElement);
  const periodSelect = byId('heat-period', HTMLSelectElement);
  let timer = /** @type {number | undefined} */ (undefined);
  const refresh = async () => {
    window.clearTimeout(timer);
    const layer = /** @type {HeatLayer} */ (layerSelect.value);
    const panel = byId('heat-top', HTMLElement);
    if (layer === 'off') {
      setHeat(new Map());
      panel.hidden = true;
      return;
    }
    const to = Date.now();
    const from = to - Number(periodSelect.value) * 3_600_000;
    try {
      show(layer, await fetchHeat(from, to));
      panel.hidden = false;
    } catch (err) {
      panel.replaceChildren(h('li', { class: 'muted' }, err instanceof Error ? err.message : String(err)));
      panel.hidden = false;
    }
    timer = window.setTimeout(refresh, REFRESH_MS);
  };
  layerSelect.addEventListener('change', refresh);
  periodSelect.addEventListener('change', refresh);
}
