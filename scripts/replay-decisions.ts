// `npm run replay:decisions -- <decisions.json>… [--json]`: decides the picks stored by
// `npm run eval -- --decisions out.json` again with the attributor as it is now, and prints what would change
// against the truth the eval scored them by (evaluation/store-eval/decision-replay.ts). With --json the last
// line is one JSON object: per file and overall, replayed, changed, gained, newlyWrong, toStaff, moved.
import { existsSync, readFileSync } from 'node:fs';
import { type ReplaySummary, replayDecisions } from '../evaluation/store-eval/decision-replay.ts';
import { commandLine } from './cli/command-line.ts';

const cli = commandLine({
  command: 'replay:decisions',
  usage: `usage: npm run replay:decisions -- <decisions.json>… [--json]
  (write one with: npm run eval -- --decisions out.json)
  --json  last line: per file and overall, replayed, changed, gained, newlyWrong, toStaff, moved`,
  allowPositionals: true,
  options: { json: { type: 'boolean', default: false } },
});
const { values, positionals } = cli;
if (positionals.length === 0) cli.fail('name at least one decisions file');

const files: Array<{ file: string } & ReplaySummary> = [];
for (const file of positionals) {
  if (!existsSync(file)) {
    console.error(`${file}: no such file — write one with: npm run eval -- --decisions ${file}`);
    process.exit(2);
  }
  let records: unknown;
  try {
    records = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`${file}: not JSON (${(err as Error).message})`);
    process.exit(2);
  }
  if (!Array.isArray(records)) {
    console.error(`${file}: expected the array of decisions that npm run eval -- --decisions writes`);
    process.exit(2);
  }
  const { summary, changed } = replayDecisions(records);
  console.log(`\n${file}`);
  for (const c of changed)
    console.log(
      `  ${c.outcome.padEnd(11)} ${c.scenario} #${c.seed} ${c.atS} s ${c.lane}: truth ${c.truthShopper ?? '—'}, ` +
        `was ${c.before ?? 'staff'} (${c.beforeRule ?? '—'}), now ${c.after ?? 'staff'} (${c.afterRule} ${c.afterConfidence})`,
    );
  for (const r of summary.rejections) console.log(`  rejected ${r}`);
  files.push({ file, ...summary });
}

const total = files.reduce(
  (t, f) => ({
    decisions: t.decisions + f.decisions,
    rejected: t.rejected + f.rejected,
    replayed: t.replayed + f.replayed,
    changed: t.changed + f.changed,
    gained: t.gained + f.gained,
    newlyWrong: t.newlyWrong + f.newlyWrong,
    toStaff: t.toStaff + f.toStaff,
    moved: t.moved + f.moved,
  }),
  { decisions: 0, rejected: 0, replayed: 0, changed: 0, gained: 0, newlyWrong: 0, toStaff: 0, moved: 0 },
);
console.log('');
console.log(
  'file                                     picks  changed  gained  newly wrong  to staff  moved  rejected',
);
for (const f of [...files, { file: 'overall', ...total }])
  console.log(
    `${f.file.slice(-40).padEnd(40)} ${String(f.replayed).padStart(5)} ${String(f.changed).padStart(8)} ${String(f.gained).padStart(7)} ${String(f.newlyWrong).padStart(12)} ${String(f.toStaff).padStart(9)} ${String(f.moved).padStart(6)} ${String(f.rejected).padStart(9)}`,
  );
if (values.json)
  console.log(
    JSON.stringify({
      files: files.map(({ rejections: _, ...f }) => f),
      overall: total,
    }),
  );
if (total.newlyWrong > 0) process.exitCode = 1;
