// What a shopper's live cart shows (#18): counted lines priced from the catalog, a doubtful pick of theirs as
// "checking", nobody else's doubtful pick, a line a doubtful put-back may have reduced as "checking", and a
// flagged line checking until staff decide.
import { describe, expect, it } from 'vitest';
import { liveCartOf } from '../../../../edge/checkout/live-cart.ts';
import type { StaffException } from '../../../../edge/fusion/exception-queue.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const product = (sku: string) => store.productBySku.get(sku) ?? { name: sku, priceCents: 0 };
const event = (
  id: string,
  kind: 'pick' | 'put-back',
  sku: string,
  sessionId: string | null,
  ambiguous = false,
): ShelfEvent =>
  ({
    v: 1,
    eventId: id,
    kind,
    shelf: 'S01',
    lane: 'S01-L01',
    lanes: ['S01-L01'],
    loadCell: 'S01-LC01',
    startTs: Number(id.slice(1)),
    endTs: Number(id.slice(1)) + 500,
    peakTs: Number(id.slice(1)) + 200,
    deltaGrams: kind === 'pick' ? -100 : 100,
    deltaSdGrams: 1,
    hypotheses: [{ sku, count: 1, likelihood: 1 }],
    ambiguous,
    sessionId,
    attribution: sessionId === null ? 'unattributed' : 'sole-session',
  }) as ShelfEvent;
const exception = (
  e: ShelfEvent,
  candidates: string[],
  reason: StaffException['reason'],
  status: StaffException['status'] = 'open',
): StaffException => ({
  exceptionId: `x-${e.eventId}`,
  reason,
  status,
  createdAt: 0,
  event: e,
  candidateSessions: candidates,
  candidateProducts: e.hypotheses,
  ...(reason === 'shopper-flag' ? { flagId: `flag-${e.eventId}` } : {}),
});

describe('live cart', () => {
  it('prices counted lines, shows its own doubtful pick as checking, and hides a pick others may have made', () => {
    const events = [
      event('e1', 'pick', 'SKU-0001', 'A'),
      event('e2', 'pick', 'SKU-0001', 'A'),
      event('e3', 'put-back', 'SKU-0001', 'A'),
      event('e4', 'pick', 'SKU-0002', 'A'),
    ];
    const own = exception(event('e5', 'pick', 'SKU-0003', 'A', true), ['A'], 'ambiguous-product');
    const shared = exception(event('e6', 'pick', 'SKU-0004', null), ['A', 'B'], 'unattributed');
    const view = liveCartOf(store, 'A', events, [own, shared], []);
    expect(view.lines.map((l) => [l.sku, l.count, l.status])).toEqual([
      ['SKU-0001', 1, 'counted'],
      ['SKU-0002', 1, 'counted'],
      ['?', 1, 'checking'],
    ]);
    expect(view.totalCents).toBe(product('SKU-0001').priceCents + product('SKU-0002').priceCents);
    expect(view.lines[0]?.name).toBe(product('SKU-0001').name);
  });

  it('marks every line a doubtful put-back of theirs may have reduced as checking, not just its best guess', () => {
    const pick = event('e1', 'pick', 'SKU-0001', 'A');
    // the weight fits a look-alike from the next lane a little better than what the shopper holds
    const putBack: ShelfEvent = {
      ...event('e2', 'put-back', 'SKU-0002', 'A', true),
      hypotheses: [
        { sku: 'SKU-0002', count: 1, likelihood: 0.6 },
        { sku: 'SKU-0001', count: 1, likelihood: 0.4 },
      ],
    };
    const view = liveCartOf(
      store,
      'A',
      [pick, putBack],
      [exception(putBack, ['A'], 'ambiguous-product')],
      [],
    );
    expect(view.lines.map((l) => [l.sku, l.count, l.status])).toEqual([['SKU-0001', 1, 'checking']]);
    expect(view.totalCents).toBe(0);
  });

  it('marks a flagged line checking until staff decide, then reports the outcome', () => {
    const pick = event('e1', 'pick', 'SKU-0001', 'A');
    const open = exception(pick, ['A'], 'shopper-flag');
    const checking = liveCartOf(store, 'A', [pick], [open], [open]);
    expect(checking.lines).toEqual([
      expect.objectContaining({ sku: 'SKU-0001', status: 'checking', flagged: true }),
    ]);
    expect(checking.totalCents).toBe(0);
    expect(checking.flags).toEqual([{ flagId: 'flag-e1', sku: 'SKU-0001', status: 'checking' }]);
    const removed = liveCartOf(store, 'A', [], [], [{ ...open, status: 'dropped' }]);
    expect(removed.lines).toEqual([]);
    expect(removed.flags).toEqual([{ flagId: 'flag-e1', sku: 'SKU-0001', status: 'removed' }]);
  });
});
