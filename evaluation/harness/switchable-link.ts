// A real TCP link between a client and a server that a test can cut: 'up' forwards both ways, 'refused'
// resets every new connection (the store's uplink is down), 'lose-answers' forwards requests but resets the
// client's connection as the server answers (the cloud did the work, the edge never heard). Counts
// connections so a test can say how often the client tried.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type LinkMode = 'up' | 'refused' | 'lose-answers';

export interface SwitchableLink {
  url: string;
  readonly mode: LinkMode;
  /** Switches the link; connections already open are cut (a kept-alive connection does not outlive an outage). */
  set(mode: LinkMode): void;
  /** Connections attempted, by the mode the link was in. */
  readonly attempts: Record<LinkMode, number>;
  /** Called on each new connection (e.g. to note the virtual time of an attempt). */
  onConnection: ((mode: LinkMode) => void) | undefined;
  close(): Promise<void>;
}

export async function startSwitchableLink(target: string): Promise<SwitchableLink> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const link: SwitchableLink = {
    url: '',
    mode: 'up',
    attempts: { up: 0, refused: 0, 'lose-answers': 0 },
    onConnection: undefined,
    set(mode) {
      (link as { mode: LinkMode }).mode = mode;
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((client) => {
    const mode = link.mode;
    link.attempts[mode]++;
    link.onConnection?.(mode);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (mode === 'refused') {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: hostname, port: Number(port) });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    if (mode === 'up') upstream.pipe(client);
    else upstream.once('data', () => client.resetAndDestroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('link has no port');
  link.url = `http://127.0.0.1:${address.port}`;
  return link;
}
