// "In stock at your store": a store's products with price and units available, reservable for click &
// collect, and the shopper's reservations.
import { api } from './api.js';
import { banner } from './app.js';
import { badge, h, money, show, when } from './dom.js';

const STORE_KEY = 'walkout.store';

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
    const { reservations } = await api('GET', '/v1/me/reservations');
    holds.replaceChildren(
      ...(reservations.length === 0
        ? [h('p', { class: 'muted' }, 'Nothing reserved.')]
        : reservations.map((r) =>
            h(
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
                        await api('POST', `/v1/me/reservations/${r.reservationId}/cancel`);
                        loadHolds();
                      },
                    },
                    'Cancel',
                  )
                : badge(r.status),
            ),
          )),
    );
  };

  const loadProducts = async () => {
    const q = encodeURIComponent(search.value.trim());
    const { products } = await api('GET', `/v1/stores/${encodeURIComponent(picker.value)}/products?q=${q}`);
    results.replaceChildren(
      ...products.slice(0, 30).map((p) =>
        h(
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
            h(
              'button',
              {
                class: 'small',
                disabled: p.available === 0,
                onclick: async () => {
                  try {
                    await api('POST', '/v1/me/reservations', {
                      storeId: picker.value,
                      sku: p.sku,
                      quantity: 1,
                    });
                    banner(`Reserved: ${p.name}`);
                    await Promise.all([loadProducts(), loadHolds()]);
                  } catch (err) {
                    banner(err.message);
                  }
                },
              },
              'Reserve',
            ),
          ),
        ),
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
  let debounce;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(loadProducts, 250);
  });
  picker.addEventListener('change', () => {
    localStorage.setItem(STORE_KEY, picker.value);
    loadProducts();
  });
  api('GET', '/v1/stores')
    .then(({ stores }) => {
      picker.replaceChildren(...stores.map((s) => h('option', { value: s.storeId }, s.name)));
      const saved = localStorage.getItem(STORE_KEY);
      if (saved && stores.some((s) => s.storeId === saved)) picker.value = saved;
      return Promise.all([loadProducts(), loadHolds()]);
    })
    .catch((err) => results.replaceChildren(h('p', { class: 'error' }, err.message)));
  return () => clearTimeout(debounce);
}
