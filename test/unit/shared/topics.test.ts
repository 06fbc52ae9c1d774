import { describe, expect, it } from 'vitest';
import { parseTopic, topicFilters, topics } from '../../../shared/topics.ts';

describe('topics', () => {
  it('builds versioned topics and parses them back', () => {
    const t = topics.shelfWeights('store-001', 'S01');
    expect(t).toBe('walkout/v1/store-001/shelf/S01/weights');
    expect(parseTopic(t)).toEqual({ store: 'store-001', kind: 'shelfWeights', device: 'S01' });
    expect(parseTopic(topics.gateScan('s', 'G-IN'))).toEqual({
      store: 's',
      kind: 'gateScan',
      device: 'G-IN',
    });
    expect(parseTopic(topics.sessionEvents('s'))).toEqual({ store: 's', kind: 'sessionEvents' });
    expect(topicFilters.gateScan('s')).toBe('walkout/v1/s/gate/+/scan');
  });

  it('does not recognise foreign or malformed topics', () => {
    expect(parseTopic('walkout/v2/s/shelf/S01/weights')).toBeUndefined();
    expect(parseTopic('walkout/v1/s/shelf/S01')).toBeUndefined();
    expect(parseTopic('zigbee2mqtt/bridge/state')).toBeUndefined();
  });
});
