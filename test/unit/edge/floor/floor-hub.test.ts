import { describe, expect, it } from 'vitest';
import { FloorHub } from '../../../../edge/floor/floor-hub.ts';

describe('floor hub backpressure', () => {
  it('drops a client that says it fell behind, counts it, and keeps serving the others', () => {
    let dropped = 0;
    const hub = new FloorHub(
      () => 1,
      () => dropped++,
    );
    const fast: string[] = [];
    let backlog = 0;
    hub.connect((text) => fast.push(text));
    // a socket whose unsent bytes grow with every message, as one whose reader stopped
    hub.connect((text) => {
      backlog += text.length;
      return backlog <= 200;
    });
    for (let i = 0; i < 10; i++)
      hub.publish('alert', {
        v: 1,
        alertId: `a${i}`,
        kind: 'low-stock',
        state: 'raised',
        severity: 'info',
        message: 'm',
        ts: i,
      });
    expect(hub.clientCount()).toBe(1);
    expect(dropped).toBe(1);
    expect(hub.droppedClients).toBe(1);
    expect(fast.length).toBe(10);
  });
});
