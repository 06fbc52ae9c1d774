// @ts-check
// The floor's state, owned here and changed only through these functions: layout, stock, sensor health,
// alerts, exceptions and their frames, shoppers inside, past visits and the event feed, from the snapshot
// and the live messages. Whoever shows a part subscribes to learn that it changed.
/**
 * @import { FloorAlert, FloorException, FloorLayout, FloorMessage, FloorShopper, FloorSnapshotMessages,
 *   KeptFrames, PastVisit } from '../../../shared/floor-messages.ts'
 * @import { AlertAck } from '../../../shared/schemas/floor-decisions.ts'
 * @import { LaneStockMessage, ShelfHealthMessage } from '../../../shared/schemas/lane-stock.ts'
 * @import { SessionEvent } from '../../../shared/schemas/session-event.ts'
 */

/**
 * What changed: a panel's content, the map's stock colours, or a shopper's cart (fetch carts again).
 * @typedef {'exceptions' | 'alerts' | 'shoppers' | 'events' | 'visits' | 'map' | 'carts'} Part
 */
/**
 * A shopper inside (those who entered since the snapshot have no gate or status yet).
 * @typedef {Pick<FloorShopper, 'sessionId' | 'accountId' | 'enteredAt' | 'cart' | 'totalCents' | 'doubtful'>
 *   & { party?: number | undefined }} Shopper
 */
/**
 * A lane's stock: from the snapshot, then merged with its live `stock` messages.
 * @typedef {Pick<LaneStockMessage, 'lane' | 'sku' | 'units' | 'capacity' | 'misplaced' | 'uncertain'>} LaneStock
 */
/** @typedef {Extract<FloorMessage, { type: 'shelf-event' | 'session-event' }>} FeedItem */

const FEED_LENGTH = 300;
const VISITS_SHOWN = 30;
/** @type {readonly Part[]} */
const SNAPSHOT_PARTS = ['exceptions', 'alerts', 'shoppers', 'events', 'visits', 'map'];

/** @type {FloorLayout | undefined} */
let layout;
/** by lane id */
const stock = /** @type {Map<string, LaneStock>} */ (new Map());
/** by shelf id: state per load cell id */
const health = /** @type {Map<string, ShelfHealthMessage['cells']>} */ (new Map());
/** by alert id: active alerts */
const alerts = /** @type {Map<string, FloorAlert>} */ (new Map());
/** by exception id: open exceptions, oldest first */
const exceptions = /** @type {Map<string, FloorException>} */ (new Map());
/** by exception id */
const frames = /** @type {Map<string, KeptFrames>} */ (new Map());
/** by session id: shoppers inside */
const shoppers = /** @type {Map<string, Shopper>} */ (new Map());
/** by session id: exit scan time, until the receipt is queued */
const exits = /** @type {Map<string, number>} */ (new Map());
/** @type {PastVisit[]} */
let visits = [];
/** @type {FeedItem[]} newest first */
const feed = [];
/** The exception that arrived last while the page was open (its card is highlighted). */
let freshException = /** @type {string | undefined} */ (undefined);

/** @type {Set<(part: Part) => void>} */
const listeners = new Set();

/** @param {(part: Part) => void} listener */
export function onChange(listener) {
  listeners.add(listener);
}

/** @param {Part} part */
function changed(part) {
  for (const listener of listeners) listener(part);
}

// ---- reading ----

/** The store's layout once the snapshot has loaded. */
export const storeLayout = () => layout;
/** @param {string} sku */
export const productName = (sku) => layout?.products[sku]?.name ?? sku;
/** @param {string} lane */
export const stockOf = (lane) => stock.get(lane);
/** @param {string} shelf @param {string} loadCell */
export const cellHealth = (shelf, loadCell) => health.get(shelf)?.[loadCell];
export const activeAlerts = () => [...alerts.values()];
export const openExceptions = () => [...exceptions.values()];
/** @param {string} exceptionId */
export const exceptionById = (exceptionId) => exceptions.get(exceptionId);
/** @param {string} exceptionId */
export const framesOf = (exceptionId) => frames.get(exceptionId);
export const latestException = () => freshException;
export const shoppersInside = () => [...shoppers.values()];
/** @param {string} sessionId */
export const shopper = (sessionId) => shoppers.get(sessionId);
export const pastVisits = () => visits;
/** @returns {readonly FeedItem[]} newest first */
export const feedItems = () => feed;

// ---- changing ----

/**
 * Everything as the snapshot has it (again after a new sign-in: what happened meanwhile is in it).
 * @param {FloorSnapshotMessages} snap
 */
