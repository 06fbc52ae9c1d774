// @ts-check
// Sign in, sign up and the wallet (sandbox cards): the screens that get a shopper ready to enter.
import { addCard, messageOf, signIn as openSession, paymentMethods, session, signUp } from './api.js';
import { banner } from './banner.js';
import { h, show } from './dom.js';
import { refreshPoints } from './points.js';
import { go } from './router.js';

/** @type {[token: string, label: string][]} */
const SANDBOX_CARDS = [
  ['tok_visa', 'Visa ending 4242'],
  ['tok_mastercard', 'Mastercard ending 4444'],
  ['tok_chargeDeclined', 'Visa ending 0002 (always declined)'],
  ['tok_insufficientFunds', 'Visa ending 9995 (insufficient funds)'],
  ['tok_holdDeclined', 'Visa ending 0119 (entry hold declined)'],
  ['tok_captureFails', 'Visa ending 0259 (payment fails after the visit)'],
  ['tok_voidFails', 'Visa ending 0267 (hold release fails)'],
];

/**
 * A form whose submit runs `onsubmit` with its fields' values (by name), showing the error if it fails.
 * @param {(value: (name: string) => string) => Promise<void>} onsubmit
 * @param {...Node} fields
 */
function form(onsubmit, ...fields) {
  const error = h('p', { class: 'error', 'data-testid': 'form-error', hidden: true });
  const button = () => element.querySelector('button[type=submit]');
  const element = h('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      const submit = button();
      if (submit instanceof HTMLButtonElement) submit.disabled = true;
      error.hidden = true;
      const data = new FormData(element);
      try {
        await onsubmit((name) => String(data.get(name) ?? ''));
      } catch (err) {
        error.textContent = messageOf(err);
        error.hidden = false;
      } finally {
        if (submit instanceof HTMLButtonElement) submit.disabled = false;
      }
    },
  });
  element.append(...fields, error);
  return element;
}

/**
 * @param {string} label
 * @param {string} name
 * @param {string} [type]
 * @param {Record<string, string | number>} [extra] more attributes
 */
const field = (label, name, type = 'text', extra = {}) => [
  h('label', { for: name }, label),
  h('input', { id: name, name, type, required: true, ...extra }),
];

/**
 * @param {string} email
 * @param {string} password
 */
async function signIn(email, password) {
  const { token } = await openSession(email, password);
  session.set(token);
  refreshPoints();
}

export function signInScreen() {
  show(
    h('h1', {}, 'Welcome back'),
    h(
      'div',
      { class: 'card' },
      form(
        async (value) => {
          await signIn(value('email'), value('password'));
          go('enter');
        },
        ...field('Email', 'email', 'email', { autocomplete: 'email' }),
        ...field('Password', 'password', 'password', { autocomplete: 'current-password' }),
        h('button', { type: 'submit', class: 'wide' }, 'Sign in'),
      ),
    ),
    h('p', { class: 'muted' }, 'New here? ', h('a', { href: '#signup' }, 'Create an account')),
  );
}

export function signUpScreen() {
  show(
    h('h1', {}, 'Create your account'),
    h(
      'div',
      { class: 'card' },
      form(
        async (value) => {
          await signUp({ name: value('name'), email: value('email'), password: value('password') });
          await signIn(value('email'), value('password'));
          go('wallet');
        },
        ...field('Name', 'name', 'text', { autocomplete: 'name' }),
        ...field('Email', 'email', 'email', { autocomplete: 'email' }),
        ...field('Password (8+ characters)', 'password', 'password', {
          minlength: 8,
          autocomplete: 'new-password',
        }),
        h('button', { type: 'submit', class: 'wide' }, 'Sign up'),
      ),
    ),
    h('p', { class: 'muted' }, 'Have an account? ', h('a', { href: '#signin' }, 'Sign in')),
  );
}

export function walletScreen() {
  const list = h('div', { 'data-testid': 'cards' }, h('p', { class: 'muted' }, 'Loading…'));
  const load = async () => {
    const { paymentMethods: cards } = await paymentMethods();
    list.replaceChildren(
      ...(cards.length === 0
        ? [h('p', { class: 'muted' }, 'No card yet: add one to enter a store.')]
        : cards.map((card, i) =>
            h(
              'div',
              { class: 'row' },
              `${card.brand} •••• ${card.last4}`,
              i === 0 ? h('span', { class: 'badge paid' }, 'charged') : '',
            ),
          )),
    );
  };
  show(
    h('h1', {}, 'Payment'),
    h('div', { class: 'card' }, list),
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Add a card'),
      h('p', { class: 'muted' }, 'Sandbox cards: no money moves.'),
      form(
        async (value) => {
          await addCard(value('cardToken'));
          banner('Card added');
          await load();
        },
        h('label', { for: 'cardToken' }, 'Card'),
        h(
          'select',
          { id: 'cardToken', name: 'cardToken' },
          ...SANDBOX_CARDS.map(([value, text]) => h('option', { value }, text)),
        ),
        h('button', { type: 'submit', class: 'wide', 'data-testid': 'add-card' }, 'Add card'),
      ),
    ),
    h('button', { class: 'ghost wide', onclick: () => go('enter') }, 'Go to entry pass'),
  );
  load().catch((err) => list.replaceChildren(h('p', { class: 'error' }, messageOf(err))));
}
