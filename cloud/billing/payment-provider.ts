// What the cloud needs from a card processor: turn a card token into a reusable payment method, charge it
// (authorise and capture in one step) and refund. Every money movement carries an idempotency key.

export interface CardDetails {
  /** Reusable reference to the card at the provider; what `charge` is given. */
  paymentMethodToken: string;
  brand: string;
  last4: string;
}

export interface ChargeRequest {
  /** The same key always yields the same charge, however often and however concurrently it is sent. */
  idempotencyKey: string;
  customerRef: string;
  paymentMethodToken: string;
  amountCents: number;
  currency: string;
}

export interface ChargeResult {
  chargeId: string;
  status: 'succeeded' | 'declined';
  /** Set when declined, e.g. card_declined, insufficient_funds. */
  declineCode?: string;
}

export interface RefundRequest {
  idempotencyKey: string;
  chargeId: string;
  amountCents: number;
}

export interface RefundResult {
  refundId: string;
  chargeId: string;
  amountCents: number;
}

export type PaymentProviderErrorCode =
  | 'unknown_card_token'
  | 'unknown_payment_method'
  | 'invalid_amount'
  | 'idempotency_key_reused'
  | 'unknown_charge'
  | 'charge_not_refundable'
  | 'refund_exceeds_capture';

/** A request the provider refuses outright (as opposed to a declined charge, which is a normal result). */
export class PaymentProviderError extends Error {
  constructor(
    readonly code: PaymentProviderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}

export interface PaymentProvider {
  /** Throws PaymentProviderError('unknown_card_token') for a token the provider never issued. */
  attachCard(cardToken: string): Promise<CardDetails>;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
}
