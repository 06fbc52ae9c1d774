import { describe, expect, it } from 'vitest';
import { camerasForLanes } from '../../../../edge/floor/lane-cameras.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';

describe('camerasForLanes', () => {
  const store = indexStore(loadStoreConfig('stores/sample-store.json'));

  it('returns cameras whose view covers the lane, nearest first', () => {
    const lane = store.laneById.get('S01-L05')?.lane;
    if (lane === undefined) throw new Error('sample store has S01-L05');
    const cameras = camerasForLanes(store, ['S01-L05']);
    expect(cameras.length).toBeGreaterThan(0);
    const distance = (id: string) => {
      const c = store.config.cameras.find((k) => k.id === id);
      return c ? Math.hypot(c.position.x - lane.position.x, c.position.y - lane.position.y) : Number.NaN;
    };
    const nearest = store.config.cameras.map((c) => distance(c.id)).sort((a, b) => a - b)[0];
    expect(distance(cameras[0] as string)).toBe(nearest);
    expect(cameras.map(distance)).toEqual([...cameras.map(distance)].sort((a, b) => a - b));
  });

  it('has nothing for unknown lanes and at most `max` cameras', () => {
    expect(camerasForLanes(store, ['nope'])).toEqual([]);
    expect(camerasForLanes(store, ['S01-L05', 'S01-L06'], 1)).toHaveLength(1);
  });
});
