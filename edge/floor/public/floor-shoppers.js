// @ts-check
// The shoppers inside, with their carts and running totals: the Shoppers panel, and the card shown when
// staff click a person on the map.
/** @import { Marker } from './floor-motion.js' */
import { h } from './floor-dom.js';
import { money, short, time } from './floor-format.js';
import { peopleOf } from './floor-motion.js';
import { productName, shopper, shoppersInside, storeLayout } from './floor-store.js';

const currency = () => storeLayout()?.currency ?? '';

/** @param {HTMLElement} panel */
export function renderShoppers(panel) {
  const inside = shoppersInside();
  panel.replaceChildren(
    ...(inside.length === 0
      ? [h('p', { class: 'muted' }, 'Nobody inside.')]
      : inside.map((s) =>
          h(
            'div',
            { class: 'card info' },
            h('h3', {}, `session ${short(s.sessionId)} · party of ${s.party ?? 1}`),
            h(
              'div',
              { class: 'meta' },
              `in since ${time(s.enteredAt)}`,
              s.doubtful ? ` · ${s.doubtful} doubtful` : '',
            ),
            h(
              'table',
              {},
              s.cart.map((l) => h('tr', {}, h('td', {}, `${l.quantity} ×`), h('td', {}, productName(l.sku)))),
            ),
            h('div', { class: 'row' }, h('b', {}, money(s.totalCents, currency()))),
          ),
        )),
  );
}

/**
 * A person clicked on the map: their session and party, cart and running total.
 * @param {Marker} marker
 * @returns {Node[]}
 */
export function shopperCard(marker) {
  const s = marker.sessionId ? shopper(marker.sessionId) : undefined;
  if (!s)
    return [
      h('h3', {}, `Person ${marker.id}`),
      h(
        'p',
        { class: 'muted' },
        marker.sessionId
          ? `session ${short(marker.sessionId)} has left`
          : 'not bound to a session (came in without a scan?)',
      ),
    ];
  const prices = storeLayout()?.products ?? {};
  return [
    h('h3', {}, `Shopper · session ${short(s.sessionId)}`),
    h(
      'div',
      { class: 'meta' },
      `account ${short(s.accountId)} · party of ${s.party ?? 1} (${peopleOf(s.sessionId)} seen) · in since ${time(s.enteredAt)}`,
      s.doubtful ? ` · ${s.doubtful} doubtful line(s) waiting` : '',
    ),
    h(
      'table',
      {},
      s.cart.length === 0
        ? h('tr', {}, h('td', { class: 'muted' }, 'cart empty'))
        : s.cart.map((l) =>
            h(
              'tr',
              {},
              h('td', {}, `${l.quantity} ×`),
              h('td', {}, productName(l.sku)),
              h('td', {}, money((prices[l.sku]?.priceCents ?? 0) * l.quantity, currency())),
            ),
          ),
    ),
    h('div', { class: 'row' }, h('b', {}, `running total ${money(s.totalCents, currency())}`)),
  ];
}
