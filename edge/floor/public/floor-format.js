// @ts-check
// How the floor view writes times, ids and money.

/** @param {number} ts ms since the epoch */
export const time = (ts) => new Date(ts).toLocaleTimeString();

/**
 * The first 8 characters of an id (enough to tell shoppers apart on one floor); 'nobody' for none.
 * @param {string | null | undefined} id
 */
export const short = (id) => (id ? id.slice(0, 8) : 'nobody');

/**
 * @param {number} cents
 * @param {string} currency ISO code, e.g. EUR
 */
export const money = (cents, currency) => `${currency} ${(cents / 100).toFixed(2)}`;
