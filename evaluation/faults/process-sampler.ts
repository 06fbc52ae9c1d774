// Samples a running edge process from outside, as an operator's monitoring would: resident memory (/proc),
// the size of its database files, and the event-loop lag p99 it reports on /metrics (per scrape interval).
import { readFileSync, statSync } from 'node:fs';

export interface ProcessSample {
  /** Wall ms since the soak began. */
  atMs: number;
  rssBytes: number;
  dbBytes: number;
  /** p99 event-loop lag over the interval since the previous scrape (ms); undefined when not reported. */
  lagP99Ms: number | undefined;
}

/** Resident set of a process from /proc (Linux), bytes; undefined when it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kb === null ? undefined : Number(kb[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Bytes of an SQLite database with its WAL and shared-memory files. */
export function sqliteBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      total += statSync(file).size;
    } catch {
      // absent: not created yet, or checkpointed away
    }
  }
  return total;
}

/** The edge's walkout_edge_nodejs_eventloop_lag_p99_seconds, in ms (prom-client resets it at each scrape). */
export async function eventLoopLagP99Ms(metricsUrl: string): Promise<number | undefined> {
  const text = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) }).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const match = /^walkout_edge_nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([0-9.eE+-]+)$/m.exec(text);
  return match === null ? undefined : Number(match[1]) * 1000;
}

/** Median of a few samples (robust to one GC pause). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
