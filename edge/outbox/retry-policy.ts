// When to try a delivery again: exponential backoff with jitter, the cloud's Retry-After honoured (seconds or
// an HTTP-date), both capped. Pure: the caller passes the attempt count, the clock reading and a random draw.

export interface RetrySettings {
  /** First retry waits about this long (ms); each further attempt doubles it. */
  baseMs: number;
  /** Longest backoff (ms). An hour-long outage then costs one attempt every `maxBackoffMs`, not a storm. */
  maxBackoffMs: number;
  /** Longest wait a Retry-After may ask for (ms); a larger or nonsensical value is cut to this. */
  maxRetryAfterMs: number;
}

/**
 * Defaults: 250 ms doubling to a 60 s cap — a brief cloud restart is bridged in a second or two, and an edge
 * cut off for an hour probes once a minute (60 tiny requests), so its backlog starts draining within a
 * minute of the cloud's return. Retry-After is believed up to 10 min (longer would hide a misconfigured
 * proxy from the operator for too long).
 */
export const DEFAULT_RETRY: RetrySettings = { baseMs: 250, maxBackoffMs: 60_000, maxRetryAfterMs: 600_000 };

/**
 * Backoff before the next attempt after `attempts` failed ones (≥ 1): "equal jitter" — half the exponential
 * step fixed, half drawn — so many edges (or many items) that failed together do not retry together, yet no
 * retry comes sooner than half its step. `random` is uniform in [0, 1).
 */
export function backoffMs(attempts: number, random: number, settings: RetrySettings = DEFAULT_RETRY): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const step = Math.min(settings.maxBackoffMs, settings.baseMs * 2 ** exponent);
  return Math.round(step / 2 + (step / 2) * Math.min(Math.max(random, 0), 1));
}

/**
 * The wait a Retry-After header asks for (ms from `now`), or undefined when absent or unreadable. Both forms of
 * RFC 9110 §10.2.3: delay-seconds (`120`) and an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`); a date in the
 * past means now. Capped at `maxRetryAfterMs`.
 */
export function retryAfterMs(
  header: string | null | undefined,
  now: number,
  settings: RetrySettings = DEFAULT_RETRY,
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  let waitMs: number;
  if (/^\d+$/.test(value)) {
    waitMs = Number(value) * 1000;
  } else {
    // every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with the weekday; Date.parse alone would
    // also take "-1" or "2026"
    if (!/^[A-Za-z]{3,9},? /.test(value)) return undefined;
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    waitMs = Math.max(0, at - now);
  }
  return Math.min(waitMs, settings.maxRetryAfterMs);
}

/**
 * The next attempt's wait: what the cloud's Retry-After asked for (never sooner; plus up to 10 %, at most 1 s,
 * so the items it refused together do not all return in the same millisecond), else the jittered backoff.
 */
export function nextRetryMs(
  attempts: number,
  random: number,
  retryAfter: number | undefined,
  settings: RetrySettings = DEFAULT_RETRY,
): number {
  if (retryAfter === undefined) return backoffMs(attempts, random, settings);
  return retryAfter + Math.round(Math.min(Math.max(random, 0), 1) * Math.min(1000, retryAfter / 10));
}
