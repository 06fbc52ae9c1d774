// @ts-check
// The live cart while the shopper is inside: each line as the store sees it (product, count, price), lines
// still being decided marked "checking…" and left out of the running total, and "I didn't take this" on a
// counted line, which staff check before the receipt is made.
/** @import { CartEventData } from '../../carts/live-carts.ts' */
import { flagLine, messageOf } from './api.js';
import { banner } from './banner.js';
import { currentCart, onCartStream } from './cart-stream.js';
import { h, money, show } from './dom.js';

/** Lines the shopper flagged here, until the store's next cart shows staff checking them. */
const flaggedHere = new Set();

/**
 * @param {CartEventData} cart
 * @param {CartEventData['lines'][number]} line
 */
function lineView(cart, line) {
  const pendingFlag = flaggedHere.has(`${cart.sessionId}:${line.sku}`) && line.status === 'counted';
  const checking = line.status === 'checking' || pendingFlag;
  /** @param {Event} event */
  const flagIt = async (event) => {
    if (event.currentTarget instanceof HTMLButtonElement) event.currentTarget.disabled = true;
    try {
      await flagLine(cart.sessionId, line.sku);
      flaggedHere.add(`${cart.sessionId}:${line.sku}`);
      banner('Our staff will check this before your receipt is made');
    } catch (err) {
      banner(messageOf(err));
    }
    render();
  };
  return h(
    'li',
    {
      'data-testid': 'cart-line',
      'data-sku': line.sku,
      'data-status': checking ? 'checking' : 'counted',
      class: checking ? 'checking' : undefined,
    },
    h(
      'div',
      { class: 'row' },
      h('span', {}, `${line.count} × ${line.name}`),
      checking
        ? h('em', { class: 'muted', 'data-testid': 'cart-line-checking' }, 'checking…')
        : h('strong', {}, money(line.lineCents, cart.currency)),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'span',
        { class: 'muted' },
        line.flagged || pendingFlag
          ? 'You said you didn’t take this: staff are checking'
          : `${money(line.unitPriceCents, cart.currency)} each`,
      ),
      checking
        ? ''
        : h(
            'button',
            { class: 'ghost small', 'data-testid': 'cart-flag', onclick: flagIt },
            "I didn't take this",
          ),
    ),
  );
}

function render() {
  const cart = currentCart();
  if (cart === undefined) {
    show(
      h('h1', {}, 'Your cart'),
      h(
        'div',
        { class: 'card' },
        h(
          'p',
          { class: 'muted', 'data-testid': 'cart-empty' },
          'You are not in a store. Show your entry pass at the gate: what you take appears here as you shop.',
        ),
      ),
    );
    return;
  }
  const checking = cart.lines.filter((l) => l.status === 'checking').length;
  show(
    h('h1', {}, 'Your cart'),
    h('p', { class: 'muted' }, 'What the store sees you take. Just walk out when you are done.'),
    h(
      'article',
      { class: 'card', 'data-testid': 'live-cart', 'data-seq': cart.seq, 'data-session': cart.sessionId },
      cart.lines.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'cart-nothing-yet' }, 'Nothing yet.')
        : h('ul', { class: 'lines' }, ...cart.lines.map((line) => lineView(cart, line))),
      h(
        'div',
        { class: 'row' },
        h('span', {}, 'Total so far'),
        h('span', { class: 'total', 'data-testid': 'cart-total' }, money(cart.totalCents, cart.currency)),
      ),
      checking > 0
        ? h(
            'p',
            { class: 'muted' },
            `${checking} item(s) being checked: they are added only if they are yours.`,
          )
        : '',
    ),
  );
}

export function cartScreen() {
  render();
  return onCartStream(render);
}
