// One Walkout part (cloud, edge, simulator) as its own OS process: `node --import tsx <entry>` so the pid is
// the process itself (SIGKILL reaches it, not a wrapper), its output kept in a log file and the last lines in
// memory, lines watched for the moment a fault is due.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ChildServiceOptions {
  /** Short name in progress lines and errors: cloud, edge, simulator. */
  name: string;
  /** TypeScript entry point, relative to the repository root (cwd). */
  entry: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  /** Modules loaded before the entry (`--import`), e.g. the fault harness's clock step. */
  preload?: string[];
  /** Every line of stdout and stderr is appended here. */
  logPath: string;
}

type LineWatcher = { test: (line: string) => boolean; resolve: (line: string) => void };

/** Lines kept in memory for an error message. */
const TAIL_LINES = 40;

export class ChildServiceExitedError extends Error {
  readonly code = 'CHILD_EXITED';
}

export class ChildService {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private readonly tail: string[] = [];
  private readonly watchers = new Set<LineWatcher>();
  private readonly lineListeners = new Set<(line: string) => void>();
  private exited: Promise<number | null> = Promise.resolve(null);
  /** Starts so far (1 after the first start, 2 after a restart, …). */
  starts = 0;

  constructor(private readonly options: ChildServiceOptions) {}

  /** Changes the environment of the next start (an operator editing the service's settings before a restart). */
  setEnv(changes: Record<string, string>): void {
    this.options.env = { ...this.options.env, ...changes };
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  get running(): boolean {
    return this.pid !== undefined;
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.log ??= createWriteStream(this.options.logPath, { flags: 'a' });
    this.starts += 1;
    this.log.write(`--- start ${this.starts} at ${new Date().toISOString()}\n`);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        ...(this.options.preload ?? []).flatMap((module) => ['--import', module]),
        this.options.entry,
        ...(this.options.args ?? []),
      ],
      {
        env: this.options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue;
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.log?.write(`--- exit ${code ?? signal} at ${new Date().toISOString()}\n`);
        resolve(code);
      });
    });
  }

  /** SIGKILL: the process gets no chance to flush or say goodbye, as in a power cut of that machine. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait (bounded; then SIGKILL). */
  async stop(timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (child !== undefined && this.running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => {
      if (this.log === undefined) resolve();
      else this.log.end(() => resolve());
    });
    this.log = undefined;
  }

  /** Resolves with the first line (from now on) that passes `test`; rejects if the process exits first. */
  waitForLine(test: (line: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const watcher: LineWatcher = {
        test,
        resolve: (line) => {
          cleanup();
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.lastLines()}`));
      }, timeoutMs);
      const onExit = (code: number | null) => {
        cleanup();
        reject(
          new ChildServiceExitedError(`${this.name} exited (${code}) before ${what}\n${this.lastLines()}`),
        );
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.watchers.delete(watcher);
        this.child?.off('exit', onExit);
      };
      this.watchers.add(watcher);
      this.child?.once('exit', onExit);
    });
  }

  /** Calls `listener` with every line until the returned function is called. */
  onEachLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Resolves when the process has exited, with its code. */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  lastLines(): string {
    return this.tail.map((l) => `  ${this.name}| ${l}`).join('\n');
  }

  private onLine(line: string): void {
    this.log?.write(`${line}\n`);
    this.tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    for (const listener of this.lineListeners) listener(line);
    for (const watcher of [...this.watchers]) if (watcher.test(line)) watcher.resolve(line);
  }
}
