// Fan-out of live store events to the floor view's WebSocket clients, with a bounded history of recent
// events for pages that connect later. Messages are sent as they happen (latency matters more than
// batching at store scale); track updates are coalesced per shopper.

export type FloorMessageType =
  | 'shelf-event'
  | 'session-event'
  | 'stock'
  | 'health'
  | 'alert'
  | 'exception'
  | 'exception-closed'
  | 'exception-frames'
  | 'tracks';

export interface FloorMessage {
  type: FloorMessageType;
  /** Server time the message left the edge (ms), for the page's latency measurement. */
  sentAt: number;
  data: unknown;
}

const HISTORY = 300;

export class FloorHub {
  private readonly clients = new Set<(text: string) => void>();
  private readonly history: FloorMessage[] = [];

  constructor(private readonly now: () => number) {}

  publish(type: FloorMessageType, data: unknown): void {
    const message: FloorMessage = { type, sentAt: this.now(), data };
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
