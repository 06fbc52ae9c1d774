// @ts-check
// Small DOM helpers: element builder (text only, never HTML from data), money and time formatting.

/** @typedef {Node | string | number | false | null | undefined} Child */
/** @typedef {string | number | boolean | null | undefined | ((event: Event) => void)} Attribute */

/**
 * h('div', { class: 'card', onclick }, child, …): an attribute `true` is present, `false`, null or undefined
 * absent; `on…` functions become listeners; children are nodes or text (arrays are flattened).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, Attribute>} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/**
 * @param {number} cents
 * @param {string} [currency] ISO code
 */
export function money(cents, currency = 'EUR') {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
}

/** @param {number} ms since the epoch */
export function when(ms) {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** @param {string} status e.g. paid, pending_review */
export function badge(status) {
  return h('span', { class: `badge ${status}`, 'data-status': status }, status.replace('_', ' '));
}

/**
 * The app's element with this id, of the kind index.html gives it (anything else is a defect of the page).
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} kind
 * @returns {T}
 */
export function byId(id, kind) {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`#${id} is missing or not a ${kind.name}`);
  return element;
}

/**
 * Replaces the screen's content.
 * @param {...Node} nodes
 */
export function show(...nodes) {
  byId('screen', HTMLElement).replaceChildren(...nodes);
}
