// @ts-check
// The live connection: a WebSocket to the edge handing each message on, the live/reconnecting indicator,
// and, while someone is signed in, a reconnect with backoff (1 s doubling to 30 s, jittered) after an edge
// restart: the page first reloads its state (a 401 there means the sign-in expired, and signs the page out
// so the sign-in form shows), then opens the socket again.
/** @import { FloorMessage } from '../../../shared/floor-messages.ts' */
import { liveUrl } from './floor-api.js';
import { onSignOut, signedIn } from './floor-auth.js';
import { byId } from './floor-dom.js';

const RECONNECT_FIRST_MS = 1000;
const RECONNECT_MAX_MS = 30_000;

/** Failed reconnects in a row (0 while live). */
let failures = 0;

/** The wait before the next reconnect: doubling, capped, half of it random so pages do not return together. */
function reconnectDelay() {
  const step = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.min(failures, 10));
  return step / 2 + Math.random() * (step / 2);
}

/** @type {WebSocket | undefined} */
let socket;

onSignOut(() => {
  const open = socket;
  socket = undefined;
  open?.close();
  showConnected(false, 'offline');
});

/**
 * @param {boolean} live
 * @param {string} text
 */
function showConnected(live, text) {
  byId('conn', HTMLElement).className = live ? 'dot on' : 'dot off';
  byId('conn-text', HTMLElement).textContent = text;
}

/**
 * Connects (again, if a connection is open) and hands every message to `onMessage`. After a lost connection,
 * `reload` runs before the socket is opened again (it reloads the snapshot; it throws when the edge cannot be
 * reached yet or the sign-in is no longer valid).
 * @param {(message: FloorMessage) => void} onMessage
 * @param {() => Promise<void>} reload
 */
export function connectLive(onMessage, reload) {
  const token = signedIn()?.token;
  if (token === undefined) return;
  socket?.close();
  const ws = new WebSocket(liveUrl(token));
  socket = ws;
  ws.onopen = () => {
    failures = 0;
    showConnected(true, 'live');
  };
  ws.onclose = () => {
    // a socket replaced, or closed on sign-out, is not reconnected
    if (socket !== ws) return;
    showConnected(false, 'reconnecting…');
    window.setTimeout(async () => {
      if (socket !== ws || !signedIn()) return;
      try {
        await reload();
      } catch {
        // the edge is still restarting (or signed the page out): try again later
        if (socket === ws && signedIn()) ws.onclose?.(new CloseEvent('close'));
        return;
      }
      if (socket === ws && signedIn()) connectLive(onMessage, reload);
    }, reconnectDelay());
    failures++;
  };
  ws.onmessage = (event) => onMessage(/** @type {FloorMessage} */ (JSON.parse(String(event.data))));
}
