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
          returnedQuantity: Type.Optional(Type.Integer({ minimum: 0 })),
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
  /** Seconds the cloud asked to wait (Retry-After), when it said. */
  retryAfterS?: number;
}

/**
 * How a phone retries signing up, signing in and adding a card when the cloud is busy or slow (a sign-up
 * burst: a pass of the soak or a busy evaluation signs dozens of shoppers up at once, each a deliberately slow
 * password hash). Those calls are safe to repeat: an account created by an attempt whose answer was lost
 * answers 409 and the shopper signs in.
 */
export interface AppRetrySettings {
  /** Attempts per call in all (1: no retry). */
  attempts: number;
  /** First wait (ms), doubled each time, with equal jitter; a Retry-After is honoured up to `maxWaitMs`. */
  baseMs: number;
  maxWaitMs: number;
}

/** Six attempts over ~30–60 s: a sign-up burst on a loaded 2-core machine clears within that (soak, #15). */
export const DEFAULT_APP_RETRY: AppRetrySettings = { attempts: 6, baseMs: 1000, maxWaitMs: 30_000 };

/** 429 and the gateway/overload answers are worth another try; anything else is the answer. */
const TRANSIENT_STATUS = new Set([429, 502, 503, 504]);

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
    private readonly retry: AppRetrySettings = DEFAULT_APP_RETRY,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async signUpOrIn(credentials: Credentials): Promise<ShopperSession> {
    const created = await this.requestRetrying('POST', '/v1/accounts', credentials);
    if (created.status !== 201 && created.status !== 409) this.fail('POST', '/v1/accounts', created);
    const { email, password } = credentials;
    const signedIn = await this.requestRetrying('POST', '/v1/auth/sessions', { email, password });
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
    const reply = await this.requestRetrying('POST', '/v1/me/payment-methods', { cardToken }, session.token);
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

  /** `request`, tried again (backoff with jitter, Retry-After honoured) while the cloud is unreachable or busy. */
  private async requestRetrying(
    method: string,
    path: string,
    body: unknown,
    bearer?: string,
  ): Promise<Reply> {
    const { attempts, baseMs, maxWaitMs } = this.retry;
    for (let attempt = 1; ; attempt++) {
      let reply: Reply | undefined;
      let error: unknown;
      try {
        reply = await this.request(method, path, body, bearer);
      } catch (err) {
        if (!(err instanceof CloudUnreachableError)) throw err;
        error = err;
      }
      const transient = reply === undefined || TRANSIENT_STATUS.has(reply.status);
      if (!transient || attempt >= attempts) {
        if (reply !== undefined) return reply;
        throw error;
      }
      const backoff = Math.min(maxWaitMs, baseMs * 2 ** (attempt - 1));
      const asked = reply?.retryAfterS === undefined ? 0 : reply.retryAfterS * 1000;
      const waitMs = Math.min(maxWaitMs, Math.max(asked, backoff / 2 + Math.random() * (backoff / 2)));
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
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
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    return {
      status: response.status,
      body: parsed,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterS: retryAfter } : {}),
    };
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
