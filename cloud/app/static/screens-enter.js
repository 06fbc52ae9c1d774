// @ts-check
// The entry pass: a QR code of a short-lived, single-use signed token, renewed before it expires, for the
// shopper alone or a party; when the account may not enter, the cloud's reason is shown instead.
import { ApiError, entryPass, messageOf, STORE_KEY, stores } from './api.js';
import { h, show } from './dom.js';
import { go } from './router.js';

/** Renew this long before expiry, so the code on screen is always valid when scanned. */
const RENEW_BEFORE_MS = 10_000;
const MAX_PARTY = 6;
/** The cloud refuses a pass with 402 when the account has no card that can pay. */
const PAYMENT_REQUIRED = 402;

export function enterScreen() {
  let party = 1;
  /** @type {number | undefined} */
  let renewTimer;
  /** @type {number | undefined} */
  let tickTimer;
  const image = h('img', { alt: 'Entry QR code', 'data-testid': 'entry-qr' });
  const meter = h('i');
  const caption = h('p', { class: 'muted', 'data-testid': 'entry-caption' });
  const body = h('div', { class: 'card qr' }, h('p', { class: 'muted' }, 'Getting your pass…'));
  // Shown only when the cloud serves several stores: a pass admits to the one chosen here.
  const storePicker = h('select', { id: 'entry-store', 'aria-label': 'Store to enter', hidden: true });
  storePicker.addEventListener('change', () => {
    localStorage.setItem(STORE_KEY, storePicker.value);
    renew();
  });
  const partyButtons = Array.from({ length: MAX_PARTY }, (_, i) =>
    h(
      'button',
      {
        type: 'button',
        'aria-pressed': String(i === 0),
        'data-party': i + 1,
        onclick: () => setParty(i + 1),
      },
      i + 1,
    ),
  );

  /** @param {number} size */
  function setParty(size) {
    party = size;
    for (const button of partyButtons)
      button.setAttribute('aria-pressed', String(Number(button.dataset.party) === size));
    renew();
  }

  async function renew() {
    window.clearTimeout(renewTimer);
    window.clearInterval(tickTimer);
    try {
      const pass = await entryPass(party, localStorage.getItem(STORE_KEY) ?? undefined);
      image.src = `data:image/svg+xml;base64,${btoa(pass.qrSvg ?? '')}`;
      image.dataset.token = pass.token;
      const lifetime = pass.expiresAt - Date.now();
      const tick = () => {
        const left = Math.max(0, pass.expiresAt - Date.now());
        meter.style.width = `${Math.round((100 * left) / lifetime)}%`;
        caption.textContent = `${party === 1 ? 'Just you' : `You + ${party - 1}`} · renews in ${Math.ceil(Math.max(0, left - RENEW_BEFORE_MS) / 1000)} s`;
      };
      tick();
      tickTimer = window.setInterval(tick, 1000);
      body.replaceChildren(image, h('div', { class: 'meter' }, meter), caption);
      renewTimer = window.setTimeout(renew, Math.max(1000, lifetime - RENEW_BEFORE_MS));
    } catch (err) {
      body.replaceChildren(...refusal(err, renew));
    }
  }

  show(
    h('h1', {}, 'Entry pass'),
    h('p', { class: 'muted' }, 'Show this at the gate. Take what you need and just walk out.'),
    storePicker,
    body,
    h('h2', {}, 'Bringing people?'),
    h('div', { class: 'party', role: 'group', 'aria-label': 'Party size' }, ...partyButtons),
  );
  offerStores(storePicker)
    // Without the list the pass is still asked for: the cloud's answer (or its error) is what the card shows.
    .catch(() => undefined)
    .finally(renew);
  return () => {
    window.clearTimeout(renewTimer);
    window.clearInterval(tickTimer);
  };
}

/**
 * Why the shopper may not enter, and the way on: add a card when the cloud asks for payment, else try again.
 * @param {unknown} err
 * @param {() => void} retry
 */
function refusal(err, retry) {
  const needsCard = err instanceof ApiError && err.status === PAYMENT_REQUIRED;
  return [
    h(
      'div',
      { class: 'notice card', 'data-testid': 'entry-refused' },
      h('strong', {}, 'You can’t enter yet'),
      h('p', {}, messageOf(err)),
    ),
    needsCard
      ? h('button', { class: 'wide', onclick: () => go('wallet') }, 'Add a card')
      : h('button', { class: 'ghost wide', onclick: retry }, 'Try again'),
  ];
}

/**
 * Fills and shows the store picker when the cloud serves several stores; forgets a saved store that is gone.
 * @param {HTMLSelectElement} storePicker
 */
async function offerStores(storePicker) {
  const { stores: all } = await stores();
  const saved = localStorage.getItem(STORE_KEY);
  if (saved !== null && !all.some((s) => s.storeId === saved)) localStorage.removeItem(STORE_KEY);
  if (all.length > 1) {
    storePicker.replaceChildren(...all.map((s) => h('option', { value: s.storeId }, s.name)));
    const first = all[0];
    if (localStorage.getItem(STORE_KEY) === null && first) localStorage.setItem(STORE_KEY, first.storeId);
    storePicker.value = localStorage.getItem(STORE_KEY) ?? '';
    storePicker.hidden = false;
  }
}
