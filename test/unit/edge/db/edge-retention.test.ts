import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../../../edge/checkout/session-store.ts';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { DEFAULT_RETENTION, EdgeRetention } from '../../../../edge/db/edge-retention.ts';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { Outbox } from '../../../../edge/outbox/outbox.ts';
import { ManualClock } from '../../../../shared/clock.ts';

const DAY = 86_400_000;
const T0 = 1_800_000_000_000;

describe('edge retention', () => {
  it('deletes old closed visits, their events, delivered outbox rows and old audit; keeps open and owed ones', async () => {
    const db = openEdgeDatabase(':memory:');
    const sessions = new SessionStore(db);
    const outbox = new Outbox(db);
    const event = (eventId: string, sessionId: string | null, startTs: number) =>
      db
        .prepare('INSERT INTO shelf_events (event_id, session_id, start_ts, body) VALUES (?, ?, ?, ?)')
        .run(eventId, sessionId, startTs, '{}');
    for (const [id, at] of [
      ['old', T0],
      ['recent', T0 + 30 * DAY],
      ['open-old', T0],
    ] as const) {
      sessions.open({
        sessionId: id,
        accountId: id,
        party: 1,
        entryTokenId: id,
        entryGate: 'G',
        enteredAt: at,
      });
      event(`e-${id}`, id, at + 1000);
    }
    sessions.markClosing('old', 'G-OUT', T0 + 2000);
    sessions.markClosed('old', T0 + 2000);
    sessions.markClosing('recent', 'G-OUT', T0 + 30 * DAY + 2000);
    sessions.markClosed('recent', T0 + 30 * DAY + 2000);
    event('e-nobody', null, T0);
    outbox.enqueue('visit:old', 'visit', {}, T0);
    outbox.enqueue('visit:owed', 'visit', {}, T0);
    const [delivered] = outbox.due(T0, 1);
    if (delivered === undefined) throw new Error('fixture');
    outbox.markDelivered(delivered.id, T0);
    db.prepare(
      "INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, 'x', 'y', 'z', '{}')",
    ).run(T0);
    // a staff decision kept as training data, with one frame (goes with it)
    const sample = db
      .prepare("INSERT INTO decision_samples (exception_id, decided_at, answer) VALUES ('x-1', ?, '{}')")
      .run(T0).lastInsertRowid;
    db.prepare(
      "INSERT INTO decision_frames (sample_id, camera, capture_ts, jpeg, people) VALUES (?, 'CAM1', ?, x'ff', '[]')",
    ).run(sample, T0);

    const clock = new ManualClock(T0 + 40 * DAY);
    const metrics = createEdgeMetrics();
    const retention = new EdgeRetention({
      db,
      clock,
      settings: DEFAULT_RETENTION,
      metrics,
      logger: pino({ level: 'silent' }),
    });
    expect(retention.prune()).toEqual({
      shelf_events: 2,
      sessions: 1,
      outbox: 1,
      exceptions: 0,
      audit_log: 0,
      decision_samples: 0,
    });
    const ids = (sql: string) => (db.prepare(sql).all() as { id: string }[]).map((r) => r.id);
    expect(ids('SELECT session_id AS id FROM sessions ORDER BY 1')).toEqual(['open-old', 'recent']);
    expect(ids('SELECT event_id AS id FROM shelf_events ORDER BY 1')).toEqual(['e-open-old', 'e-recent']);
    expect(outbox.counts()).toEqual({ pending: 1, held: 0, delivered: 0, failed: 0 });
    clock.set(T0 + 181 * DAY);
    expect(retention.prune()).toMatchObject({
      shelf_events: 1,
      sessions: 1,
      audit_log: 1,
      decision_samples: 1,
    });
    expect(db.prepare('SELECT count(*) AS n FROM decision_frames').get()).toEqual({ n: 0 });
    expect(
      (await metrics.rowsPruned.get()).values.find((v) => v.labels.table === 'shelf_events')?.value,
    ).toBe(3);
  });
});
