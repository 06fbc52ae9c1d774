// @ts-check
// The app's one live connection to the cloud: the Server-Sent Events stream of the shopper's live cart and
// receipts (GET /v1/me/cart/stream). Read with fetch, not EventSource, so the session travels in the
// Authorization header as on every other call; reconnects with Last-Event-ID after a drop. Keeps the newest
// cart of each visit (by sequence) and tells the screens and the shell what changed.
/** @import { CartEventData, ReceiptEventData } from '../../carts/live-carts.ts' */
import { session } from './api.js';

const RECONNECT_MS = 2000;

/** by session id: the newest cart of each visit in progress */
const carts = new Map();
/** @type {Set<(event: { kind: 'cart', cart: CartEventData } | { kind: 'receipt', receipt: ReceiptEventData }) => void>} */
const listeners = new Set();
/** Receipt ids already announced (a reconnect repeats the last minutes). */
const seenReceipts = new Set();
/** @type {string | undefined} */
let lastEventId;
/** @type {AbortController | undefined} */
let connection;

/** The visit in progress (the newest cart not yet replaced by its receipt), or undefined. */
export function currentCart() {
  /** @type {CartEventData | undefined} */
  let newest;
  for (const cart of carts.values()) if (newest === undefined || cart.ts > newest.ts) newest = cart;
  return newest;
}

/** @param {(event: { kind: 'cart', cart: CartEventData } | { kind: 'receipt', receipt: ReceiptEventData }) => void} listener */
export function onCartStream(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Opens the stream (again) for the signed-in shopper; harmless when it is open. */
export function startCartStream() {
  if (connection !== undefined || !session.token) return;
  connection = new AbortController();
  const signal = connection.signal;
  run(signal).finally(() => {
    if (connection?.signal === signal) connection = undefined;
  });
}

/** Closes it (signing out). */
export function stopCartStream() {
  connection?.abort();
  connection = undefined;
  carts.clear();
  lastEventId = undefined;
}

/** @param {AbortSignal} signal */
async function run(signal) {
  while (!signal.aborted && session.token) {
    try {
      /** @type {Record<string, string>} */
      const headers = { authorization: `Bearer ${session.token}`, accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const response = await fetch('/v1/me/cart/stream', { headers, signal, cache: 'no-store' });
      if (response.status === 401) return;
      if (response.ok && response.body) await read(response.body);
    } catch {
      // offline, or the cloud restarted: try again shortly
    }
    if (!signal.aborted) await new Promise((resolve) => window.setTimeout(resolve, RECONNECT_MS));
  }
}

/** @param {ReadableStream<Uint8Array>} body */
async function read(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
    }
  }
}

/** @param {string} block one event's lines */
function dispatch(block) {
  let id = '';
  let kind = '';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) kind = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (!id || !data) return;
  lastEventId = id;
  const payload = JSON.parse(data);
  if (kind === 'cart') {
    const cart = /** @type {CartEventData} */ (payload);
    const known = carts.get(cart.sessionId);
    if (known !== undefined && known.seq >= cart.seq) return;
    carts.set(cart.sessionId, cart);
    for (const listener of listeners) listener({ kind: 'cart', cart });
  } else if (kind === 'receipt') {
    const receipt = /** @type {ReceiptEventData} */ (payload);
    carts.delete(receipt.visitId);
    if (seenReceipts.has(receipt.receiptId)) return;
    seenReceipts.add(receipt.receiptId);
    for (const listener of listeners) listener({ kind: 'receipt', receipt });
  }
}
