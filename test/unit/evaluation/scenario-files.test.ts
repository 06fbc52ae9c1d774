import { describe, expect, it } from 'vitest';
import { scenarioFiles } from '../../../evaluation/scenario-files.ts';

describe('scenarioFiles', () => {
  const suite = ['scenarios/suite'];
  it('keeps the files whose path contains any of the filters, given once or more', () => {
    const crossing = scenarioFiles(suite, ['crossing']);
    expect(crossing.length).toBeGreaterThan(0);
    expect(crossing.every((f) => f.includes('crossing'))).toBe(true);
    const both = scenarioFiles(suite, ['crossing', 'same-lane']);
    expect(both).toEqual(scenarioFiles(suite).filter((f) => /crossing|same-lane/.test(f)));
    expect(both.some((f) => f.includes('same-lane'))).toBe(true);
    expect(scenarioFiles(suite, [])).toEqual(scenarioFiles(suite));
  });

  it('says so when nothing matched or a path does not exist', () => {
    expect(() => scenarioFiles(suite, ['no-such-family'])).toThrow(/no scenario files/);
    expect(() => scenarioFiles(['scenarios/nowhere'])).toThrow(/no such file or folder/);
  });
});
