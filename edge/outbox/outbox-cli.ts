// `npm run outbox -- list|retry …`: what an operator needs when visits are not reaching the cloud — list the
// pending, held and dead rows with their reason and attempts, and re-queue them. Argument parsing and the
// commands are here (pure over an Outbox); scripts/outbox.ts opens the edge database and prints.
import { parseArgs } from 'node:util';
import { OUTBOX_STATES, type Outbox, type OutboxRow, type OutboxState } from './outbox.ts';

export const OUTBOX_USAGE = `usage:
  npm run outbox -- list [--state pending|held|dead|delivered|all] [--limit N] [--db <edge.sqlite>] [--json]
  npm run outbox -- retry (--id <id> … | --all-held | --all-dead) [--db <edge.sqlite>] [--json]
The database is --db, else EDGE_DB, else var/edge.sqlite. list shows pending, held and dead rows by default.
retry re-queues: the running edge sends them within a minute (a restart sends them at once).`;

export type OutboxCommand =
  | { command: 'list'; dbPath: string; states: OutboxState[]; limit: number; json: boolean }
  | {
      command: 'retry';
      dbPath: string;
      selection: { ids: number[] } | { states: ('held' | 'dead')[] };
      json: boolean;
    };

export class OutboxUsageError extends Error {
  readonly code = 'OUTBOX_USAGE';
}

const DEFAULT_LIST_STATES: OutboxState[] = ['pending', 'held', 'dead'];
const MAX_LIMIT = 100_000;

/** Parses the CLI's arguments; throws OutboxUsageError saying what is wrong. */
export function parseOutboxArgs(argv: string[], env: NodeJS.ProcessEnv): OutboxCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new OutboxUsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (command !== 'list' && command !== 'retry')
    throw new OutboxUsageError(
      command === undefined ? 'name a command: list or retry' : `unknown command "${command}"`,
    );
  if (extra.length > 0) throw new OutboxUsageError(`unexpected argument "${extra[0]}"`);
  const dbPath = values.db ?? env.EDGE_DB ?? 'var/edge.sqlite';
  if (dbPath === '') throw new OutboxUsageError('--db is empty');
  const json = values.json ?? false;
  if (command === 'list') {
    if (values.id !== undefined || values['all-held'] || values['all-dead'])
      throw new OutboxUsageError('--id, --all-held and --all-dead belong to retry');
    return { command, dbPath, states: statesOf(values.state), limit: limitOf(values.limit), json };
  }
  if (values.state !== undefined || values.limit !== undefined)
    throw new OutboxUsageError('--state and --limit belong to list');
  const ids = (values.id ?? []).map(idOf);
  const states = [
    ...(values['all-held'] ? ['held' as const] : []),
    ...(values['all-dead'] ? ['dead' as const] : []),
  ];
  if (ids.length > 0 && states.length > 0)
    throw new OutboxUsageError('choose either --id or --all-held/--all-dead, not both');
  if (ids.length === 0 && states.length === 0)
    throw new OutboxUsageError('say what to retry: --id <id>, --all-held or --all-dead');
  return { command, dbPath, selection: ids.length > 0 ? { ids } : { states }, json };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      db: { type: 'string' },
      state: { type: 'string' },
      limit: { type: 'string' },
      id: { type: 'string', multiple: true },
      'all-held': { type: 'boolean' },
      'all-dead': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
}

function statesOf(value: string | undefined): OutboxState[] {
  if (value === undefined) return DEFAULT_LIST_STATES;
  if (value === 'all') return [...OUTBOX_STATES];
  const states = value.split(',');
  for (const s of states)
    if (!(OUTBOX_STATES as readonly string[]).includes(s))
      throw new OutboxUsageError(`--state "${s}" is not one of ${OUTBOX_STATES.join(', ')}, all`);
  return states as OutboxState[];
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return 1000;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_LIMIT)
    throw new OutboxUsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got "${value}"`);
  return Number(value);
}

function idOf(value: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1)
    throw new OutboxUsageError(`--id must be an outbox row id (a positive whole number), got "${value}"`);
  return Number(value);
}

export interface OutboxCommandResult {
  /** What to print for a person. */
  text: string;
  /** The same as one JSON object (--json). */
  json: object;
  /** Process exit code: 0, or 1 when an --id named no re-queueable row. */
  exitCode: number;
}

/** Runs a parsed command against the outbox. */
export function runOutboxCommand(outbox: Outbox, command: OutboxCommand, now: number): OutboxCommandResult {
  if (command.command === 'list') {
    const rows = outbox.list(command.states, command.limit);
    return {
      text: formatRows(rows, outbox.counts()),
      json: { rows, counts: outbox.counts() },
      exitCode: 0,
    };
  }
  const requeued = outbox.requeue(command.selection, now);
  const missing =
    'ids' in command.selection ? command.selection.ids.filter((id) => !requeued.includes(id)) : [];
  const lines = [
    requeued.length === 0 ? 'nothing re-queued' : `re-queued ${requeued.length}: ${requeued.join(', ')}`,
    ...missing.map((id) =>
      outbox.get(id) === undefined
        ? `no outbox row ${id}`
        : `row ${id} was already delivered: not sent again`,
    ),
  ];
  return { text: lines.join('\n'), json: { requeued, missing }, exitCode: missing.length > 0 ? 1 : 0 };
}

const time = (ts: number | undefined) => (ts === undefined ? '–' : new Date(ts).toISOString());

function formatRows(rows: OutboxRow[], counts: ReturnType<Outbox['counts']>): string {
  const head = `${'id'.padStart(6)}  ${'state'.padEnd(9)} ${'attempts'.padStart(8)}  ${'created'.padEnd(24)}  key — last error`;
  const lines = rows.map(
    (r) =>
      `${String(r.id).padStart(6)}  ${r.state.padEnd(9)} ${String(r.attempts).padStart(8)}  ${time(r.createdAt).padEnd(24)}  ${r.key}${r.lastError === undefined ? '' : ` — ${r.lastError}`}`,
  );
  const summary = `pending ${counts.pending}, held ${counts.held}, dead ${counts.failed}, delivered ${counts.delivered}`;
  return [head, ...lines, rows.length === 0 ? '(no rows)' : '', summary].filter((l) => l !== '').join('\n');
}
