// @ts-check
// What the store remembers of the shopper's visits, with consent: "you looked at" (lanes lingered at without
// taking), "you compared" (products weighed against each other, the one kept) and what was considered but not
// bought. Text only, built with h().
/** @import { Behaviour } from './api.js' */
import { h, when } from './dom.js';

/** Items of each list shown. */
const SHOWN = 5;

/** @param {number} ms */
const seconds = (ms) => `${Math.round(ms / 1000)} s`;

/**
 * The behaviour cards, or nothing when the store remembers nothing (no consent, or no visit yet).
 * @param {Behaviour} behaviour
 * @returns {HTMLElement[]}
 */
export function behaviourCards(behaviour) {
  const cards = [];
  if (behaviour.lookedAt.length > 0)
    cards.push(
      h(
        'div',
        { class: 'card', 'data-testid': 'looked-at' },
        h('h2', {}, 'You looked at'),
        ...behaviour.lookedAt
          .slice(0, SHOWN)
          .map((l) =>
            h(
              'div',
              { class: 'row' },
              h('span', {}, l.name),
              h('span', { class: 'muted' }, `${l.looks}× · ${seconds(l.lookedMs)} · ${when(l.lastLookedAt)}`),
            ),
          ),
      ),
    );
  if (behaviour.compared.length > 0)
    cards.push(
      h(
        'div',
        { class: 'card', 'data-testid': 'compared' },
        h('h2', {}, 'You compared'),
        ...behaviour.compared
          .slice(0, SHOWN)
          .map((c) =>
            h(
              'p',
              {},
              c.products.map((p) => p.name).join(' · '),
              h('br'),
              h('span', { class: 'muted' }, `kept ${c.kept.name} · ${when(c.at)}`),
            ),
          ),
      ),
    );
  if (behaviour.consideredNotBought.length > 0)
    cards.push(
      h(
        'div',
        { class: 'card', 'data-testid': 'considered' },
        h('h2', {}, 'Considered, not bought'),
        ...behaviour.consideredNotBought.slice(0, SHOWN).map((c) => h('p', {}, c.name)),
      ),
    );
  return cards;
}
