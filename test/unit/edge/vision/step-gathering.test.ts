import { describe, expect, it } from 'vitest';
import { StepFrameQueue } from '../../../../edge/vision/frame-queue.ts';
import { STEP_GATHERING_DEFAULTS, StepGathering } from '../../../../edge/vision/step-gathering.ts';
import { systemTimers } from '../../../../shared/timers.ts';

/** Three cameras at 10 fps, each arriving at its own moment of the period (0, 30, 60 ms), for `periods` periods. */
function staggered(gathering: StepGathering, periods: number): void {
  for (let k = 0; k < periods; k++)
    for (const [i, camera] of ['A', 'B', 'C'].entries()) gathering.heard(camera, k * 100 + i * 30);
}

describe('StepGathering', () => {
  it('waits for every camera sending, at most 0.9 of their frame period after the first frame', () => {
    const gathering = new StepGathering();
    staggered(gathering, 3);
    // the next period's first frame (A) arrived at 300: B and C are due at 330 and 360
    gathering.heard('A', 300);
    expect(gathering.waitLeft(new Map([['A', 1]]), 300, 300)).toBeCloseTo(90, 6);
    expect(gathering.waitLeft(new Map([['A', 1]]), 300, 340)).toBeCloseTo(50, 6);
    gathering.heard('B', 330);
    expect(
      gathering.waitLeft(
        new Map([
          ['A', 1],
          ['B', 1],
        ]),
        300,
        335,
      ),
    ).toBeCloseTo(55, 6);
    // ...and not a moment after the wait is up
    expect(gathering.waitLeft(new Map([['A', 1]]), 300, 395)).toBe(0);
  });

  it('cuts the step as soon as every camera sending has a frame waiting', () => {
    const gathering = new StepGathering();
    staggered(gathering, 3);
    const all = new Map([
      ['A', 1],
      ['B', 1],
      ['C', 1],
    ]);
    expect(gathering.waitLeft(all, 200, 260)).toBe(0);
  });

  it('cuts the step when a camera already waiting sent its next frame: a period has passed', () => {
    const gathering = new StepGathering();
    staggered(gathering, 3);
    expect(
      gathering.waitLeft(
        new Map([
          ['A', 2],
          ['B', 1],
        ]),
        300,
        301,
      ),
    ).toBe(0);
  });

  it('stops waiting for a camera that went dark', () => {
    const gathering = new StepGathering();
    staggered(gathering, 3);
    // C sends nothing more; A and B go on for more than `expectWithinMs`
    const darkFor = STEP_GATHERING_DEFAULTS.expectWithinMs + 100;
    for (let t = 300; t <= 260 + darkFor; t += 100) {
      gathering.heard('A', t);
      gathering.heard('B', t + 30);
    }
    const now = 260 + darkFor;
    const ab = new Map([
      ['A', 1],
      ['B', 1],
    ]);
    expect(gathering.waitLeft(ab, now - 30, now)).toBe(0);
    // while C was only late, a step waited for it
    expect(gathering.waitLeft(ab, 330, 360)).toBeGreaterThan(0);
  });

  it('learns a faster camera rate from the arrivals: 20 fps waits at most 45 ms', () => {
    const gathering = new StepGathering();
    for (let k = 0; k < 20; k++) {
      gathering.heard('A', k * 50);
      gathering.heard('B', k * 50 + 25);
    }
    expect(gathering.waitLeft(new Map([['A', 1]]), 1000, 1000)).toBeCloseTo(45, 1);
  });

  it('has nothing to wait for before any camera was heard', () => {
    expect(new StepGathering().waitLeft(new Map([['A', 1]]), 0, 0)).toBe(0);
  });
});

describe('StepFrameQueue', () => {
  it('gives each step the oldest frame of every camera and keeps the next ones', () => {
    const queue = new StepFrameQueue<string>(systemTimers);
    queue.put('A', 'a1', 0);
    queue.put('B', 'b1', 30);
    queue.put('A', 'a2', 100);
    expect(queue.firstArrivedAt).toBe(0);
    expect(queue.counts()).toEqual(
      new Map([
        ['A', 2],
        ['B', 1],
      ]),
    );
    expect(queue.takeStep().sort()).toEqual(['a1', 'b1']);
    expect(queue.firstArrivedAt).toBe(100);
    expect(queue.takeStep()).toEqual(['a2']);
    expect(queue.size).toBe(0);
    expect(queue.dropped).toBe(0);
  });

  it('drops (and counts) the oldest when a camera gets a third frame ahead of the tracker', () => {
    const queue = new StepFrameQueue<string>(systemTimers);
    for (const [i, f] of ['a1', 'a2', 'a3'].entries()) queue.put('A', f, i * 100);
    expect(queue.dropped).toBe(1);
    expect(queue.takeStep()).toEqual(['a2']);
  });

  it('takes the newest of each camera for a lockstep step, counting the older ones dropped', () => {
    const queue = new StepFrameQueue<string>(systemTimers);
    queue.put('A', 'a1', 0);
    queue.put('A', 'a2', 100);
    queue.put('B', 'b1', 50);
    expect(queue.takeLatest().sort()).toEqual(['a2', 'b1']);
    expect(queue.dropped).toBe(1);
    expect(queue.size).toBe(0);
  });

  it('wakes a wait at the next frame, or when its time is up', async () => {
    const queue = new StepFrameQueue<string>(systemTimers);
    const byFrame = queue.whenPut(10_000);
    queue.put('A', 'a1', 0);
    await byFrame;
    const started = performance.now();
    await queue.whenPut(20);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });
});
