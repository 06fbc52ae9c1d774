// The shopper's own profile: points, purchases in store and online, what the store remembers (with
// consent), consent switches, export of all their data, erasure, sign-out.
import { api, session } from './api.js';
import { banner, go } from './app.js';
import { badge, h, money, show, when } from './dom.js';

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
  Promise.all([api('GET', '/v1/me/profile'), api('GET', '/v1/me/history')])
    .then(([profile, history]) => {
      const consent = { ...profile.consent };
      const toggle = (key, text) =>
        h(
          'label',
          { class: 'switch' },
          h('span', {}, text),
          h('input', {
            type: 'checkbox',
            'data-testid': `consent-${key}`,
            checked: consent[key],
            onchange: async (event) => {
              consent[key] = event.target.checked;
              await api('PUT', '/v1/me/consent', consent);
              banner('Saved');
            },
          }),
        );
      body.replaceChildren(
        h(
          'div',
          { class: 'card' },
          h(
            'div',
            { class: 'row' },
            h('strong', {}, profile.name),
            h('span', { class: 'total', 'data-testid': 'points-balance' }, `${profile.points} pts`),
          ),
          h('p', { class: 'muted' }, profile.email),
          h('a', { href: '#wallet' }, 'Payment methods'),
        ),
        h('h2', {}, 'Purchases, in store and online'),
        h('div', { class: 'card' }, historyView(history.purchases)),
        profile.behaviour.consideredNotBought.length > 0
          ? h(
              'div',
              { class: 'card' },
              h('h2', {}, 'You looked at'),
              ...profile.behaviour.consideredNotBought.slice(0, 5).map((c) => h('p', {}, c.name)),
            )
          : '',
        h('h2', {}, 'Privacy'),
        h(
          'div',
          { class: 'card' },
          toggle('behaviourTracking', 'Remember what I look at in store (put-backs, aisles) for offers'),
          toggle('marketing', 'Send me offers by email'),
          h(
            'p',
            { class: 'muted' },
            'Without consent the store keeps only what your bill needs. No cameras recognise faces.',
          ),
          h('button', { class: 'ghost wide', onclick: exportData }, 'Download my data'),
          h('button', { class: 'danger wide', onclick: erase }, 'Erase my account'),
        ),
        h(
          'button',
          {
            class: 'ghost wide',
            onclick: () => {
              session.clear();
              go('signin');
            },
          },
          'Sign out',
        ),
      );
    })
    .catch((err) => body.replaceChildren(h('p', { class: 'error' }, err.message)));
}

async function exportData() {
  const data = await api('GET', '/v1/me/export');
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
    await api('POST', '/v1/me/erase', { password });
    session.clear();
    go('signup');
    banner('Your account and data are erased.');
  } catch (err) {
    banner(err.message);
  }
}
