// @ts-check
// The event feed: the latest picks, put-backs and session events, filtered by kind and by a shelf, lane or
// session typed by staff.
/** @import { FeedItem } from './floor-store.js' */
import { byId, h } from './floor-dom.js';
import { money, short, time } from './floor-format.js';
import { feedItems, productName, storeLayout } from './floor-store.js';

/** Items shown at once (the feed keeps more for filtering). */
const ITEMS_SHOWN = 150;

/**
 * @param {FeedItem} m
 * @param {string} kind '' for all
 * @param {string} text lower case, '' for any
 */
function matches(m, kind, text) {
  if (kind && m.data.kind !== kind) return false;
  if (!text) return true;
  const fields =
    m.type === 'shelf-event'
      ? [m.data.shelf, m.data.lane, ...m.data.lanes, m.data.sessionId]
      : [m.data.sessionId];
  return fields.some((v) => v?.toLowerCase().includes(text));
}

/** @param {FeedItem} m */
function feedLine(m) {
  /** @type {string} */
  let what;
  /** @type {number} */
  let at;
  if (m.type === 'shelf-event') {
    const d = m.data;
    const best = d.hypotheses[0];
    what = `${best ? `${best.count} × ${productName(best.sku)}` : 'unknown item'} · ${d.lane} → ${short(d.sessionId)}`;
    at = d.startTs;
  } else {
    const d = m.data;
    const receipt = d.receipt
      ? ` · ${money(d.receipt.totalCents, storeLayout()?.currency ?? '')} ${d.receipt.status}`
      : '';
    what = `session ${short(d.sessionId)}${receipt}`;
    at = d.ts;
  }
  return h(
    'li',
    {},
    h('span', { class: `k ${m.data.kind}` }, m.data.kind),
    ` ${what} `,
    h('span', { class: 'muted' }, time(at)),
  );
}

export function renderFeed() {
  const kind = byId('f-kind', HTMLSelectElement).value;
  const text = byId('f-text', HTMLInputElement).value.trim().toLowerCase();
  byId('feed', HTMLOListElement).replaceChildren(
    ...feedItems()
      .filter((m) => matches(m, kind, text))
      .slice(0, ITEMS_SHOWN)
      .map(feedLine),
  );
}

/** Re-filters as staff change the filters. */
export function startFeedFilters() {
  byId('f-kind', HTMLSelectElement).onchange = renderFeed;
  byId('f-text', HTMLInputElement).oninput = renderFeed;
}
