// `npm run replay -- --db <edge.sqlite> <visit id> [--json]`: rebuilds a visit's cart from the edge's event
// log, decides every event again from its stored evidence, and says whether it all matches the upload; for a
// consenting shopper's visit, derives its behaviour from the floor again (STORE_CONFIG names the store).
import { existsSync } from 'node:fs';
import { replayBehaviour } from '../edge/behaviour/behaviour-replay.ts';
import { SessionStore } from '../edge/checkout/session-store.ts';
import { replayVisit } from '../edge/checkout/visit-replay.ts';
import { openEdgeDatabase } from '../edge/db/edge-database.ts';
import { VisitTracks } from '../edge/floor/visit-tracks.ts';
import { Outbox } from '../edge/outbox/outbox.ts';
import type { VisitUpload } from '../shared/schemas/visit.ts';
import { indexStore, loadStoreConfig } from '../shared/store-config.ts';
import { commandLine } from './cli/command-line.ts';

const cli = commandLine({
  command: 'replay',
  usage: `usage: npm run replay -- --db <edge.sqlite> <visit id> [--json]
  --db <edge.sqlite>  the edge's database, its EDGE_DB file (default var/edge.sqlite)
  --json              last line: the replay as one JSON object
STORE_CONFIG names the store (default stores/sample-store.json).`,
  allowPositionals: true,
  options: { db: { type: 'string', default: 'var/edge.sqlite' }, json: { type: 'boolean', default: false } },
});
const { values, positionals } = cli;
if (positionals.length > 1) cli.fail(`one visit id at most, got ${positionals.join(' ')}`);
const visitId = positionals[0] ?? cli.fail('name the visit id');
if (!existsSync(values.db)) {
  console.error(`no edge database at ${values.db}: pass the edge's EDGE_DB file with --db`);
  process.exit(2);
}
const db = openEdgeDatabase(values.db);
const events = new SessionStore(db).eventsOf(visitId);
const uploaded = new Outbox(db).bodyOf(`visit:${visitId}`) as VisitUpload | undefined;
const points = new VisitTracks(db).of(visitId);
db.close();
if (events.length === 0 && uploaded === undefined) {
  console.error(`visit ${visitId} has no events and no upload in ${values.db}`);
  process.exit(1);
}
const replay = replayVisit(visitId, events, uploaded?.lines);
console.log(`visit ${visitId}: ${events.length} event(s)`);
for (const e of replay.events) {
  const what = e.sku === undefined ? 'not billed (doubtful)' : `${e.kind} ${e.count} × ${e.sku}`;
  const why = `${e.attribution}${e.confidence === undefined ? '' : ` ${(e.confidence * 100).toFixed(1)} %`}${e.rule === undefined ? '' : ` (${e.rule})`}`;
  const again = e.sameDecision === undefined ? '' : e.sameDecision ? ' ✓ replays' : ' ✗ replays differently';
  console.log(`  ${new Date(e.startTs).toISOString()} ${e.lane.padEnd(8)} ${what.padEnd(32)} ${why}${again}`);
}
console.log(`lines: ${replay.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ') || 'none'}`);
const behaviour =
  uploaded === undefined
    ? undefined
    : replayBehaviour(
        uploaded,
        points,
        indexStore(loadStoreConfig(process.env.STORE_CONFIG ?? 'stores/sample-store.json')),
      );
if (behaviour !== undefined) {
  const { again, matches } = behaviour;
  console.log(
    `behaviour: ${again.lingers.length} linger(s), ${again.comparisons.length} comparison(s) from ${points.length} track point(s): ${matches ? '✓ replays' : '✗ replays differently (tracks pruned, or settings changed)'}`,
  );
}
console.log(replay.differences.length === 0 ? 'replay matches the upload' : replay.differences.join('\n'));
if (values.json) console.log(JSON.stringify(replay));
process.exit(replay.differences.length === 0 ? 0 : 1);
