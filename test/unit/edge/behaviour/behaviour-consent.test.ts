// Behaviour reaches the upload only for a shopper whose entry token carried consent; for anyone else nothing
// personal is derived or kept: the upload has no behaviour and no edge table holds any of it.
import { describe, expect, it } from 'vitest';
import { replayBehaviour } from '../../../../edge/behaviour/behaviour-replay.ts';
import { BehaviourStage } from '../../../../edge/behaviour/behaviour-stage.ts';
import { SessionStore } from '../../../../edge/checkout/session-store.ts';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { VisitTracks } from '../../../../edge/floor/visit-tracks.ts';
import { Outbox } from '../../../../edge/outbox/outbox.ts';
import type { VisitUpload } from '../../../../shared/schemas/visit.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { SteppedTime } from '../../../../shared/timers.ts';
import { testCheckout } from '../../../support/checkout.ts';
import { trackMessage } from '../../../support/track-message.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));

function playTwoVisits() {
  const time = new SteppedTime(0);
  const db = openEdgeDatabase(':memory:');
  const sessions = new SessionStore(db);
  const tracks = new VisitTracks(db);
  const outbox = new Outbox(db);
  const behaviour = new BehaviourStage({
    store,
    db,
    clock: time,
    timers: time,
    tracksOf: (s) => tracks.of(s),
  });
  for (const [sessionId, behaviourConsent] of [
    ['consents', true],
    ['declines', false],
  ] as const)
    sessions.open({
      sessionId,
      accountId: `acc-${sessionId}`,
      party: 1,
      entryTokenId: `jti-${sessionId}`,
      behaviourConsent,
      entryGate: 'G-IN',
      enteredAt: 0,
    });
  // both stand 6 s before a lane of S01 (0.4 m out from its front), one lane apart, then leave
  for (let ts = 0; ts <= 8000; ts += 250) {
    const y = ts <= 6000 ? 3.3 : 3.3 - (ts - 6000) / 1000;
    const update = {
      v: 1 as const,
      ts,
      droppedFrames: 0,
      tracks: [trackMessage('T1', 'consents', 3.75, y), trackMessage('T2', 'declines', 4.75, y)],
    };
    tracks.record(update);
    behaviour.tracksUpdated(update);
  }
  const queued: VisitUpload[] = [];
  const checkout = testCheckout(db, time, {
    sessions,
    outbox,
    onQueued: (_s, visit) => queued.push(visit),
    behaviourOf: (session, events, exitedAt) => behaviour.visitBehaviour(session, events, exitedAt),
  });
  for (const id of ['consents', 'declines']) {
    const session = sessions.markClosing(id, 'G-OUT', 9000);
    if (session !== undefined) checkout.begin(session);
  }
  time.advanceTo(10_000);
  behaviour.stop();
  const uploadOf = (id: string) => queued.find((v) => v.visitId === id);
  return { db, behaviour, outbox, tracks, uploadOf };
}

describe('behaviour and consent', () => {
  const { db, behaviour, outbox, tracks, uploadOf } = playTwoVisits();

  it('the consenting shopper’s upload carries the linger', () => {
    expect(uploadOf('consents')?.behaviour?.lingers).toEqual([
      { lane: 'S01-L01', sku: 'SKU-0060', category: 'dairy', startTs: 125, durationMs: 6000 },
    ]);
    expect((outbox.bodyOf('visit:consents') as VisitUpload).behaviour?.lingers).toHaveLength(1);
  });

  it('a shopper who did not consent: no behaviour in the upload, none in the outbox', () => {
    const upload = uploadOf('declines');
    expect(upload?.lines).toEqual([]);
    expect(upload).not.toHaveProperty('behaviour');
    expect(outbox.bodyOf('visit:declines')).not.toHaveProperty('behaviour');
  });

  it('the edge keeps no behaviour of anyone: the floor heat holds per-lane sums, no session, account or track', () => {
    const columns = (db.prepare('PRAGMA table_info(floor_heat)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).toEqual(['hour', 'lane', 'dwell_ms', 'looks', 'picks']);
    // both people counted, neither named
    expect(behaviour.heatBetween(0, 3_600_000)).toEqual([
      { lane: 'S01-L01', dwellMs: 6000, looks: 1, picks: 0 },
      { lane: 'S01-L03', dwellMs: 6000, looks: 1, picks: 0 },
    ]);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((t) => t.name);
    let rowsNamingIt = 0;
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM ${table}`).all()) {
        const text = JSON.stringify(row);
        if (!text.includes('declines')) continue;
        // the visit's own rows (session, replay tracks, the upload) name it; none holds anything derived
        rowsNamingIt++;
        expect(text).not.toMatch(/lingers|comparisons|dwellBy|firstPickMs|path/);
      }
    }
    expect(rowsNamingIt).toBeGreaterThan(0);
  });

  it('replays: derived again from the kept tracks, the consenting visit matches its upload', () => {
    const consents = uploadOf('consents');
    const declines = uploadOf('declines');
    if (consents === undefined || declines === undefined) throw new Error('both visits were queued');
    expect(replayBehaviour(consents, tracks.of('consents'), store)?.matches).toBe(true);
    expect(replayBehaviour(consents, [], store)?.matches).toBe(false);
    expect(replayBehaviour(declines, tracks.of('declines'), store)).toBeUndefined();
  });
});
