// N cloud processes (`cloud/main.ts`, as deployed) on one PostgreSQL schema behind a real haproxy from
// Debian: round-robin, health-checked on /health every 500 ms, a request whose replica is gone retried on
// another (retry-on conn-failure/empty-response, redispatch). For bench:cloud --replicas; stop() ends all.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CloudReplicasOptions {
  databaseUrl: string;
  schema: string;
  storeConfigPath: string;
  storeCredential: string;
  replicas: number;
}

export interface CloudReplicas {
  /** The load balancer's URL. */
  url: string;
  /** The replicas' process ids, in order (CPU accounting). */
  pids: number[];
  /** SIGKILLs replica `index` (a crash: no graceful stop); resolves when it is gone. */
  kill(index: number): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
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

async function waitHealthy(url: string, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} not healthy at ${url} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function haproxyConfig(frontPort: number, backendPorts: number[]): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 3',
    '  option redispatch',
    // Uploads are idempotent (Idempotency-Key visit:<id>), so a request lost with its replica may be resent.
    '  retry-on conn-failure empty-response response-timeout',
    '  option http-buffer-request',
    'frontend cloud',
    `  bind 127.0.0.1:${frontPort}`,
    '  default_backend replicas',
    'backend replicas',
    '  balance roundrobin',
    '  option httpchk GET /health',
    ...backendPorts.map((port, i) => `  server r${i} 127.0.0.1:${port} check inter 500ms fall 1 rise 2`),
    '',
  ].join('\n');
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startCloudReplicas(options: CloudReplicasOptions): Promise<CloudReplicas> {
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'walkout-haproxy-'));
  const stop = async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = await Promise.all(Array.from({ length: options.replicas }, freePort));
    for (const port of ports) {
      const child = spawn(process.execPath, [...process.execArgv, 'cloud/main.ts'], {
        env: {
          ...process.env,
          DATABASE_URL: options.databaseUrl,
          DATABASE_SCHEMA: options.schema,
          PORT: String(port),
          STORE_CONFIG: options.storeConfigPath,
          STORE_CREDENTIAL: options.storeCredential,
          RATE_LIMIT_SCALE: '0',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
    }
    await Promise.all(ports.map((port, i) => waitHealthy(`http://127.0.0.1:${port}`, `replica ${i}`)));
    const frontPort = await freePort();
    const configPath = join(dir, 'haproxy.cfg');
    writeFileSync(configPath, haproxyConfig(frontPort, ports));
    const haproxy = spawn('haproxy', ['-db', '-f', configPath], { stdio: ['ignore', 'ignore', 'inherit'] });
    haproxy.once('error', (err) => console.error(`haproxy: ${err.message} (apt-get install -y haproxy)`));
    children.push(haproxy);
    const url = `http://127.0.0.1:${frontPort}`;
    await waitHealthy(url, 'haproxy', 20_000);
    return {
      url,
      pids: children.slice(0, options.replicas).map((child) => child.pid ?? 0),
      async kill(index) {
        const child = children[index];
        if (child === undefined) throw new Error(`no replica ${index}`);
        child.kill('SIGKILL');
        await exited(child);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
