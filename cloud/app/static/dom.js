// Small DOM helpers: element builder (text only, never HTML from data), money and time formatting.

/** h('div', { class: 'card', onclick }, child, …): children are nodes or text. */
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

export function money(cents, currency = 'EUR') {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
}

export function when(ms) {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function badge(status) {
  return h('span', { class: `badge ${status}`, 'data-status': status }, status.replace('_', ' '));
}

/** Replaces the screen's content. */
export function show(...nodes) {
  const screen = document.getElementById('screen');
  screen.replaceChildren(...nodes);
}
