import { describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { Outbox } from '../../../../edge/outbox/outbox.ts';

describe('walkout_edge_outbox_items', () => {
  it('reports what each outbox holds, by kind and state, as it is at the scrape', async () => {
    const db = openEdgeDatabase(':memory:');
    const visits = new Outbox(db, ['visit']);
    const returns = new Outbox(db, ['return']);
    const metrics = createEdgeMetrics();
    metrics.watchOutbox('visit', () => visits.counts());
    metrics.watchOutbox('return', () => returns.counts());
    visits.enqueue('visit:a', 'visit', { n: 1 }, 1000);
    visits.enqueue('visit:b', 'visit', { n: 2 }, 1000);
    returns.enqueue('return:r', 'return', { n: 3 }, 1000);
    const [first] = visits.due(1000, 1);
    if (first === undefined) throw new Error('nothing due');
    visits.markDelivered(first.id, 1100);
    const [back] = returns.due(1000, 1);
    if (back === undefined) throw new Error('no return due');
    returns.markFailed(back.id, 'its visit will never arrive', 1100);
    const text = await metrics.registry.getSingleMetricAsString('walkout_edge_outbox_items');
    expect(text).toContain('walkout_edge_outbox_items{kind="visit",state="pending"} 1');
    expect(text).toContain('walkout_edge_outbox_items{kind="visit",state="delivered"} 1');
    expect(text).toContain('walkout_edge_outbox_items{kind="return",state="dead"} 1');
    expect(text).toContain('walkout_edge_outbox_items{kind="return",state="pending"} 0');
    // a scrape reads the outbox anew: nothing is cached between scrapes
    visits.enqueue('visit:c', 'visit', { n: 4 }, 1200);
    expect(await metrics.registry.getSingleMetricAsString('walkout_edge_outbox_items')).toContain(
      'walkout_edge_outbox_items{kind="visit",state="pending"} 2',
    );
  });
});
