// What the edge does with the cloud's answer to a delivery: done, try again later, try this one item again
// later (the cloud cannot take it yet; the link is fine), hold every visit until an operator fixes the link (the
// credential or the address is wrong — no visit is at fault), or set this one visit aside as dead (the cloud
// refuses it for what it is; kept, listable and resendable).

export type DeliveryOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string }
  /** The cloud is fine but this item must wait for another (a return for its receipt): `code` says which wait. */
  | { kind: 'not-yet'; reason: string; code: string | undefined }
  | { kind: 'hold'; reason: string }
  | { kind: 'dead'; reason: string };

/**
 * 403 codes that judge the visit itself (its entry token), not the edge's credential: the cloud will refuse
 * this visit however often it is sent (cloud/accounts/entry-token-registry.ts).
 */
const VISIT_FORBIDDEN_CODES = new Set([
  'entry_token_unknown',
  'entry_token_wrong_store',
  'entry_token_wrong_account',
]);

/**
 * 404 codes that judge the item, not the link: a return naming a visit of another store
 * (cloud/receipts/visit-returns.ts) will be refused however often it is sent.
 */
const ITEM_NOT_FOUND_CODES = new Set(['visit_not_found']);

/** Statuses worth retrying as they are: the cloud is busy, restarting or briefly unreachable behind a proxy. */
const TRANSIENT = new Set([408, 429]);

/**
 * 503 codes that judge the item, not the cloud: a return whose receipt is not paid yet
 * (cloud/receipts/visit-returns.ts). Like a 425 (Too Early: its receipt is not there yet), the item waits on its
 * own; items behind it go on.
 */
const ITEM_NOT_YET_CODES = new Set(['receipt_payment_pending']);

/**
 * Statuses that say the link is misconfigured, not the visit: a rotated or wrong credential (401), a credential
 * for another store or a proxy's refusal (403 without a visit code), a wrong CLOUD_URL path (404, 405).
 * Every visit would get the same answer, so they all wait — held, never dropped — until it is fixed.
 */
const LINK_MISCONFIGURED = new Set([401, 403, 404, 405]);

/** The error code of a cloud error body ({ error, message }), if the body is one. */
export function errorCodeOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const code = (parsed as { error: unknown }).error;
      if (typeof code === 'string') return code;
    }
  } catch {
    // not JSON: a proxy's page, say
  }
  return undefined;
}

/** Classifies an HTTP answer (status and body text). */
export function outcomeOf(status: number, body: string): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const code = errorCodeOf(body);
  const reason = `cloud answered ${status}${code === undefined ? '' : ` ${code}`}: ${body.slice(0, 300)}`;
  if (status === 425 || (status === 503 && code !== undefined && ITEM_NOT_YET_CODES.has(code)))
    return { kind: 'not-yet', reason, code };
  if (status >= 500 || TRANSIENT.has(status)) return { kind: 'retry', reason };
  if (status === 403 && code !== undefined && VISIT_FORBIDDEN_CODES.has(code))
    return { kind: 'dead', reason };
  if (status === 404 && code !== undefined && ITEM_NOT_FOUND_CODES.has(code)) return { kind: 'dead', reason };
  // a redirect fetch did not follow, or an informational answer: the address is wrong, not the visit
  if (LINK_MISCONFIGURED.has(status) || status < 400) return { kind: 'hold', reason };
  // 400 (the visit does not match the API), 409 (its id or token was billed with other content; a return of a
  // line already returned or not on the receipt), 413 (too large), 422 (unknown SKU or account): this item,
  // as it is, will never be taken. A return's 425 (its receipt not there yet) and 503 (not paid yet) wait above.
  return { kind: 'dead', reason };
}
