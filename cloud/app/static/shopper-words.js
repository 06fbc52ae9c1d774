// @ts-check
// The cloud's error codes in the shopper's words: the API keeps its codes and its messages for developers
// (which may name API paths); the app shows these instead. A code not listed here shows the cloud's message.

/** @type {Readonly<Record<string, string>>} */
const WORDS = {
  entry_hold_declined: 'Your card was declined for the entry hold — try another card.',
  payment_provider_unavailable: 'We couldn’t reach the card processor just now — try again in a moment.',
};

/**
 * The shopper's words for an error code, or undefined when the cloud's message is already meant for them.
 * @param {string} code
 */
export const wordsFor = (code) => (Object.hasOwn(WORDS, code) ? WORDS[code] : undefined);
