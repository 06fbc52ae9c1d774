// The app shell: hash routing between screens, the tab bar, the points pill, and a receipt poller that
// notices a new receipt within seconds of leaving the store.
import { api, session } from './api.js';
import { signInScreen, signUpScreen, walletScreen } from './screens-account.js';
import { enterScreen } from './screens-enter.js';
import { meScreen } from './screens-me.js';
import { receiptsScreen } from './screens-receipts.js';
import { shopScreen } from './screens-shop.js';

const SCREENS = {
  signin: signInScreen,
  signup: signUpScreen,
  wallet: walletScreen,
  enter: enterScreen,
  receipts: receiptsScreen,
  shop: shopScreen,
  me: meScreen,
};
const PUBLIC = new Set(['signin', 'signup']);
const POLL_MS = 2000;

/** Work of the current screen to stop when leaving it (timers). */
let leaveScreen = () => {};
let knownReceipts;

export function go(name) {
  if (location.hash === `#${name}`) route();
  else location.hash = name;
}

export function banner(text) {
  const element = document.getElementById('banner');
  element.textContent = text;
  element.hidden = false;
  clearTimeout(banner.timer);
  banner.timer = setTimeout(() => {
    element.hidden = true;
  }, 5000);
}

export async function refreshPoints() {
  const pill = document.getElementById('points');
  try {
    const { points } = await api('GET', '/v1/me/history');
    pill.textContent = `${points} pts`;
    pill.hidden = false;
  } catch {
    pill.hidden = true;
  }
}

async function pollReceipts() {
  if (!session.token || document.hidden) return;
  try {
    const { receipts } = await api('GET', '/v1/me/receipts');
    const signature = receipts.map((r) => `${r.receiptId}:${r.status}:${r.refundedCents}`).join(',');
    if (signature !== knownReceipts) {
      const newest = receipts[0];
      // the first poll after signing in may already see a new receipt: the open list must show it too
      if (knownReceipts !== undefined && newest && !knownReceipts.includes(newest.receiptId)) {
        banner('Your receipt is ready');
        document.getElementById('receipts-dot').hidden = location.hash === '#receipts';
      }
      if (location.hash === '#receipts') route();
      refreshPoints();
    }
    knownReceipts = signature;
  } catch {
    // Offline or signed out: the next poll tries again.
  }
}

function route() {
  leaveScreen();
  leaveScreen = () => {};
  let name = location.hash.slice(1) || 'enter';
  if (!(name in SCREENS)) name = 'enter';
  if (!session.token && !PUBLIC.has(name)) name = 'signin';
  const signedIn = Boolean(session.token);
  document.getElementById('tabs').hidden = !signedIn;
  for (const tab of document.querySelectorAll('.tabs a')) {
    tab.classList.toggle('active', tab.dataset.tab === name);
  }
  if (name === 'receipts') document.getElementById('receipts-dot').hidden = true;
  const leave = SCREENS[name]();
  if (typeof leave === 'function') leaveScreen = leave;
}

window.addEventListener('hashchange', route);
route();
if (session.token) refreshPoints();
setInterval(pollReceipts, POLL_MS);
pollReceipts();
