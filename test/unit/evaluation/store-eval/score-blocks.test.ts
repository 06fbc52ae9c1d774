// What still goes to staff and why: each run's unsettled exceptions by rule add up per family and overall.
import { describe, expect, it } from 'vitest';
import { addCounts, countsText } from '../../../../evaluation/store-eval/counts.ts';
import type { ScenarioResult } from '../../../../evaluation/store-eval/scenario-result.ts';
import { scoreBlock } from '../../../../evaluation/store-eval/score-blocks.ts';

const result = (toStaffWhy: Record<string, number>): ScenarioResult => ({
  name: 'x',
  family: 'f',
  variant: 0,
  seed: 1,
  outcomes: [],
  decisions: [],
  linesTaken: 10,
  toStaff: Object.values(toStaffWhy).reduce((s, n) => s + n, 0),
  toStaffWhy,
  framesDropped: 0,
  framesInferred: 0,
  framesSkipped: 0,
  wallMs: 0,
  deviceS: 0,
});

describe('lines to staff by why', () => {
  it('adds counts up key by key, the commonest first, ties by name', () => {
    const counts = addCounts([
      ['b', 1],
      ['a', 1],
      ['c', 2],
      ['a', 1],
      ['c', 1],
    ]);
    expect(Object.entries(counts)).toEqual([
      ['c', 3],
      ['a', 2],
      ['b', 1],
    ]);
    expect(countsText(counts)).toBe('c 3, a 2, b 1');
    expect(addCounts([])).toEqual({});
  });

  it('adds the runs of a block up, summing to its toStaff', () => {
    const block = scoreBlock([
      result({ 'close-call': 2, 'identity-doubtful': 1 }),
      result({ 'identity-doubtful': 3 }),
      result({}),
    ]);
    expect(Object.entries(block.toStaffWhy)).toEqual([
      ['identity-doubtful', 4],
      ['close-call', 2],
    ]);
    expect(Object.values(block.toStaffWhy).reduce((s, n) => s + n, 0)).toBe(block.toStaff);
  });
});
