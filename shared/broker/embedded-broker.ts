// An in-process MQTT 3.1.1 broker (aedes) for the demo, a fresh laptop and tests; production uses Mosquitto.
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  /** mqtt://127.0.0.1:<port> */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts aedes on 127.0.0.1; port 0 picks a free port (1883 is Mosquitto's on these machines). */
export async function startEmbeddedBroker(port = 0): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  // no Nagle: a device's small messages (a load-cell batch is ~1 KB) go out at once instead of waiting up to
  // 40 ms for the TCP acknowledgement of the one before (Mosquitto's set_tcp_nodelay)
  const server: Server = createServer({ noDelay: true }, aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('embedded broker has no TCP address');
  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    port: address.port,
    async stop() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
