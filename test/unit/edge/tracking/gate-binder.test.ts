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
    expect(binder.bindNewTrack(2, 1.2, 5600)).toBe('s2');
    expect(binder.bindNewTrack(2.2, 1.0, 10_100)).toBe('s3');
  });

  it('keeps two shoppers scanning a second apart in order, though both step in after both scans', () => {
    const binder = new GateBinder(gates);
    binder.entered('alice', 'G-IN', 1, 500);
    binder.entered('bob', 'G-IN', 1, 1500);
    expect(binder.bindNewTrack(2, 0.3, 1600)).toBe('alice');
    expect(binder.bindNewTrack(2, 0.3, 2600)).toBe('bob');
  });

  it('gives a party its slots in turn and nobody else', () => {
    const binder = new GateBinder(gates);
    binder.entered('family', 'G-IN', 3, 500);
    expect(binder.bindNewTrack(2, 1, 1200)).toBe('family');
    expect(binder.bindNewTrack(2, 1, 2100)).toBe('family');
    expect(binder.bindNewTrack(2, 1, 3000)).toBe('family');
    expect(binder.bindNewTrack(2, 1, 3900)).toBeUndefined();
  });

  it('does not bind people who appear away from the entry gate', () => {
    const binder = new GateBinder(gates);
    binder.entered('s1', 'G-IN', 1, 0);
    expect(binder.bindNewTrack(12, 9, 800)).toBeUndefined();
    expect(binder.bindNewTrack(2, 1, 900)).toBe('s1');
  });
});
