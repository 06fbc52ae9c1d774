// @ts-check
// The banner under the header: one short message at a time ("Card added", "Your receipt is ready"), gone
// after 5 s.
import { byId } from './dom.js';

const SHOWN_MS = 5000;

/** @type {number | undefined} */
let hideTimer;

/** @param {string} text */
export function banner(text) {
  const element = byId('banner', HTMLElement);
  element.textContent = text;
  element.hidden = false;
  window.clearTimeout(hideTimer);
  hideTimer = window.setTimeout(() => {
    element.hidden = true;
  }, SHOWN_MS);
}
