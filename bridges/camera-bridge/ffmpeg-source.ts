// One run of ffmpeg reading a camera's source: JPEGs out of its stdout (split by jpeg-splitter.ts), and one
// `ended` call when it exits for whatever reason (source closed, unreachable, killed). The camera bridge
// starts a new run after a backoff; this class never restarts itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { FFMPEG_BINARY, type FfmpegSource, ffmpegArgs } from './ffmpeg-command.ts';
import { JpegSplitter } from './jpeg-splitter.ts';

export interface FfmpegRunHandlers {
  frame: (jpeg: Buffer) => void;
  /** ffmpeg exited; `detail` is its exit code or signal and the last lines it wrote to stderr. */
  ended: (detail: string) => void;
}

/** Bytes of ffmpeg's stderr kept for the log line when it exits. */
const STDERR_TAIL_BYTES = 2048;
/** How long ffmpeg gets to exit after SIGTERM before it is killed (ms). */
const KILL_GRACE_MS = 2000;

export class FfmpegRun {
  private child: ChildProcess | undefined;
  private stderrTail = '';
  private killTimer: NodeJS.Timeout | undefined;
  private readonly splitter: JpegSplitter;

  constructor(
    private readonly source: FfmpegSource,
    maxFrameBytes: number,
    private readonly handlers: FfmpegRunHandlers,
    private readonly binary = FFMPEG_BINARY,
  ) {
    this.splitter = new JpegSplitter(maxFrameBytes);
  }

  /** Frames split so far and frames dropped for their size. */
  get stats(): { frames: number; oversized: number } {
    return { frames: this.splitter.stats.frames, oversized: this.splitter.stats.oversized };
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    const child = spawn(this.binary, ffmpegArgs(this.source), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const jpeg of this.splitter.push(chunk)) this.handlers.frame(jpeg);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    // 'error' (cannot spawn) and 'close' (exited, pipes drained): whichever comes first ends the run
    let ended = false;
    const end = (detail: string) => {
      if (ended) return;
      ended = true;
      clearTimeout(this.killTimer);
      this.child = undefined;
      this.handlers.ended(`${detail}${this.stderrTail === '' ? '' : `: ${this.stderrTail.trim()}`}`);
    };
    child.once('error', (err) => end(`ffmpeg could not start (${err.message})`));
    child.once('close', (code, signal) => end(`ffmpeg exited (${signal ?? `code ${code}`})`));
  }

  /** Ends the run: SIGTERM, then SIGKILL if ffmpeg is still there after a grace period. */
  stop(): void {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    child.kill('SIGTERM');
    clearTimeout(this.killTimer);
    this.killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    this.killTimer.unref();
  }

  /** Resolves once ffmpeg has exited (at once when it is not running). */
  async exited(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => child.once('close', () => resolve()));
  }
}
