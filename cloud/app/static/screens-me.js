// @ts-check
// The shopper's own profile: points, purchases in store and online, what the store remembers (with
// consent), consent switches, export of all their data, erasure, sign-out.
/** @import { Consent, Purchase } from './api.js' */
import {
  eraseAccount,
  exportMyData,
  history,
  messageOf,
  profile,
  session,
  setConsent,
  signOut,
} from './api.js';
import { banner } from './banner.js';
import { behaviourCards } from './behaviour-view.js';
import { badge, h, money, show, when } from './dom.js';
import { go } from './router.js';

/** @param {Purchase[]} purchases */
function historyView(purchases) {
  if (purchases.length === 0) return h('p', { class: 'muted' }, 'No purchases yet.');
  return h(
    'ul',
    { class: 'lines', 'data-testid': 'history' },
    ...purchases.map((p) =>
      h(
        'li',
        {},
        h(
          'div',
          { class: 'row' },
          h('span', {}, p.channel === 'store' ? 'In store' : 'Online', ' · ', when(p.at)),
          h('strong', {}, money(p.totalCents, p.currency)),
        ),
        h(
          'div',
          { class: 'row muted' },
          h('span', {}, `${p.items} items · +${p.pointsEarned} pts`),
          badge(p.status),
        ),
      ),
    ),
  );
}

export function meScreen() {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  show(h('h1', {}, 'Me'), body);
  Promise.all([profile(), history()])
    .then(([me, past]) => {
      body.replaceChildren(
        h(
          'div',
          { class: 'card' },
          h(
            'div',
            { class: 'row' },
            h('strong', {}, me.name),
            h('span', { class: 'total', 'data-testid': 'points-balance' }, `${me.points} pts`),
          ),
          h('p', { class: 'muted' }, me.email),
          h('a', { href: '#wallet' }, 'Payment methods'),
        ),
        h('h2', {}, 'Purchases, in store and online'),
        h('div', { class: 'card' }, historyView(past.purchases)),
        ...behaviourCards(me.behaviour),
        h('h2', {}, 'Privacy'),
        privacyCard(me.consent),
        h(
          'button',
          {
            class: 'ghost wide',
            onclick: () => {
              // Signed out here whatever the network says; the server revokes the token when it hears.
              signOut()
                .catch(() => undefined)
                .finally(() => go('signin'));
            },
          },
          'Sign out',
        ),
      );
    })
    .catch((err) => body.replaceChildren(h('p', { class: 'error' }, messageOf(err))));
}

/**
 * Consent switches (each saved as it changes), what consent means, export and erasure.
 * @param {Consent} given
 */
function privacyCard(given) {
  /** @type {Consent} */
  const consent = { ...given };
  /**
   * @param {keyof Consent} key
   * @param {string} text
   */
  const toggle = (key, text) => {
    const input = h('input', {
      type: 'checkbox',
      'data-testid': `consent-${key}`,
      checked: consent[key],
    });
    input.addEventListener('change', async () => {
      consent[key] = input.checked;
      await setConsent(consent);
      banner('Saved');
    });
    return h('label', { class: 'switch' }, h('span', {}, text), input);
  };
  return h(
    'div',
    { class: 'card' },
    toggle('behaviourTracking', 'Remember what I look at and compare in store, for my profile and offers'),
    toggle('marketing', 'Send me offers by email'),
    h(
      'p',
      { class: 'muted' },
      'Without consent the store keeps only what your bill needs. No cameras recognise faces.',
    ),
    h(
      'p',
      { class: 'muted', 'data-testid': 'consent-text' },
      'With it, the store works out from where you stood and what you picked up: shelves you lingered at ',
      'without taking (3 s or more), products you compared, time per aisle and category, time to your ',
      'first pick and a rough path. It is sent with your visit, kept with your account until you switch ',
      'this off or erase your account (then deleted), shown only to you and used for your offers; staff ',
      'see only totals without names.',
    ),
    h('button', { class: 'ghost wide', onclick: exportData }, 'Download my data'),
    h('button', { class: 'danger wide', onclick: erase }, 'Erase my account'),
  );
}

async function exportData() {
  const data = await exportMyData();
  const link = h('a', {
    href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })),
    download: 'walkout-my-data.json',
  });
  link.click();
}

async function erase() {
  const password = prompt(
    'This erases your account and data. Receipts are kept anonymised where the law requires. Enter your password to confirm:',
  );
  if (!password) return;
  try {
    await eraseAccount(password);
    session.clear();
    go('signup');
    banner('Your account and data are erased.');
  } catch (err) {
    banner(messageOf(err));
  }
}