export function loadSnapshot(snap) {
  for (const map of [stock, health, alerts, exceptions, frames, shoppers, exits]) map.clear();
  feed.length = 0;
  freshException = undefined;
  layout = snap.store;
  for (const lane of snap.stock) stock.set(lane.lane, lane);
  for (const [shelf, cells] of Object.entries(snap.health)) health.set(shelf, cells);
  for (const a of snap.alerts) alerts.set(a.alertId, a);
  for (const x of snap.exceptions) exceptions.set(x.exceptionId, x);
  for (const [id, kept] of Object.entries(snap.exceptionFrames)) frames.set(id, kept);
  for (const s of snap.sessions) shoppers.set(s.sessionId, s);
  for (const m of snap.recent) if (m.type === 'shelf-event' || m.type === 'session-event') addToFeed(m);
  visits = snap.visits;
  for (const part of SNAPSHOT_PARTS) changed(part);
}

/**
 * Carts as a fresh snapshot has them (they change with every line; the live messages do not carry them).
 * @param {FloorShopper[]} sessions
 */
export function loadCarts(sessions) {
  for (const s of sessions) shoppers.set(s.sessionId, s);
  changed('shoppers');
}

/**
 * A live message (tracks excepted: they are what moves on the map, not state).
 * @param {Exclude<FloorMessage, { type: 'tracks' }>} msg
 */
export function applyMessage(msg) {
  switch (msg.type) {
    case 'shelf-event':
      addToFeed(msg);
      cartMayHaveChanged(msg.data.sessionId);
      break;
    case 'session-event':
      addToFeed(msg);
      sessionEvent(msg.data);
      break;
    case 'stock':
      stock.set(msg.data.lane, { ...stock.get(msg.data.lane), ...msg.data });
      changed('map');
      break;
    case 'health':
      health.set(msg.data.shelf, msg.data.cells);
      changed('map');
      break;
    case 'alert': {
      const a = msg.data;
      if ('kind' in a) {
        if (a.state === 'cleared') alerts.delete(a.alertId);
        else alerts.set(a.alertId, a);
      } else acknowledged(a.alertId, a.acknowledged);
      changed('alerts');
      break;
    }
    case 'exception':
      exceptions.set(msg.data.exceptionId, msg.data);
      freshException = msg.data.exceptionId;
      changed('exceptions');
      break;
    case 'exception-updated':
      // no new alarm: the same decision, with fewer shoppers to choose from
      if (exceptions.has(msg.data.exceptionId)) exceptions.set(msg.data.exceptionId, msg.data);
      changed('exceptions');
      break;
    case 'exception-frames':
      frames.set(msg.data.exceptionId, { frames: msg.data.frames, complete: msg.data.complete });
      changed('exceptions');
      break;
    case 'exception-closed':
      exceptions.delete(msg.data.exceptionId);
      frames.delete(msg.data.exceptionId);
      changed('exceptions');
      cartMayHaveChanged(msg.data.event?.sessionId);
      break;
  }
}

/**
 * Someone saw an alert (this page, or another one).
 * @param {string} alertId
 * @param {Pick<AlertAck, 'by' | 'at'>} ack
 */
export function acknowledged(alertId, { by, at }) {
  const known = alerts.get(alertId);
  if (known) alerts.set(alertId, { ...known, acknowledged: { by, at } });
  changed('alerts');
}

/** @param {FeedItem} msg */
function addToFeed(msg) {
  feed.unshift(msg);
  if (feed.length > FEED_LENGTH) feed.pop();
  changed('events');
}

/** @param {string | null | undefined} sessionId */
function cartMayHaveChanged(sessionId) {
  if (sessionId && shoppers.has(sessionId)) changed('carts');
}

/** @param {SessionEvent} e */
function sessionEvent(e) {
  if (e.kind === 'entered')
    shoppers.set(e.sessionId, {
      sessionId: e.sessionId,
      accountId: e.accountId,
      party: e.party,
      enteredAt: e.ts,
      cart: [],
      totalCents: 0,
      doubtful: 0,
    });
  if (e.kind === 'exited') exits.set(e.sessionId, e.ts);
  if (e.kind === 'receipt-queued') {
    const s = shoppers.get(e.sessionId);
    visits = [
      {
        sessionId: e.sessionId,
        accountId: e.accountId,
        enteredAt: s?.enteredAt ?? e.ts,
        exitedAt: exits.get(e.sessionId) ?? e.ts,
      },
      ...visits.filter((v) => v.sessionId !== e.sessionId),
    ].slice(0, VISITS_SHOWN);
    exits.delete(e.sessionId);
    shoppers.delete(e.sessionId);
    changed('visits');
  }
  changed('shoppers');
}
