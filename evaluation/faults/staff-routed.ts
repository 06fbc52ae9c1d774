// Reads, from a running edge's database (read-only, beside the edge: WAL lets a reader in), which units the
// edge sent to staff and for whose sessions: a line staff were asked about is not a silently lost line.
import Database from 'better-sqlite3';

/** by account id: units of exceptions that named one of the account's sessions as a candidate */
export function staffRoutedUnits(edgeDbPath: string): Map<string, number> {
  const db = new Database(edgeDbPath, { readonly: true, fileMustExist: true });
  try {
    const accountOf = new Map(
      (
        db.prepare('SELECT session_id, account_id FROM sessions').all() as {
          session_id: string;
          account_id: string;
        }[]
      ).map((r) => [r.session_id, r.account_id]),
    );
    const units = new Map<string, number>();
    for (const row of db.prepare('SELECT body FROM exceptions').all() as { body: string }[]) {
      const exception = JSON.parse(row.body) as {
        candidateSessions?: string[];
        event?: { hypotheses?: { count?: number }[] };
      };
      const count = exception.event?.hypotheses?.[0]?.count ?? 1;
      for (const session of exception.candidateSessions ?? []) {
        const account = accountOf.get(session);
        if (account !== undefined) units.set(account, (units.get(account) ?? 0) + count);
      }
    }
    return units;
  } finally {
    db.close();
  }
}
