// @ts-check
// The app shell: the screens and the tab bar, and the live stream from the cloud (cart-stream.js): the cart
// screen opens when the shopper is let in, and a receipt is announced the moment it exists.
import { session } from './api.js';
import { banner } from './banner.js';
import { onCartStream, startCartStream, stopCartStream } from './cart-stream.js';
import { byId } from './dom.js';
import { refreshPoints } from './points.js';
import { go, startRouter } from './router.js';
import { signInScreen, signUpScreen, walletScreen } from './screens-account.js';
import { cartScreen } from './screens-cart.js';
import { enterScreen } from './screens-enter.js';
import { meScreen } from './screens-me.js';
import { receiptsScreen } from './screens-receipts.js';
import { shopScreen } from './screens-shop.js';

/**
 * When each stream event reached the page (wall clock, ms), by event: tests and the bench measure shelf →
 * screen and exit → receipt on screen with it.
 * @type {{ carts: { sessionId: string, seq: number, eventId: string | undefined, at: number }[], receipts: { receiptId: string, exitedAt: number, at: number }[] }}
 */
const arrivals = { carts: [], receipts: [] };
Object.assign(window, { __cart: arrivals });
const ARRIVALS_KEPT = 500;

/** Visits whose cart has been seen: the first cart of a new one opens the cart screen. */
const visitsSeen = new Set();

onCartStream((event) => {
  const at = performance.timeOrigin + performance.now();
  if (event.kind === 'cart') {
    const eventId = event.cart.change?.eventId;
    arrivals.carts.push({ sessionId: event.cart.sessionId, seq: event.cart.seq, eventId, at });
    if (arrivals.carts.length > ARRIVALS_KEPT) arrivals.carts.shift();
    if (!visitsSeen.has(event.cart.sessionId)) {
      visitsSeen.add(event.cart.sessionId);
      if (location.hash === '' || location.hash === '#enter') go('cart');
    }
    byId('cart-dot', HTMLElement).hidden = location.hash === '#cart';
    return;
  }
  arrivals.receipts.push({ receiptId: event.receipt.receiptId, exitedAt: event.receipt.exitedAt, at });
  if (arrivals.receipts.length > ARRIVALS_KEPT) arrivals.receipts.shift();
  banner('Your receipt is ready');
  if (location.hash === '#cart' || location.hash === '#receipts') go('receipts');
  else byId('receipts-dot', HTMLElement).hidden = false;
  refreshPoints();
});

/**
 * @param {string} name
 * @param {boolean} signedIn
 */
function showTabs(name, signedIn) {
  byId('tabs', HTMLElement).hidden = !signedIn;
  for (const tab of document.querySelectorAll('.tabs a'))
    if (tab instanceof HTMLElement) tab.classList.toggle('active', tab.dataset.tab === name);
  if (name === 'receipts') byId('receipts-dot', HTMLElement).hidden = true;
  if (name === 'cart') byId('cart-dot', HTMLElement).hidden = true;
  if (signedIn) startCartStream();
  else stopCartStream();
}

startRouter({
  screens: {
    signin: signInScreen,
    signup: signUpScreen,
    wallet: walletScreen,
    enter: enterScreen,
    cart: cartScreen,
    receipts: receiptsScreen,
    shop: shopScreen,
    me: meScreen,
  },
  home: 'enter',
  signIn: 'signin',
  publicScreens: new Set(['signin', 'signup']),
  onRoute: showTabs,
});
if (session.token) refreshPoints();
