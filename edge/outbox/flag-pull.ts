// Brings the shoppers' "I didn't take this" flags (#18) from the cloud to the edge. The edge pulls — it
// reaches the cloud, never the other way (a store sits behind NAT and firewalls) — every few seconds, over
// the same authenticated store link as the outbox: GET the flags not yet acknowledged, hand each to staff,
// then acknowledge them. A flag whose acknowledgement is lost comes again and is recognised by its id, so
// each opens one staff decision however often it arrives; a link that is down is simply tried again.
import type { Logger } from 'pino';
import { type CartFlag, CartFlagsPageSchema } from '../../shared/schemas/live-cart.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import { compileValidator, parseJson } from '../../shared/validator.ts';
import { requestCloud } from './store-link-request.ts';

export interface FlagPullOptions {
  cloudUrl: string;
  storeId: string;
  credential: string;
  /** Handles one flag (opens the staff decision, or refuses it); it is acknowledged either way. */
  flagged: (flag: CartFlag) => void;
  logger: Logger;
  /** Default: wall-clock timers. */
  timers?: Timers;
  /** How often the cloud is asked (ms, default 1000: a flag reaches the floor within about a second). */
  everyMs?: number;
  requestTimeoutMs?: number;
  /** A page the cloud sent was not valid (counted; the flags wait on the cloud for the next pull). */
  rejected?: () => void;
}

const pageValidator = compileValidator(CartFlagsPageSchema);

export class FlagPull {
  private cancel: CancelTimer | undefined;
  private pulling: Promise<void> | undefined;
  /** Failed pulls in a row: logged once per streak, not every second. */
  private failures = 0;

  constructor(private readonly options: FlagPullOptions) {}

  start(): void {
    this.cancel ??= (this.options.timers ?? systemTimers).every(this.options.everyMs ?? 1000, () =>
      this.pullOnce(),
    );
  }

  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = undefined;
    await this.pulling;
  }

  /** One pull (skipped while the previous one is still out); resolves when done. */
  pullOnce(): Promise<void> {
    this.pulling ??= this.pull()
      .catch((err: unknown) => this.failed(err))
      .finally(() => {
        this.pulling = undefined;
      });
    return this.pulling;
  }

  private async pull(): Promise<void> {
    const base = `${this.options.cloudUrl}/v1/stores/${encodeURIComponent(this.options.storeId)}/cart-flags`;
    const page = await this.call(base, 'GET');
    const checked = parseJson(pageValidator, page);
    if (!checked.ok) {
      this.options.rejected?.();
      throw new Error(`the cloud sent flags the edge cannot read: ${checked.errors.join('; ')}`);
    }
    const { flags } = checked.value;
    if (flags.length === 0) return this.recovered();
    for (const flag of flags) this.options.flagged(flag);
    await this.call(`${base}/ack`, 'POST', JSON.stringify({ flagIds: flags.map((f) => f.flagId) }));
    this.recovered();
  }

  private call(url: string, method: 'GET' | 'POST', body?: string): Promise<string> {
    return requestCloud({
      url,
      method,
      credential: this.options.credential,
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.options.requestTimeoutMs ?? 10_000,
    });
  }

  private recovered(): void {
    if (this.failures > 0)
      this.options.logger.info({ failures: this.failures }, 'shopper flags reach the edge again');
    this.failures = 0;
  }

  private failed(err: unknown): void {
    if (this.failures++ === 0)
      this.options.logger.warn(
        { err: (err as Error).message },
        'cannot pull shopper flags from the cloud; retrying every second (check CLOUD_URL and the store credential)',
      );
  }
}
