// A few PostgreSQL connections in node-postgres's pipeline mode, shared by the cloud's single statements: a
// statement is written at once behind those in flight instead of waiting for a pooled connection, so many
// concurrent requests' statements travel and are answered in fewer socket reads and writes, on fewer server
// backends. Each statement keeps its own Sync — its own implicit transaction, committed or failed alone — so
// sharing a connection changes no statement's outcome. A connection that breaks fails the statements in
// flight on it (as a broken pooled connection would) and is replaced for the next ones. The price: a
// statement waiting on a row lock holds up those written behind it on its connection until it gets the lock
// (the cloud's single statements hold locks only while they run; new statements go to the least busy
// connection meanwhile), so long-held locks belong in transactions, which keep pooled connections.
import pg from 'pg';

interface Lane {
  client: pg.Client;
  /** Resolves when connected; rejects when the connection could not be made. */
  ready: Promise<void>;
  /** Statements sent and not yet answered. */
  inFlight: number;
  broken: boolean;
}

export class PipelinedConnections {
  /** by slot: the connection in it now */
  private readonly lanes: Lane[] = [];
  private closed = false;

  /** `config`: the connection settings of each of the `count` connections. */
  constructor(
    private readonly config: pg.ClientConfig,
    private readonly count: number,
  ) {}

  async start(): Promise<void> {
    for (let slot = 0; slot < this.count; slot += 1) this.lanes.push(this.open());
    await Promise.all(this.lanes.map((lane) => lane.ready));
  }

  /** Runs one statement on the connection with the fewest in flight (so one slow statement is passed by). */
  async query(statement: pg.QueryConfig): Promise<pg.QueryResult> {
    if (this.closed) throw new Error('pipelined connections are closed');
    const lane = this.leastBusy();
    lane.inFlight += 1;
    try {
      await lane.ready;
      return await lane.client.query(statement);
    } finally {
      lane.inFlight -= 1;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.lanes.map((lane) => lane.client.end().catch(() => {})));
  }

  private leastBusy(): Lane {
    let best = 0;
    for (let slot = 0; slot < this.lanes.length; slot += 1) {
      const lane = this.lanes[slot] as Lane;
      if (lane.broken) this.lanes[slot] = this.open();
      if ((this.lanes[slot] as Lane).inFlight < (this.lanes[best] as Lane).inFlight) best = slot;
    }
    const lane = this.lanes[best];
    if (lane === undefined) throw new Error('no pipelined connection (count 0)');
    return lane;
  }

  private open(): Lane {
    const client = new pg.Client({ ...this.config, pipeline: true });
    const lane: Lane = { client, ready: Promise.resolve(), inFlight: 0, broken: false };
    // pg fails the statements in flight itself; the listener keeps the event from crashing the process.
    client.on('error', () => {
      lane.broken = true;
    });
    client.on('end', () => {
      lane.broken = true;
    });
    lane.ready = client.connect().then(
      () => undefined,
      (err: unknown) => {
        lane.broken = true;
        throw err;
      },
    );
    // A failed connect is seen by the statements awaiting it; nobody else needs to handle it.
    lane.ready.catch(() => {});
    return lane;
  }
}
