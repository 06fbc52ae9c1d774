// A simulated shopper's phone that also lets a test act as that shopper: the cloud client the scenario
// runner uses, remembering each shopper's session (by the shopper id in the scenario email) as it signs in.
import { CloudAppClient } from '../../simulators/app/cloud-app-client.ts';
import type {
  Credentials,
  EntryTokenResult,
  Receipt,
  ShopperApp,
  ShopperSession,
} from '../../simulators/app/shopper-app.ts';

export class RecordingApp implements ShopperApp {
  private readonly inner: CloudAppClient;
  /** by scenario shopper id */
  readonly sessions = new Map<string, ShopperSession>();

  constructor(
    cloudUrl: string,
    /** Called once per shopper, when they first sign in (before their entry token is asked for). */
    private readonly signedIn?: (
      shopperId: string,
      session: ShopperSession,
      credentials: Credentials,
    ) => Promise<void>,
  ) {
    this.inner = new CloudAppClient(cloudUrl);
  }

  async signUpOrIn(credentials: Credentials): Promise<ShopperSession> {
    const session = await this.inner.signUpOrIn(credentials);
    // scenario emails are <scenario>-<shopper>-<nonce>@sim.walkout.test
    const shopperId = credentials.email.split('@')[0]?.split('-').at(-2) ?? credentials.email;
    if (!this.sessions.has(shopperId)) {
      this.sessions.set(shopperId, session);
      await this.signedIn?.(shopperId, session, credentials);
    }
    return session;
  }

  addCard(session: ShopperSession, cardToken: string): Promise<void> {
    return this.inner.addCard(session, cardToken);
  }

  entryToken(session: ShopperSession, party: number): Promise<EntryTokenResult> {
    return this.inner.entryToken(session, party);
  }

  receipts(session: ShopperSession): Promise<Receipt[]> {
    return this.inner.receipts(session);
  }
}
