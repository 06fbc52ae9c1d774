// @ts-check
// The cloud API as the app uses it: one function per call, typed by what it answers; the session token
// kept in localStorage; errors carry the cloud's { error, message }, and screens show the shopper's words for
// the code (shopper-words.js) or else the message as it is.
/** @import { DisputeStatus, Receipt } from '../../receipts/receipt-schemas.ts' */
import { wordsFor } from './shopper-words.js';

// The answers below are the cloud's response schemas (cloud/*/…-routes.ts, served at /docs), as far as
// the screens read them. Receipts come from their schema module; the others are inline in their routes.
/** @typedef {{ paymentMethodId: string, brand: string, last4: string }} PaymentMethod */
/** @typedef {{ token: string, storeId: string, expiresAt: number, party?: number, qrSvg?: string }} EntryPass */
/** @typedef {{ behaviourTracking: boolean, marketing: boolean }} Consent */
/**
 * @typedef {object} Profile
 * @property {string} name
 * @property {string} email
 * @property {Consent} consent
 * @property {number} points
 * @property {Behaviour} behaviour
 */
/**
 * What the store remembers of the shopper's visits, with consent (cloud/profile/profile-routes.ts).
 * @typedef {object} Behaviour
 * @property {{ sku: string, name: string, putBacks: number, looks: number }[]} consideredNotBought
 * @property {{ sku: string, name: string, looks: number, lookedMs: number, lastLookedAt: number }[]} lookedAt
 * @property {{ category: string, by: 'handled' | 'looked', products: { sku: string, name: string }[],
 *   kept: { sku: string, name: string }, at: number }[]} compared
 */
/**
 * A purchase in store (receipt) or online (order).
 * @typedef {{ channel: 'store' | 'online', at: number, totalCents: number, currency: string, pointsEarned: number,
 *   items: number, status: string }} Purchase
 */
/** @typedef {{ points: number, purchases: Purchase[] }} History */
/** @typedef {{ disputeId: string, status: DisputeStatus, amountCents: number }} DisputeAnswer */
/** @typedef {{ storeId: string, name: string, currency: string }} Store */
/**
 * @typedef {{ sku: string, name: string, priceCents: number, currency: string, available: number }} StockedProduct
 */
/**
 * @typedef {{ reservationId: string, storeId: string, sku: string, quantity: number,
 *   status: 'held' | 'collected' | 'cancelled' | 'expired', expiresAt: number }} Reservation
 */

const TOKEN = 'walkout.session';

/**
 * What to tell the shopper about a failed call: the words for its code, else the cloud's message as it is.
 * @param {unknown} err
 */
export const messageOf = (err) => {
  if (err instanceof ApiError) return wordsFor(err.code) ?? err.message;
  return err instanceof Error ? err.message : String(err);
};

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status
   * @param {string} code the cloud's error code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const session = {
  get token() {
    return localStorage.getItem(TOKEN);
  },
  /** @param {string} token */
  set(token) {
    localStorage.setItem(TOKEN, token);
  },
  clear() {
    localStorage.removeItem(TOKEN);
  },
};

/**
 * @param {'GET' | 'POST' | 'PUT' | 'DELETE'} method
 * @param {string} path
 * @param {object} [body] sent as JSON
 * @returns {Promise<unknown>}
 */
async function call(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = /** @type {unknown} */ (
    response.status === 204 ? {} : await response.json().catch(() => ({}))
  );
  if (!response.ok) {
    if (response.status === 401 && path.startsWith('/v1/me')) session.clear();
    const { error, message } = /** @type {{ error?: unknown, message?: unknown }} */ (data ?? {});
    throw new ApiError(
      response.status,
      typeof error === 'string' ? error : 'error',
      typeof message === 'string' ? message : `HTTP ${response.status}`,
    );
  }
  return data;
}

/** An answer, as the schema of its route has it. @template T @param {Promise<unknown>} answer */
const as = async (answer) => /** @type {T} */ (await answer);

/** @param {string} email @param {string} password @returns {Promise<{ token: string, accountId: string }>} */
export const signIn = (email, password) => as(call('POST', '/v1/auth/sessions', { email, password }));

/**
 * @param {{ name: string, email: string, password: string }} account
 * @returns {Promise<{ accountId: string }>}
 */
export const signUp = (account) => as(call('POST', '/v1/accounts', account));

/** Revokes the session on the server (a copied token stops working too), then forgets it here. */
export const signOut = () => call('DELETE', '/v1/auth/sessions/current').finally(() => session.clear());

/** @returns {Promise<{ paymentMethods: PaymentMethod[] }>} */
export const paymentMethods = () => as(call('GET', '/v1/me/payment-methods'));

/** @param {string} cardToken a sandbox card @returns {Promise<PaymentMethod>} */
export const addCard = (cardToken) => as(call('POST', '/v1/me/payment-methods', { cardToken }));

/** The store the shopper chose (shop and entry screens share it); unset, a one-store cloud picks its store. */
export const STORE_KEY = 'walkout.store';

/**
 * A pass admits to one store only (the gate of another store refuses it).
 * @param {number} party people entering on this pass @param {string | undefined} storeId
 * @returns {Promise<EntryPass>}
 */
export const entryPass = (party, storeId) =>
  as(call('POST', '/v1/me/entry-tokens', storeId ? { party, qr: true, storeId } : { party, qr: true }));

/** @returns {Promise<Profile>} */
export const profile = () => as(call('GET', '/v1/me/profile'));

/** @returns {Promise<History>} */
export const history = () => as(call('GET', '/v1/me/history'));

/** @param {Consent} consent @returns {Promise<Consent>} */
export const setConsent = (consent) => as(call('PUT', '/v1/me/consent', consent));

/** Everything the cloud keeps about the shopper (saved as a file, not read). */
export const exportMyData = () => call('GET', '/v1/me/export');

/** @param {string} password */
export const eraseAccount = (password) => call('POST', '/v1/me/erase', { password });

/** @returns {Promise<{ receipts: Receipt[] }>} */
export const receipts = () => as(call('GET', '/v1/me/receipts'));

/** @param {string} receiptId @param {number} lineNo @returns {Promise<DisputeAnswer>} */
export const disputeLine = (receiptId, lineNo) =>
  as(call('POST', `/v1/me/receipts/${receiptId}/lines/${lineNo}/disputes`, { reason: "I didn't take this" }));

/** @returns {Promise<{ stores: Store[] }>} */
export const stores = () => as(call('GET', '/v1/stores'));

/**
 * @param {string} storeId
 * @param {string} query name or SKU contains
 * @returns {Promise<{ products: StockedProduct[] }>}
 */
export const productsAt = (storeId, query) =>
  as(call('GET', `/v1/stores/${encodeURIComponent(storeId)}/products?q=${encodeURIComponent(query)}`));

/** @returns {Promise<{ reservations: Reservation[] }>} */
export const reservations = () => as(call('GET', '/v1/me/reservations'));

/** @param {{ storeId: string, sku: string, quantity: number }} hold @returns {Promise<Reservation>} */
export const reserve = (hold) => as(call('POST', '/v1/me/reservations', hold));

/** @param {string} reservationId @returns {Promise<Reservation>} */
export const cancelReservation = (reservationId) =>
  as(call('POST', `/v1/me/reservations/${reservationId}/cancel`));

/**
 * "I didn't take this" on a line of the live cart: staff check it before the receipt is made.
 * @param {string} sessionId the visit in progress @param {string} sku
 * @returns {Promise<{ flagId: string }>}
 */
export const flagLine = (sessionId, sku) => as(call('POST', '/v1/me/cart/flags', { sessionId, sku }));
