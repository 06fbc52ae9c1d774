// Loopback helpers for starting services of a run's own (a Mosquitto, a cloud, an edge): a free port, whether
// something accepts connections on one, and where Debian installs the mosquitto binary.
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';

/** The mosquitto binary (Debian's package), or undefined when it is not installed. */
export const MOSQUITTO_BINARY = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));

/** A TCP port nothing listens on now (the OS's pick on 127.0.0.1). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts a TCP connection on the port. */
export const accepts = (port: number, host = '127.0.0.1') =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
