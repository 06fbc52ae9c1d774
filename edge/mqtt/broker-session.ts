// Which broker session the edge keeps: a persistent one (stable client id, clean=false, so QoS 1 device messages
// wait at the broker while the edge restarts) only when the edge's own state persists with it.
import { randomUUID } from 'node:crypto';

export interface BrokerSession {
  clientId?: string;
  persistentSession?: boolean;
}

/**
 * An edge on an in-memory database (tests, the demo) is a fresh edge each time: a client id of its own and a
 * clean session. An edge on a database file keeps the link's defaults (stable id, persistent session).
 */
export function brokerSessionFor(storeId: string, dbPath: string): BrokerSession {
  return dbPath === ':memory:'
    ? { clientId: `walkout-edge-${storeId}-${randomUUID().slice(0, 8)}`, persistentSession: false }
    : {};
}
