// Fan-out of live store events to the floor view's WebSocket clients, with a bounded history of recent
// events for pages that connect later. Messages are sent as they happen (latency matters more than
// batching at store scale); track updates are coalesced per shopper.
import type { FloorMessage, FloorMessageType, FloorPayloads } from '../../shared/floor-messages.ts';

export type { FloorMessage, FloorMessageType } from '../../shared/floor-messages.ts';

const HISTORY = 300;

/**
 * A floor client further behind than this (bytes its socket has not yet sent, ws `bufferedAmount`) is dropped:
 * 4 MiB is many seconds of the busiest feed (50 shoppers' tracks at 10 Hz are ~40 KiB/s), so only a client that
 * stopped reading reaches it; its page reconnects and reloads the snapshot.
 */
export const FLOOR_CLIENT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Sends one message to a client; returns `false` when the client was too far behind and has been dropped
 * (anything else keeps it: in-process listeners such as the evaluation's return nothing).
 */
export type FloorClient = (text: string) => unknown;

export class FloorHub {
  private readonly clients = new Set<FloorClient>();
  private readonly history: FloorMessage[] = [];
  /** Clients dropped for falling behind since start. */
  droppedClients = 0;

  constructor(
    private readonly now: () => number,
    private readonly onClientDropped?: () => void,
  ) {}

  /** The payload is the one the message map (shared/floor-messages.ts) gives its type. */
  publish<K extends FloorMessageType>(type: K, data: FloorPayloads[K]): void {
    const message = { type, sentAt: this.now(), data } as FloorMessage;
    if (type !== 'tracks') {
      this.history.push(message);
      if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    }
    if (this.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const send of this.clients) {
      if (send(text) !== false) continue;
      this.clients.delete(send);
      this.droppedClients++;
      this.onClientDropped?.();
    }
  }

  /** Adds a client; returns its removal. */
  connect(send: FloorClient): () => void {
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
