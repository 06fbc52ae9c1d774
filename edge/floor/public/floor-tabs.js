// @ts-check
// The side panel: its tabs, the counts on them, and re-rendering each panel at most 4 times a second and
// only while it is shown, so a busy store does not drown the page.
import { byId } from './floor-dom.js';
import { activeAlerts, onChange, openExceptions, shoppersInside } from './floor-store.js';

/** @typedef {'exceptions' | 'alerts' | 'shoppers' | 'events' | 'visits' | 'cameras'} Panel */

const RENDER_EVERY_MS = 250;
/** @type {readonly Panel[]} */
const PANELS = ['exceptions', 'alerts', 'shoppers', 'events', 'visits', 'cameras'];

/** Panels whose content changed since they were last rendered. */
const dirty = /** @type {Set<Panel>} */ (new Set());

/** @param {string | undefined} part @returns {part is Panel} */
const isPanel = (part) => PANELS.some((p) => p === part);

function renderCounts() {
  const inside = shoppersInside().length;
  byId('n-exceptions', HTMLElement).textContent = String(openExceptions().length);
  byId('n-alerts', HTMLElement).textContent = String(activeAlerts().length);
  byId('n-shoppers', HTMLElement).textContent = String(inside);
  byId('inside', HTMLElement).textContent = `${inside} inside`;
}

/**
 * Starts the tabs and the render loop; `renderers` draws each panel into its element (#tab-{panel}).
 * @param {Record<Panel, (panel: HTMLElement) => void>} renderers
 */
export function startTabs(renderers) {
  onChange((part) => {
    if (isPanel(part)) dirty.add(part);
  });
  const buttons = [...document.querySelectorAll('#tabs button')].filter(
    (b) => b instanceof HTMLButtonElement,
  );
  for (const button of buttons)
    button.addEventListener('click', () => {
      for (const b of buttons) b.classList.toggle('active', b === button);
      for (const tab of document.querySelectorAll('.tab'))
        if (tab instanceof HTMLElement) tab.hidden = tab.id !== `tab-${button.dataset.tab}`;
      if (isPanel(button.dataset.tab)) dirty.add(button.dataset.tab);
    });
  window.setInterval(() => {
    for (const panel of dirty) {
      const element = byId(`tab-${panel}`, HTMLElement);
      if (element.hidden) continue;
      dirty.delete(panel);
      renderers[panel](element);
    }
    renderCounts();
  }, RENDER_EVERY_MS);
}
