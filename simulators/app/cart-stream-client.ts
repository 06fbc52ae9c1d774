// The shopper app's live-cart stream as a Node client (the bench and the tests): opens the cloud's
// Server-Sent Events stream with the shopper's session, parses its events, keeps the newest cart per visit
// and reconnects with Last-Event-ID when the connection drops, as the web app does.

export interface StreamedEvent {
  id: string;
  event: string;
  data: unknown;
  /** Wall clock when it arrived (ms). */
  receivedAt: number;
}

export interface CartStreamOptions {
  cloudUrl: string;
  /** The shopper's session token. */
  token: string;
  onEvent?: (event: StreamedEvent) => void;
  /** Wait before reconnecting (ms, default 500). */
  reconnectMs?: number;
}

export class CartStreamClient {
  readonly events: StreamedEvent[] = [];
  private lastEventId: string | undefined;
  private abort: AbortController | undefined;
  private running = false;
  private opened: Promise<void> | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: CartStreamOptions) {}

  /** Resolves once the stream is open (its first bytes arrived). */
  start(): Promise<void> {
    this.running = true;
    this.opened = new Promise((resolve, reject) => {
      this.loop = this.run(resolve, reject);
    });
    return this.opened;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort?.abort();
    await this.loop?.catch(() => undefined);
  }

  /** Resolves with the first event (already received or to come) that matches, or rejects after `timeoutMs`. */
  async waitFor(match: (e: StreamedEvent) => boolean, timeoutMs = 10_000): Promise<StreamedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching stream event within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private async run(opened: () => void, failed: (err: unknown) => void): Promise<void> {
    let first = true;
    while (this.running) {
      this.abort = new AbortController();
      try {
        const response = await fetch(`${this.options.cloudUrl}/v1/me/cart/stream`, {
          headers: {
            authorization: `Bearer ${this.options.token}`,
            accept: 'text/event-stream',
            ...(this.lastEventId === undefined ? {} : { 'last-event-id': this.lastEventId }),
          },
          signal: this.abort.signal,
        });
        if (!response.ok || response.body === null)
          throw new Error(`cart stream answered ${response.status}: ${await response.text()}`);
        await this.read(response.body, () => {
          if (first) opened();
          first = false;
        });
      } catch (err) {
        if (!this.running) return;
        if (first) return failed(err);
      }
      if (this.running) await new Promise((r) => setTimeout(r, this.options.reconnectMs ?? 500));
    }
  }

  private async read(body: ReadableStream<Uint8Array>, onBytes: () => void): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body) {
      onBytes();
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        this.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  }

  private parse(block: string): void {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (id === undefined || data.length === 0) return;
    this.lastEventId = id;
    const parsed: StreamedEvent = { id, event, data: JSON.parse(data.join('\n')), receivedAt: Date.now() };
    this.events.push(parsed);
    this.options.onEvent?.(parsed);
  }
}
