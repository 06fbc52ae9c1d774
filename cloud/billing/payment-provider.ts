// What the cloud needs from a card processor: turn a card token into a reusable payment method, charge it
// (authorise and capture in one step), hold an amount (authorise), capture the final amount against a hold
// or void it, and refund. Every money movement carries an idempotency key.

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

export interface AuthoriseRequest {
  /** The same key always yields the same hold. */
  idempotencyKey: string;
  customerRef: string;
  paymentMethodToken: string;
  amountCents: number;
  currency: string;
}

export interface AuthoriseResult {
  authorisationId: string;
  status: 'authorised' | 'declined';
  /** Set when declined, e.g. card_declined. */
  declineCode?: string;
}

export interface CaptureRequest {
  idempotencyKey: string;
  authorisationId: string;
  /**
   * The final amount: less than the hold releases the rest; more than the hold is an over-capture, which the
   * sandbox allows (see docs/cloud-api.md, "Payment flow").
   */
  amountCents: number;
}

export interface CaptureResult {
  /** The charge the capture made: refunds name it, as for `charge`. */
  chargeId: string;
  authorisationId: string;
  amountCents: number;
}

export interface VoidRequest {
  idempotencyKey: string;
  authorisationId: string;
}

export interface VoidResult {
  authorisationId: string;
  /** What the void released (the whole hold). */
  releasedCents: number;
}

export type PaymentProviderErrorCode =
  | 'unknown_card_token'
  | 'unknown_payment_method'
  | 'invalid_amount'
  | 'idempotency_key_reused'
  | 'unknown_charge'
  | 'charge_not_refundable'
  | 'refund_exceeds_capture'
  | 'unknown_authorisation'
  /** Captured or voided already (with another key), or declined: nothing left to capture or void. */
  | 'authorisation_closed'
  /** The processor failed the step (a timeout, an outage): try again later. */
  | 'processor_error';

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
  /** Holds the amount on the card; a declined hold is a normal result. */
  authorise(request: AuthoriseRequest): Promise<AuthoriseResult>;
  /** Charges the final amount against a hold and releases the rest of it. */
  capture(request: CaptureRequest): Promise<CaptureResult>;
  /** Releases a hold with nothing captured. */
  void(request: VoidRequest): Promise<VoidResult>;
}
