// @ts-check
// The box beside the map saying what staff clicked: a person (their shopper card) or a shelf, lane by lane
// with its product, units, misplaced items and sensor state.
/** @import { FloorLayout } from '../../../shared/floor-messages.ts' */
import { byId, h } from './floor-dom.js';
import { markerNear } from './floor-motion.js';
import { shopperCard } from './floor-shoppers.js';
import { cellHealth, productName, stockOf } from './floor-store.js';

/** A click this close to a marker (px) picks the person rather than what is under them. */
const PICK_RADIUS_PX = 12;
/** A click this far in front of or behind a shelf (m) still picks it. */
const SHELF_MARGIN_M = 0.3;

/** @param {FloorLayout['shelves'][number]} shelf */
function shelfCard(shelf) {
  return [
    h('h3', {}, `Shelf ${shelf.id}`),
    h(
      'table',
      {},
      h('tr', {}, h('th', {}, 'lane'), h('th', {}, 'product'), h('th', {}, 'units'), h('th', {}, 'sensor')),
      shelf.lanes.map((l) => {
        const st = stockOf(l.id);
        const misplaced = st?.misplaced ?? [];
        return h(
          'tr',
          {},
          h('td', {}, l.id),
          h(
            'td',
            {},
            l.sku ? productName(l.sku) : '—',
            misplaced.length
              ? [
                  h('br'),
                  h(
                    'span',
                    { class: 'muted' },
                    `misplaced: ${misplaced.map((m) => `${m.count} × ${productName(m.sku)}`).join(', ')}`,
                  ),
                ]
              : null,
          ),
          h('td', {}, st ? `${st.units}/${st.capacity}${st.uncertain ? ' ?' : ''}` : '–'),
          h('td', {}, cellHealth(shelf.id, l.loadCell) ?? '–'),
        );
      }),
    ),
  ];
}

/**
 * Shows what is at a floor point (metres), or hides the box when nothing is.
 * @param {FloorLayout} layout
 * @param {number} x
 * @param {number} y
 * @param {number} scale canvas pixels per metre
 */
export function showDetailAt(layout, x, y, scale) {
  const box = byId('shelf-detail', HTMLElement);
  const marker = markerNear(x, y, PICK_RADIUS_PX / scale);
  const shelf = layout.shelves.find(
    (sh) =>
      Math.abs(x - sh.position.x) <= sh.widthM / 2 &&
      Math.abs(y - sh.position.y) <= sh.depthM / 2 + SHELF_MARGIN_M,
  );
  const content = marker ? shopperCard(marker) : shelf ? shelfCard(shelf) : undefined;
  box.hidden = content === undefined;
  if (content) box.replaceChildren(...content);
}
