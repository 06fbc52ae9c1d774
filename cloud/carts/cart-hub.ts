// Fans live-cart and receipt events out to the shopper's open apps, by account: every app signed in to the
// account that shops (a party shops on one account) gets the same events, and no other account ever does.
// In memory, per cloud instance: a shopper's stream and the edge's upload must reach the same instance (one
// instance, or sticky routing by store; docs/cloud-api.md says so). Bounded per account and in total.

/** One event of the shopper's stream (Server-Sent Events: `id`, `event`, `data`). */
export interface StreamEvent {
  id: string;
  event: 'cart' | 'receipt';
  data: unknown;
}

export type StreamListener = (event: StreamEvent) => void;

export interface CartHubLimits {
  /** Open streams one account may hold (its phones and tabs); the oldest is closed beyond it. */
  perAccount: number;
  /** Open streams in all (the instance's share of shoppers inside); beyond it a new stream is refused. */
  total: number;
}

export const DEFAULT_CART_HUB_LIMITS: CartHubLimits = { perAccount: 8, total: 20_000 };

interface Subscriber {
  open: boolean;
  listener: StreamListener;
  /** Closes the stream (when pushed out by a newer one of the same account). */
  close: () => void;
}

export class CartHub {
  /** by account id: its open streams, oldest first */
  private readonly streams = new Map<string, Subscriber[]>();
  private count = 0;

  constructor(private readonly limits: CartHubLimits = DEFAULT_CART_HUB_LIMITS) {}

  /** Opens a stream for the account; undefined when the instance is full. Returns the unsubscribe. */
  subscribe(accountId: string, listener: StreamListener, close: () => void): (() => void) | undefined {
    if (this.count >= this.limits.total) return undefined;
    const list = this.streams.get(accountId) ?? [];
    const subscriber: Subscriber = { open: true, listener, close };
    list.push(subscriber);
    this.streams.set(accountId, list);
    this.count++;
    const unsubscribe = (s: Subscriber) => {
      if (!s.open) return;
      s.open = false;
      const current = this.streams.get(accountId) ?? [];
      const at = current.indexOf(s);
      if (at >= 0) current.splice(at, 1);
      if (current.length === 0) this.streams.delete(accountId);
      this.count--;
    };
    while (list.length > this.limits.perAccount) {
      const oldest = list[0] as Subscriber;
      unsubscribe(oldest);
      oldest.close();
    }
    return () => unsubscribe(subscriber);
  }

  publish(accountId: string, event: StreamEvent): number {
    const list = this.streams.get(accountId) ?? [];
    for (const s of [...list]) s.listener(event);
    return list.length;
  }

  /** Ends every stream (the cloud is stopping: open streams would keep it from closing). */
  closeAll(): void {
    const all = [...this.streams.values()].flat();
    this.streams.clear();
    this.count = 0;
    for (const s of all) {
      s.open = false;
      s.close();
    }
  }

  /** Open streams in all. */
  get size(): number {
    return this.count;
  }
}
