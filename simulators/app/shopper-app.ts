// What the simulated shoppers do with their phone: the runner depends on this interface, the cloud's
// HTTP API implements it (CloudAppClient) and tests can supply their own.

export interface Credentials {
  email: string;
  password: string;
  name: string;
}

export interface ShopperSession {
  accountId: string;
  /** Bearer token for the /v1/me endpoints. */
  token: string;
}

export type EntryTokenResult =
  | { ok: true; token: string; expiresAt: string | number }
  /** The cloud refuses a token (402: no usable payment method). */
  | { ok: false; reason: 'payment-required' };

export interface ReceiptLine {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  totalCents: number;
  /** Units put back on the shelf after the receipt and refunded (#13); absent from apps that do not show it. */
  returnedQuantity?: number;
}

export interface Receipt {
  receiptId: string;
  visitId: string;
  lines: ReceiptLine[];
  totalCents: number;
  status: string;
  exitedAt: string | number;
  createdAt: string | number;
}

export interface ShopperApp {
  /** Creates the account, or signs in when the email is already registered. */
  signUpOrIn(credentials: Credentials): Promise<ShopperSession>;
  /** Adds a sandbox card (tok_visa, tok_mastercard, tok_chargeDeclined, tok_insufficientFunds). */
  addCard(session: ShopperSession, cardToken: string): Promise<void>;
  /** A fresh single-use entry token for the QR code. */
  entryToken(session: ShopperSession, party: number): Promise<EntryTokenResult>;
  receipts(session: ShopperSession): Promise<Receipt[]>;
  /** Switches on consent to behaviour from the floor (PUT /v1/me/consent); apps without it cannot. */
  consentToBehaviour?(session: ShopperSession): Promise<void>;
}
