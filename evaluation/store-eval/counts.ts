// Pure: counts by key (lines to staff by rule, slow receipts by what held them), added up and printed.
/** Counts added up key by key, the commonest first (ties by key). */
export function addCounts(counts: Iterable<readonly [string, number]>): Record<string, number> {
  const sums = new Map<string, number>();
  for (const [key, n] of counts) sums.set(key, (sums.get(key) ?? 0) + n);
  return Object.fromEntries([...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/** Counts as one line of text: `close-call 22, identity-doubtful 12`. */
export function countsText(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
}
