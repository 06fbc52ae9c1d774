// Fusion on the real pipeline: two shoppers reach across each other at one shelf with the ceiling cameras on
// (simulator → Mosquitto → edge with ONNX tracking → cloud, in lockstep so the result does not depend on the
// machine's load). No line may be billed to the wrong shopper; picks made apart are attributed by vision; every
// visit replays from the event log.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../../edge/checkout/session-store.ts';
import { replayVisit } from '../../../edge/checkout/visit-replay.ts';
import { openEdgeDatabase } from '../../../edge/db/edge-database.ts';
import { Outbox } from '../../../edge/outbox/outbox.ts';
import type { ScenarioRun } from '../../../evaluation/store-eval/evaluate-scenario.ts';
import { runInFreshStore } from '../../../evaluation/store-eval/run-in-fresh-store.ts';
import { scoreVisits } from '../../../evaluation/store-eval/score-visits.ts';
import type { VisitUpload } from '../../../shared/schemas/visit.ts';
import { loadScenario } from '../../../simulators/scenario/scenario-loader.ts';
import { withCameraFps } from '../../support/camera-rate.ts';
import { realMosquitto } from '../../support/services.ts';

// the cameras at 5 fps (as the lockstep test plays it): the same decisions at half the frames to infer
const loaded = withCameraFps(loadScenario('scenarios/suite/05-two-shoppers-crossing-hands.json'), 5);
const mosquitto = realMosquitto();

describe.skipIf(mosquitto.url === undefined)('two shoppers with the cameras on (Mosquitto)', () => {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'walkout-fusion-')), 'edge.sqlite');
  let run: ScenarioRun;

  beforeAll(async () => {
    // the runner gives the store an id of its own on the shared broker
    run = await runInFreshStore(loaded, {
      mqttUrl: mosquitto.url,
      edgeDbPath: dbPath,
      exceptionHoldMs: 2000,
      receiptWaitMs: 20_000,
    });
  }, 400_000);

  it('bills no line to the wrong shopper and attributes the picks made apart by vision', () => {
    const score = scoreVisits(run.outcomes);
    expect(score.visits).toBe(2);
    expect(score.wrongConfident).toBe(0);
    // picked apart: the picker's hand is seen in the lane on a sure identity, so the cameras bill it, to them
    const apart = run.events.filter((e) => e.lane === 'S04-L02' || e.lane === 'S02-L09');
    expect(apart.map((e) => [e.lane, e.attribution, run.shopperOfSession[e.sessionId ?? '']]).sort()).toEqual(
      [
        ['S02-L09', 'vision', 'gus'],
        ['S04-L02', 'vision', 'fay'],
      ],
    );
    for (const e of apart) {
      const candidates = e.evidence?.candidates ?? [];
      const picker = candidates.find((c) => c.handM !== null && c.handM <= 0.3 && c.identity >= 0.6);
      const othersFar = candidates.every(
        (c) => c === picker || (c.bodyM !== null && c.bodyM > 2.5 && c.identity >= 0.6),
      );
      if (picker !== undefined && othersFar) expect(e.attribution).toBe('vision');
      if (e.attribution === 'vision')
        expect(e.evidence?.rule).toMatch(/^(reach|stood-at-lane)|(matched-at-exit|identity-settled)$/);
    }
  });

  it('replays every visit from the event log to the lines it uploaded', () => {
    const db = openEdgeDatabase(dbPath);
    try {
      const sessions = new SessionStore(db);
      const outbox = new Outbox(db);
      const visits = sessions.recentVisits(10);
      expect(visits).toHaveLength(2);
      for (const visit of visits) {
        const uploaded = outbox.bodyOf(`visit:${visit.sessionId}`) as VisitUpload;
        const replay = replayVisit(visit.sessionId, sessions.eventsOf(visit.sessionId), uploaded.lines);
        expect(replay.differences).toEqual([]);
        expect(replay.lines).toEqual(uploaded.lines);
        expect(replay.events.every((e) => e.sameDecision !== false)).toBe(true);
      }
    } finally {
      db.close();
    }
  });
});
