// The sandbox provider's idempotency keys (charges and holds alike): a request repeated under its key gets
// the row the first one made; the same key for a different request is refused, as a real processor does.
import { type Database, toNumber } from '../db/database.ts';
import { PaymentProviderError } from './payment-provider.ts';

/** What a keyed money request names. */
interface KeyedRequest {
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  customerRef: string;
  paymentMethodToken: string;
}

/** The columns of a keyed row that must match its request. */
interface KeyedRow {
  amount_cents: unknown;
  currency: string;
  customer_ref: string;
  payment_method_token: string;
}

/**
 * The row `request`'s key names: `inserted` (this request made it) or the one already under the key.
 * Throws `idempotency_key_reused` when that row was made by a different request.
 */
export async function rowOfKey<Row extends KeyedRow>(
  db: Database,
  table: 'provider_charges' | 'provider_authorisations',
  inserted: readonly Row[],
  request: KeyedRequest,
  what: 'charge' | 'hold',
): Promise<Row> {
  const row =
    inserted[0] ??
    (await db.query<Row>(`SELECT * FROM ${table} WHERE idempotency_key = $1`, [request.idempotencyKey]))[0];
  if (row === undefined) throw new Error(`${what} ${request.idempotencyKey} vanished after a key conflict`);
  if (
    toNumber(row.amount_cents) !== request.amountCents ||
    row.currency !== request.currency ||
    row.customer_ref !== request.customerRef ||
    row.payment_method_token !== request.paymentMethodToken
  ) {
    throw new PaymentProviderError(
      'idempotency_key_reused',
      `idempotency key ${request.idempotencyKey} was already used for a different ${what}`,
    );
  }
  return row;
}
