// The percentile every evaluation and benchmark reports: the value at index ⌊p·n⌋ of the sorted sample
// (clamped to the last), 0 for no sample.

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}
