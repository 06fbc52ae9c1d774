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
  /** V8 heap in use (bytes, from /metrics); undefined when not reported. */
  heapUsedBytes: number | undefined;
}

/** What the edge's /metrics says about itself in one scrape. */
export interface EdgeSelfReport {
  lagP99Ms: number | undefined;
  heapUsedBytes: number | undefined;
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

const metricValue = (text: string, name: string): number | undefined => {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return match === null ? undefined : Number(match[1]);
};

/**
 * The edge's walkout_edge_nodejs_eventloop_lag_p99_seconds in ms (prom-client resets it at each scrape) and
 * its V8 heap in use, from one scrape of /metrics.
 */
export async function edgeSelfReport(metricsUrl: string): Promise<EdgeSelfReport> {
  const text = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) }).then(
    (r) => (r.ok ? r.text() : ''),
    () => '',
  );
  const lag = metricValue(text, 'walkout_edge_nodejs_eventloop_lag_p99_seconds');
  return {
    lagP99Ms: lag === undefined ? undefined : lag * 1000,
    heapUsedBytes: metricValue(text, 'walkout_edge_nodejs_heap_size_used_bytes'),
  };
}

/**
 * Growth (%) of a quantity sampled over a run, after its warm-up: the median of the last tenth of the samples
 * against the median of the first tenth (at least 3 samples each). Medians of tenths, not two single
 * samples, so one garbage collection or one busy pass at either end does not decide it. NaN with fewer than
 * 6 samples.
 */
export function growthPct(values: readonly number[]): number {
  if (values.length < 6) return Number.NaN;
  const tenth = Math.max(3, Math.floor(values.length / 10));
  const first = median(values.slice(0, tenth));
  const last = median(values.slice(-tenth));
  return ((last - first) / first) * 100;
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
