// `npm run outbox -- list|retry …` (#15): lists the edge outbox's pending, held and dead visits with their
// reason and attempts, and re-queues them, on the edge database (EDGE_DB). Safe beside a running edge (SQLite
// WAL; writes wait for the edge's). Exit 2 on a usage error, 1 when the database is missing or an --id named
// no row that could be re-queued.
import { existsSync } from 'node:fs';
import { openEdgeDatabase } from '../edge/db/edge-database.ts';
import { Outbox } from '../edge/outbox/outbox.ts';
import {
  OUTBOX_USAGE,
  OutboxUsageError,
  parseOutboxArgs,
  runOutboxCommand,
} from '../edge/outbox/outbox-cli.ts';
import { asksForHelp, exitWithUsage, exitWithUsageError } from './cli/command-line.ts';

/** The outbox parses its own subcommands (edge/outbox/outbox-cli.ts); help and errors read as all others'. */
const OUTBOX = { command: 'outbox', usage: OUTBOX_USAGE };

function main(): number {
  const argv = process.argv.slice(2);
  if (asksForHelp(argv)) exitWithUsage(OUTBOX);
  let command: ReturnType<typeof parseOutboxArgs>;
  try {
    command = parseOutboxArgs(argv, process.env);
  } catch (err) {
    if (!(err instanceof OutboxUsageError)) throw err;
    exitWithUsageError(OUTBOX, err.message);
  }
  if (!existsSync(command.dbPath)) {
    const message = `no edge database at ${command.dbPath}: pass --db <edge.sqlite> or set EDGE_DB`;
    if (command.json) console.log(JSON.stringify({ error: 'no_database', message }));
    else console.error(`outbox: ${message}`);
    return 1;
  }
  const db = openEdgeDatabase(command.dbPath);
  try {
    const result = runOutboxCommand(new Outbox(db), command, Date.now());
    console.log(command.json ? JSON.stringify(result.json) : result.text);
    return result.exitCode;
  } finally {
    db.close();
  }
}

process.exitCode = main();
