import { describe, expect, it } from 'vitest';
import { MotAccumulator } from '../../../../evaluation/vision-eval/mot-metrics.ts';

describe('MotAccumulator', () => {
  it("counts each person's switch in a swap, breaks both sessions and dates each break", () => {
    const mot = new MotAccumulator(0.3);
    const people = (ax: number, bx: number) => [
      { id: 'kim', session: 'kim', x: ax, y: 0 },
      { id: 'leo', session: 'leo', x: bx, y: 0 },
    ];
    // the tracks stay where they were
    const tracks = [
      { id: 'T1', session: 'kim', x: 0, y: 0 },
      { id: 'T2', session: 'leo', x: 2, y: 0 },
    ];
    mot.addTick(people(0, 2), tracks, 1);
    // they pass each other and the tracks follow the wrong one
    mot.addTick(people(2, 0), tracks, 1.5);
    mot.addTick(people(2, 0), tracks);
    const s = mot.summary();
    expect(s.idSwitches).toBe(2);
    expect(s.sessions).toBe(2);
    expect(s.sessionsIntact).toBe(0);
    expect(s.broken).toEqual([
      { session: 'kim', reason: 'kim tracked as T2 with session leo at 1.5 s' },
      { session: 'leo', reason: 'leo tracked as T1 with session kim at 1.5 s' },
    ]);
    expect(s.wrongButSure).toBe(4);
  });

  it('keeps a session intact while its track carries it, and names an unbound track without a time', () => {
    const mot = new MotAccumulator(0.3);
    mot.addTick(
      [{ id: 'ann', session: 'ann', x: 1, y: 1 }],
      [{ id: 'T1', session: 'ann', x: 1.1, y: 1 }],
      0.1,
    );
    mot.addTick([{ id: 'bo', session: 'bo', x: 3, y: 1 }], [{ id: 'T9', session: null, x: 3, y: 1 }]);
    const s = mot.summary();
    expect(s.sessionsIntact).toBe(1);
    expect(s.broken).toEqual([{ session: 'bo', reason: 'bo tracked as T9 with session none' }]);
    expect(s.wrongButSure).toBe(0);
  });
});
