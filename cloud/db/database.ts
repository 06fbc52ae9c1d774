// The one database seam of the cloud: SQL text and parameters in, rows out, and transactions.
// PostgreSQL (pg) in production and PGlite on a laptop implement it with the same SQL.

/** Something that runs one statement: the database itself or an open transaction. */
export interface Queryable {
  /** Rows come back typed as the caller declares; the SQL beside the call is what guarantees the shape. */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** bigint columns arrive as strings from pg and as numbers or bigints from PGlite; epoch ms fit in a double. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  throw new TypeError(`expected a numeric column, got ${typeof value}`);
}
