// @ts-check
// Hash routing between screens (#enter, #receipts, …): showing one stops the work of the one left; a
// signed-out shopper only sees the public screens. Screens import `go` from here, and the shell gives
// the screens to `startRouter`, so no screen imports the shell.
import { session } from './api.js';

/**
 * A screen draws itself into #screen; it may return what to stop when the shopper leaves it (timers).
 * @typedef {() => (void | (() => void))} Screen
 */
/**
 * @typedef {object} Routes
 * @property {Record<string, Screen>} screens by name (the hash without #)
 * @property {string} home shown for an empty or unknown hash
 * @property {string} signIn shown instead of a screen that needs a session
 * @property {ReadonlySet<string>} publicScreens shown without a session
 * @property {(name: string, signedIn: boolean) => void} onRoute before a screen is shown (the tab bar)
 */

/** @type {Routes | undefined} */
let routes;
/** Work of the current screen to stop when leaving it. */
let leaveScreen = () => {};

/** Shows a screen (again, if it is the current one). @param {string} name */
export function go(name) {
  if (location.hash === `#${name}`) route();
  else location.hash = name;
}

function route() {
  if (routes === undefined) return;
  leaveScreen();
  leaveScreen = () => {};
  let name = location.hash.slice(1) || routes.home;
  if (!(name in routes.screens)) name = routes.home;
  const signedIn = Boolean(session.token);
  if (!signedIn && !routes.publicScreens.has(name)) name = routes.signIn;
  routes.onRoute(name, signedIn);
  const leave = routes.screens[name]?.();
  if (typeof leave === 'function') leaveScreen = leave;
}

/** Shows the screen the hash names, and follows the hash from now on. @param {Routes} table */
export function startRouter(table) {
  routes = table;
  window.addEventListener('hashchange', route);
  route();
}
