// @ts-check
// Walkout floor view: live store map, exceptions to decide, alerts, shoppers and their carts, event feed
// and visit replay, over the edge's floor API and WebSocket. This module wires the others: sign-in, then
// the snapshot, then live messages into the state, which the map and the panels show.
/**
 * @import { FloorMessage } from '../../../shared/floor-messages.ts'
 * @import { StaffSession } from '../../../shared/schemas/floor-staff.ts'
 */
import { announce, renderAlerts, startAlertReminders } from './floor-alerts.js';
import { fetchState } from './floor-api.js';
import { signedIn, signOut } from './floor-auth.js';
import { renderCalibration } from './floor-calibration.js';
import { byId } from './floor-dom.js';
import { renderExceptions } from './floor-exceptions.js';
import { renderFeed, startFeedFilters } from './floor-feed.js';
import { startFrameViewer } from './floor-frames.js';
import { startHeat } from './floor-heat.js';
import { connectLive } from './floor-live.js';
import { showSignedIn, startLogin } from './floor-login.js';
import { startMap } from './floor-map.js';
import { messageArrived, startMetrics } from './floor-metrics.js';
import { flashLanes, updateTracks } from './floor-motion.js';
import { renderVisits } from './floor-replay.js';
import { renderShoppers } from './floor-shoppers.js';
import { applyMessage, loadCarts, loadSnapshot, onChange } from './floor-store.js';
import { startTabs } from './floor-tabs.js';

/** Carts are fetched again at most this often (ms), however busy the store is. */
const CART_REFRESH_MS = 1000;

/** @param {FloorMessage} msg */
function onMessage(msg) {
  messageArrived(msg);
  if (msg.type === 'tracks') {
    updateTracks(msg.data, performance.now());
    return;
  }
  if (msg.type === 'shelf-event') flashLanes(msg.data.lanes, performance.now());
  applyMessage(msg);
  announce(msg);
}

let cartRefresh = /** @type {number | undefined} */ (undefined);
/** A shopper's cart changed: the live messages do not carry carts, the snapshot does. */
function refreshCartsSoon() {
  if (cartRefresh !== undefined) return;
  cartRefresh = window.setTimeout(async () => {
    cartRefresh = undefined;
    if (signedIn()) loadCarts((await fetchState()).sessions);
  }, CART_REFRESH_MS);
}

/** @param {StaffSession} session */
async function start(session) {
  showSignedIn(session);
  await reloadState();
  connectLive(onMessage, reloadState);
}

/** The snapshot, (re)loaded: at sign-in and after the live connection was lost (an edge restart). */
async function reloadState() {
  const snap = await fetchState();
  loadSnapshot(snap);
  byId('store-name', HTMLElement).textContent = snap.store.name;
}

startMetrics();
startMap();
startFrameViewer();
startHeat();
startFeedFilters();
startAlertReminders();
startTabs({
  exceptions: renderExceptions,
  alerts: renderAlerts,
  shoppers: renderShoppers,
  events: renderFeed,
  visits: renderVisits,
  cameras: renderCalibration,
});
onChange((part) => {
  if (part === 'carts') refreshCartsSoon();
});
startLogin((session) => {
  start(session).catch(signOut);
});
const session = signedIn();
if (session) start(session).catch(signOut);
else showSignedIn(undefined);
