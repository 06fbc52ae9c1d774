import { describe, expect, it } from 'vitest';
import { GateBinder } from '../../../../edge/tracking/gate-binder.ts';

const gates = [
  { id: 'G-IN', kind: 'entry' as const, x: 2, y: 0.5 },
  { id: 'G-OUT', kind: 'exit' as const, x: 5, y: 0.5 },
];

describe('GateBinder', () => {
  it('binds a newcomer to the scan just before them, not to an older slot nobody used', () => {
    const binder = new GateBinder(gates);
    binder.entered('s1', 'G-IN', 1, 0);
    binder.entered('s2', 'G-IN', 1, 4500);
    binder.entered('s3', 'G-IN', 1, 9000);
    // s1's person was never seen coming in; the others were, each about a second after their scan
    expect(binder.bindNewTrack(2, 1.2, 5600)?.sessionId).toBe('s2');
    expect(binder.bindNewTrack(2.2, 1.0, 10_100)?.sessionId).toBe('s3');
  });

  it('keeps two shoppers scanning a second apart in order, though both step in after both scans', () => {
    const binder = new GateBinder(gates);
    binder.entered('alice', 'G-IN', 1, 500);
    binder.entered('bob', 'G-IN', 1, 1500);
    expect(binder.bindNewTrack(2, 0.3, 1600)?.sessionId).toBe('alice');
    expect(binder.bindNewTrack(2, 0.3, 2600)?.sessionId).toBe('bob');
  });

  it('gives a party its slots in turn and nobody else', () => {
    const binder = new GateBinder(gates);
    binder.entered('family', 'G-IN', 3, 500);
    expect(binder.bindNewTrack(2, 1, 1200)?.sessionId).toBe('family');
    expect(binder.bindNewTrack(2, 1, 2100)?.sessionId).toBe('family');
    expect(binder.bindNewTrack(2, 1, 3000)?.sessionId).toBe('family');
    expect(binder.bindNewTrack(2, 1, 3900)?.sessionId).toBeUndefined();
  });

  it('does not bind people who appear away from the entry gate', () => {
    const binder = new GateBinder(gates);
    binder.entered('s1', 'G-IN', 1, 0);
    expect(binder.bindNewTrack(12, 9, 800)?.sessionId).toBeUndefined();
    expect(binder.bindNewTrack(2, 1, 900)?.sessionId).toBe('s1');
  });

  it('binds people who came in unseen in the order they scanned, each in doubt while the other was to come', () => {
    const binder = new GateBinder(gates);
    binder.entered('eva', 'G-IN', 1, 500);
    binder.entered('hugo', 'G-IN', 1, 2000);
    // the gate's camera was dark: both are first seen 2 m inside, eva 4.8 s and hugo 5.8 s into the run
    expect(binder.bindNewTrack(3, 2.3, 4800)).toEqual({ sessionId: 'eva', contested: true });
    expect(binder.bindNewTrack(3, 2.3, 5800)).toEqual({ sessionId: 'hugo', contested: true });
  });

  it('does not doubt one seen stepping in on time, nor one who came in unseen with no other scan open', () => {
    const binder = new GateBinder(gates);
    binder.entered('ann', 'G-IN', 1, 0);
    binder.entered('ben', 'G-IN', 1, 1000);
    expect(binder.bindNewTrack(2, 0.8, 1100)).toEqual({ sessionId: 'ann', contested: false });
    // ben first seen late and off the gate, but his is the only scan still open
    expect(binder.bindNewTrack(3, 2.5, 6000)).toEqual({ sessionId: 'ben', contested: false });
  });
});
