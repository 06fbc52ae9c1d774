// @ts-check
// The live connection: a WebSocket to the edge handing each message on, the live/reconnecting indicator,
// and a reconnect every second while someone is signed in.
/** @import { FloorMessage } from '../../../shared/floor-messages.ts' */
import { liveUrl } from './floor-api.js';
import { onSignOut, signedIn } from './floor-auth.js';
import { byId } from './floor-dom.js';

const RECONNECT_MS = 1000;

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
 * Connects (again, if a connection is open) and hands every message to `onMessage`.
 * @param {(message: FloorMessage) => void} onMessage
 */
export function connectLive(onMessage) {
  const token = signedIn()?.token;
  if (token === undefined) return;
  socket?.close();
  const ws = new WebSocket(liveUrl(token));
  socket = ws;
  ws.onopen = () => showConnected(true, 'live');
  ws.onclose = () => {
    // a socket replaced, or closed on sign-out, is not reconnected
    if (socket !== ws) return;
    showConnected(false, 'reconnecting…');
    window.setTimeout(() => {
      if (socket === ws && signedIn()) connectLive(onMessage);
    }, RECONNECT_MS);
  };
  ws.onmessage = (event) => onMessage(/** @type {FloorMessage} */ (JSON.parse(String(event.data))));
}
