// Fan-out of live store events to the floor view's WebSocket clients, with a bounded history of recent
// events for pages that connect later. Messages are sent as they happen (latency matters more than
// batching at store scale); track updates are coalesced per shopper.
import type { FloorMessage, FloorMessageType, FloorPayloads } from '../../shared/floor-messages.ts';

export type { FloorMessage, FloorMessageType } from '../../shared/floor-messages.ts';

const HISTORY = 300;

export class FloorHub {
  private readonly clients = new Set<(text: string) => void>();
  private readonly history: FloorMessage[] = [];

  constructor(private readonly now: () => number) {}

  /** The payload is the one the message map (shared/floor-messages.ts) gives its type. */
  publish<K extends FloorMessageType>(type: K, data: FloorPayloads[K]): void {
    const message = { type, sentAt: this.now(), data } as FloorMessage;
    if (type !== 'tracks') {
      this.history.push(message);
      if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    }
    if (this.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const send of this.clients) send(text);
  }

  /** Adds a client; returns its removal. */
  connect(send: (text: string) => void): () => void {
    this.clients.add(send);
    return () => this.clients.delete(send);
  }

  recent(): FloorMessage[] {
    return [...this.history];
  }

  clientCount(): number {
    return this.clients.size;
  }
}
