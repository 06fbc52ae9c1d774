// @ts-check
// The app shell: the screens and the tab bar, and a receipt poller that notices a new receipt within
// seconds of leaving the store.
import { receipts, session } from './api.js';
import { banner } from './banner.js';
import { byId } from './dom.js';
import { refreshPoints } from './points.js';
import { go, startRouter } from './router.js';
import { signInScreen, signUpScreen, walletScreen } from './screens-account.js';
import { enterScreen } from './screens-enter.js';
import { meScreen } from './screens-me.js';
import { receiptsScreen } from './screens-receipts.js';
import { shopScreen } from './screens-shop.js';

const POLL_MS = 2000;

/** What the receipts looked like at the last poll (id, status, refunds), to notice a change. */
let knownReceipts = /** @type {string | undefined} */ (undefined);

async function pollReceipts() {
  if (!session.token || document.hidden) return;
  try {
    const { receipts: list } = await receipts();
    const signature = list.map((r) => `${r.receiptId}:${r.status}:${r.refundedCents}`).join(',');
    if (signature !== knownReceipts) {
      const newest = list[0];
      // the first poll after signing in may already see a new receipt: the open list must show it too
      if (knownReceipts !== undefined && newest && !knownReceipts.includes(newest.receiptId)) {
        banner('Your receipt is ready');
        byId('receipts-dot', HTMLElement).hidden = location.hash === '#receipts';
      }
      if (location.hash === '#receipts') go('receipts');
      refreshPoints();
    }
    knownReceipts = signature;
  } catch {
    // Offline or signed out: the next poll tries again.
  }
}

/**
 * @param {string} name
 * @param {boolean} signedIn
 */
function showTabs(name, signedIn) {
  byId('tabs', HTMLElement).hidden = !signedIn;
  for (const tab of document.querySelectorAll('.tabs a'))
    if (tab instanceof HTMLElement) tab.classList.toggle('active', tab.dataset.tab === name);
  if (name === 'receipts') byId('receipts-dot', HTMLElement).hidden = true;
}

startRouter({
  screens: {
    signin: signInScreen,
    signup: signUpScreen,
    wallet: walletScreen,
    enter: enterScreen,
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
window.setInterval(pollReceipts, POLL_MS);
pollReceipts();
