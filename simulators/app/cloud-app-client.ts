// The shopper app as an HTTP client of the cloud API (global fetch); responses are validated at this
// boundary and failures carry the method, path and status.
import { type Static, type TSchema, Type } from 'typebox';
import { compileValidator } from '../../shared/validator.ts';
import type { Credentials, EntryTokenResult, Receipt, ShopperApp, ShopperSession } from './shopper-app.ts';

const AccountCreated = Type.Object({ accountId: Type.String({ minLength: 1 }) });
const SessionCreated = Type.Object({
  token: Type.String({ minLength: 1 }),
  accountId: Type.String({ minLength: 1 }),
});
const EntryTokenIssued = Type.Object({
  token: Type.String({ minLength: 1 }),
  expiresAt: Type.Union([Type.String(), Type.Number()]),
});
const ReceiptList = Type.Object({
  receipts: Type.Array(
    Type.Object({
      receiptId: Type.String(),
      visitId: Type.String(),
      lines: Type.Array(
        Type.Object({
          sku: Type.String(),
          name: Type.String(),
          quantity: Type.Integer(),
          unitPriceCents: Type.Integer(),
          totalCents: Type.Integer(),
        }),
      ),
      totalCents: Type.Integer(),
      status: Type.String(),
      exitedAt: Type.Union([Type.String(), Type.Number()]),
      createdAt: Type.Union([Type.String(), Type.Number()]),
    }),
  ),
});

const validators = {
  accountCreated: compileValidator(AccountCreated),
  sessionCreated: compileValidator(SessionCreated),
  entryTokenIssued: compileValidator(EntryTokenIssued),
  receiptList: compileValidator(ReceiptList),
};

export class CloudUnreachableError extends Error {
  readonly code = 'CLOUD_UNREACHABLE';
  constructor(
    readonly baseUrl: string,
    cause: unknown,
  ) {
    const reason =
      cause instanceof Error
        ? cause.cause instanceof Error
          ? cause.cause.message
          : cause.message
        : String(cause);
    super(`cannot reach cloud at ${baseUrl} (${reason}): start it with npm run cloud`);
  }
}

export class CloudApiError extends Error {
  readonly code = 'CLOUD_API_ERROR';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${method} ${path} → ${status}: ${detail}`);
  }
}

interface Reply {
  status: number;
  body: unknown;
}

export class CloudAppClient implements ShopperApp {
  private readonly baseUrl: string;

  /**
   * `storeId`: the store entry tokens are asked for; left out, the cloud picks its only store. `timeoutMs`:
   * how long one request may take (an evaluation on a loaded machine signs up dozens of shoppers at once, each
   * a deliberately slow password hash: it waits longer than a person at the gate would).
   */
  constructor(
    baseUrl: string,
    private readonly storeId?: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async signUpOrIn(credentials: Credentials): Promise<ShopperSession> {
    const created = await this.request('POST', '/v1/accounts', credentials);
    if (created.status !== 201 && created.status !== 409) this.fail('POST', '/v1/accounts', created);
    const { email, password } = credentials;
    const signedIn = await this.request('POST', '/v1/auth/sessions', { email, password });
    if (signedIn.status !== 200) this.fail('POST', '/v1/auth/sessions', signedIn);
    const session = this.expect(validators.sessionCreated, 'POST', '/v1/auth/sessions', signedIn);
    if (created.status === 201) {
      const account = this.expect(validators.accountCreated, 'POST', '/v1/accounts', created);
      if (account.accountId !== session.accountId) {
        throw new CloudApiError('POST', '/v1/auth/sessions', signedIn.status, 'signed into another account');
      }
    }
    return { accountId: session.accountId, token: session.token };
  }

  async addCard(session: ShopperSession, cardToken: string): Promise<void> {
    const reply = await this.request('POST', '/v1/me/payment-methods', { cardToken }, session.token);
    if (reply.status !== 201 && reply.status !== 200) this.fail('POST', '/v1/me/payment-methods', reply);
  }

  async entryToken(session: ShopperSession, party: number): Promise<EntryTokenResult> {
    const body = this.storeId === undefined ? { party } : { party, storeId: this.storeId };
    const reply = await this.request('POST', '/v1/me/entry-tokens', body, session.token);
    if (reply.status === 402) return { ok: false, reason: 'payment-required' };
    if (reply.status !== 201) this.fail('POST', '/v1/me/entry-tokens', reply);
    const issued = this.expect(validators.entryTokenIssued, 'POST', '/v1/me/entry-tokens', reply);
    return { ok: true, token: issued.token, expiresAt: issued.expiresAt };
  }

  async consentToBehaviour(session: ShopperSession): Promise<void> {
    const body = { behaviourTracking: true, marketing: false };
    const reply = await this.request('PUT', '/v1/me/consent', body, session.token);
    if (reply.status !== 200) this.fail('PUT', '/v1/me/consent', reply);
  }

  async receipts(session: ShopperSession): Promise<Receipt[]> {
    const reply = await this.request('GET', '/v1/me/receipts', undefined, session.token);
    if (reply.status !== 200) this.fail('GET', '/v1/me/receipts', reply);
    return this.expect(validators.receiptList, 'GET', '/v1/me/receipts', reply).receipts;
  }

  private async request(method: string, path: string, body: unknown, bearer?: string): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new CloudUnreachableError(this.baseUrl, err);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the error message
    }
    return { status: response.status, body: parsed };
  }

  private expect<S extends TSchema>(
    validator: ReturnType<typeof compileValidator<S>>,
    method: string,
    path: string,
    reply: Reply,
  ): Static<S> {
    const checked = validator.check(reply.body);
    if (!checked.ok) {
      throw new CloudApiError(method, path, reply.status, `unexpected body: ${checked.errors.join('; ')}`);
    }
    return checked.value;
  }

  private fail(method: string, path: string, reply: Reply): never {
    const detail = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? null);
    throw new CloudApiError(method, path, reply.status, detail.slice(0, 300));
  }
}
