// npm run dataset:export -- --since <date> --out <dir> [--db <edge.sqlite>] [--json]
// Writes the decisions the edge kept (exceptions assigned or dropped on the floor view, disputes staff granted in
// the cloud; each with its camera frames) as a YOLO dataset with a manifest: faces blurred, no shopper ids
// (edge/floor/decision-dataset.ts).
// Safe beside a running edge (SQLite WAL: it only reads). The edge database is EDGE_DB (default var/edge.sqlite).
import { existsSync } from 'node:fs';
import { openEdgeDatabase } from '../edge/db/edge-database.ts';
import { writeDecisionDataset } from '../edge/floor/decision-dataset.ts';
import { DecisionSamples } from '../edge/floor/decision-samples.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run dataset:export -- --since <date> --out <dir> [--db <edge.sqlite>] [--json]
  --since <date>       decisions from then on, e.g. 2026-11-01 or 2026-11-01T08:00:00Z
  --out <dir>          where the dataset is written (YOLO layout with manifest.json)
  --db <edge.sqlite>   the edge database (default EDGE_DB, else var/edge.sqlite); only read
  --json               last line: {"out","manifestSha256",…the counts}`;

const cli = commandLine({
  command: 'dataset:export',
  usage: USAGE,
  options: {
    since: { type: 'string' },
    out: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const say = (line: string) => console.log(`[dataset:export] ${line}`);
const fail = (message: string): never => {
  console.error(`dataset:export: ${message}`);
  process.exit(2);
};

const sinceText =
  cli.values.since ?? cli.fail('--since <date> is needed, e.g. --since 2026-11-01 (decisions from then on)');
const since = new Date(sinceText);
if (Number.isNaN(since.getTime()))
  cli.fail(`--since ${sinceText} is not a date: use e.g. 2026-11-01 or 2026-11-01T08:00:00Z`);
const out = cli.values.out ?? cli.fail('--out <dir> is needed: where the dataset is written');
const dbPath = cli.values.db ?? process.env.EDGE_DB ?? 'var/edge.sqlite';
if (!existsSync(dbPath)) fail(`no edge database at ${dbPath}: pass --db <edge.sqlite> or set EDGE_DB`);

const db = openEdgeDatabase(dbPath);
try {
  // the camera projection is not needed to read samples: their boxes were placed when they were kept
  const samples = new DecisionSamples(db, { cameraOf: () => undefined });
  const { manifest, manifestSha256 } = await writeDecisionDataset(
    samples.since(since.getTime()),
    out,
    since,
    say,
  );
  const c = manifest.counts;
  console.table({
    samples: c.samples,
    assigned: c.assigned,
    dropped: c.dropped,
    'disputes granted': c['not-this-shopper'],
    images: c.images,
    'person boxes': c.boxes,
    'train images': c.train,
    'val images': c.val,
  });
  say(`wrote ${out} (manifest sha256 ${manifestSha256})`);
  if (c.samples === 0) say(`no staff decisions since ${since.toISOString()}: nothing to train on yet`);
  if (cli.values.json) console.log(JSON.stringify({ out, manifestSha256, ...c }));
} finally {
  db.close();
}
