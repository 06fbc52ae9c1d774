// Whose receipts an open exception holds: only the shoppers who could have made the event. When the cameras
// named the shopper and only the product is in doubt, that is the one shopper, not everyone inside (with 50
// shoppers inside one look-alike pick held all 50 receipts for the whole staff-decision window).
import { describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { ExceptionQueue } from '../../../../edge/fusion/exception-queue.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { shelfEvent, T0 } from '../../../support/shelf-event.ts';

/** A look-alike pick: cola or lemonade, the cameras sure it was alice. */
const pick = (over: Partial<ShelfEvent>): ShelfEvent =>
  shelfEvent({
    hypotheses: [
      { sku: 'COLA-330', count: 1, likelihood: 0.55 },
      { sku: 'LEMON-330', count: 1, likelihood: 0.45 },
    ],
    ambiguous: true,
    ...over,
  });

describe('exception candidates', () => {
  it('a look-alike product picked by a shopper the cameras named holds only that shopper', () => {
    const queue = new ExceptionQueue(openEdgeDatabase(':memory:'));
    const opened = queue.consider(pick({}), ['alice', 'bob', 'carol'], T0 + 1000);
    expect(opened?.reason).toBe('ambiguous-product');
    expect(opened?.candidateSessions).toEqual(['alice']);
    expect(queue.openFor('alice')).toHaveLength(1);
    expect(queue.openFor('bob')).toEqual([]);
    expect(queue.openFor('carol')).toEqual([]);
  });

  it('an event nobody was named for holds every shopper who could have made it', () => {
    const queue = new ExceptionQueue(openEdgeDatabase(':memory:'));
    const event = pick({ ambiguous: false, sessionId: null, attribution: 'unattributed', confidence: 0 });
    const opened = queue.consider(event, ['alice', 'bob'], T0 + 1000);
    expect(opened?.reason).toBe('unattributed');
    expect(opened?.candidateSessions).toEqual(['alice', 'bob']);
    expect(queue.openFor('bob')).toHaveLength(1);
  });

  it('an ambiguous product nobody was named for keeps all its candidates', () => {
    const queue = new ExceptionQueue(openEdgeDatabase(':memory:'));
    const event = pick({ sessionId: null, attribution: 'unattributed', confidence: 0 });
    expect(queue.consider(event, ['alice', 'bob'], T0 + 1000)?.candidateSessions).toEqual(['alice', 'bob']);
  });
});
