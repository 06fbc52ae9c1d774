// @ts-check
// "In stock at your store": a store's products with price and units available, reservable for click &
// collect, and the shopper's reservations.
import { cancelReservation, messageOf, productsAt, reservations, reserve, STORE_KEY, stores } from './api.js';
import { banner } from './banner.js';
import { badge, h, money, show, when } from './dom.js';

/** Products listed at once. */
const PRODUCTS_SHOWN = 30;
/** Wait this long after the last keystroke before searching (ms). */
const SEARCH_DEBOUNCE_MS = 250;

export function shopScreen() {
  const picker = h('select', { id: 'store', 'aria-label': 'Your store' });
  const search = h('input', {
    type: 'search',
    placeholder: 'Search products',
    'aria-label': 'Search products',
  });
  const results = h('div', { 'data-testid': 'products' });
  const holds = h('div', { 'data-testid': 'reservations' });

  const loadHolds = async () => {
    const { reservations: list } = await reservations();
    holds.replaceChildren(
      ...(list.length === 0
        ? [h('p', { class: 'muted' }, 'Nothing reserved.')]
        : list.map((r) => reservationRow(r, loadHolds))),
    );
  };

  const loadProducts = async () => {
    const { products } = await productsAt(picker.value, search.value.trim());
    results.replaceChildren(
      ...products.slice(0, PRODUCTS_SHOWN).map((p) =>
        productCard(p, async () => {
          try {
            await reserve({ storeId: picker.value, sku: p.sku, quantity: 1 });
            banner(`Reserved: ${p.name}`);
            await Promise.all([loadProducts(), loadHolds()]);
          } catch (err) {
            banner(messageOf(err));
          }
        }),
      ),
    );
  };

  show(
    h('h1', {}, 'In stock at your store'),
    h(
      'div',
      { class: 'card' },
      h('label', { for: 'store' }, 'Your store'),
      picker,
      h('label', {}, 'Product'),
      search,
    ),
    results,
    h('h2', {}, 'Click & collect'),
    holds,
  );
  /** @type {number | undefined} */
  let debounce;
  search.addEventListener('input', () => {
    window.clearTimeout(debounce);
    debounce = window.setTimeout(loadProducts, SEARCH_DEBOUNCE_MS);
  });
  picker.addEventListener('change', () => {
    localStorage.setItem(STORE_KEY, picker.value);
    loadProducts();
  });
  stores()
    .then(({ stores: all }) => {
      picker.replaceChildren(...all.map((s) => h('option', { value: s.storeId }, s.name)));
      const saved = localStorage.getItem(STORE_KEY);
      if (saved && all.some((s) => s.storeId === saved)) picker.value = saved;
      return Promise.all([loadProducts(), loadHolds()]);
    })
    .catch((err) => results.replaceChildren(h('p', { class: 'error' }, messageOf(err))));
  return () => window.clearTimeout(debounce);
}

/**
 * One reservation, with a Cancel button while it is held.
 * @param {import('./api.js').Reservation} r
 * @param {() => void} onCancelled
 */
function reservationRow(r, onCancelled) {
  return h(
    'div',
    { class: 'row card' },
    h(
      'span',
      {},
      `${r.quantity} × ${r.sku} at ${r.storeId}`,
      h('br'),
      h('span', { class: 'muted' }, `until ${when(r.expiresAt)}`),
    ),
    r.status === 'held'
      ? h(
          'button',
          {
            class: 'ghost small',
            onclick: async () => {
              await cancelReservation(r.reservationId);
              onCancelled();
            },
          },
          'Cancel',
        )
      : badge(r.status),
  );
}

/**
 * One product with its price, what is in stock here, and a Reserve button.
 * @param {import('./api.js').StockedProduct} p
 * @param {() => Promise<void>} onReserve
 */
function productCard(p, onReserve) {
  return h(
    'div',
    { class: 'card', 'data-testid': 'product', 'data-sku': p.sku },
    h('div', { class: 'row' }, h('strong', {}, p.name), h('span', {}, money(p.priceCents, p.currency))),
    h(
      'div',
      { class: 'row' },
      h(
        'span',
        { class: 'muted', 'data-testid': 'availability' },
        p.available > 0 ? `${p.available} in stock here` : 'Out of stock here',
      ),
      h('button', { class: 'small', disabled: p.available === 0, onclick: onReserve }, 'Reserve'),
    ),
  );
}
