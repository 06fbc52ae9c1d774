// Gate stage: answers every scan. At an entry gate a valid token opens the gate for the token's party and
// opens a shopping session; at an exit gate it closes the shopper's session. Anything else keeps the gate
// shut, with the reason logged and shown.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { GateCommand, GateScan } from '../../shared/schemas/gate.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { SessionStore, ShoppingSession } from '../checkout/session-store.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { EntryTokenVerifier, TokenRejection } from './entry-token-verifier.ts';

export type DenyReason = TokenRejection | 'already-inside' | 'unknown-gate' | 'stale-scan';

/**
 * A store's edge (edge/main.ts): an entry scan older than this (ms, against the edge's clock) is one the gate
 * already gave up on (it waits 3 s; 2 s more for the clocks' skew), delivered late from the broker's
 * persistent queue after an edge restart. Acting on it would open a session for someone the gate kept out.
 */
export const STORE_STALE_ENTRY_SCAN_MS = 5000;

const denyMessages: Record<DenyReason, string> = {
  malformed: 'Code not recognised. Open the Walkout app and show your entry code.',
  'bad-signature': 'Code not recognised. Open the Walkout app and show your entry code.',
  'invalid-claims': 'Code not recognised. Open the Walkout app and show your entry code.',
  expired: 'This code has expired. Show the fresh code in the app.',
  'not-yet-valid': "This code is not valid yet. Check your phone's date and time.",
  replayed: 'This code was already used. Show the fresh code in the app.',
  'wrong-store': 'This code is for another Walkout store. Choose this store in the app.',
  'already-inside': 'You are already checked in. Scan at the exit gate to leave.',
  'unknown-gate': 'This gate is not configured. Please ask a member of staff.',
  'stale-scan': 'The gate took too long to answer. Please scan your code again.',
};

export interface GateControllerOptions {
  store: StoreIndex;
  verifier: EntryTokenVerifier;
  sessions: SessionStore;
  clock: Clock;
  logger: Logger;
  metrics: EdgeMetrics;
  sendCommand: (gateId: string, command: GateCommand) => void;
  onEntered: (session: ShoppingSession) => void;
  onExited: (session: ShoppingSession) => void;
  /** Entry scans older than this (ms) are refused unconsumed; undefined: any age (a library edge, replays). */
  staleEntryScanMs?: number;
}

export class GateController {
  constructor(private readonly options: GateControllerOptions) {}

  async handleScan(gateId: string, scan: GateScan): Promise<void> {
    const { store, verifier, sessions, logger, metrics } = this.options;
    const gate = store.gateById.get(gateId);
    if (gate === undefined)
      return this.deny(gateId, 'entry', scan, 'unknown-gate', `gate ${gateId} not in store config`);
    const { staleEntryScanMs } = this.options;
    const ageMs = this.options.clock.now() - scan.ts;
    if (gate.kind === 'entry' && staleEntryScanMs !== undefined && ageMs > staleEntryScanMs)
      // the token is not consumed: the shopper scans the same code again
      return this.deny(gateId, gate.kind, scan, 'stale-scan', `scan is ${Math.round(ageMs)} ms old`);
    const check = await verifier.verifyAndConsume(scan.token);
    if (!check.ok) return this.deny(gateId, gate.kind, scan, check.reason, check.detail);
    const { claims } = check;

    if (gate.kind === 'entry') {
      if (sessions.openSessionOf(claims.sub) !== undefined) {
        return this.deny(
          gateId,
          gate.kind,
          scan,
          'already-inside',
          `account ${claims.sub} has an open session`,
        );
      }
      const session = sessions.open({
        sessionId: randomUUID(),
        accountId: claims.sub,
        party: claims.party,
        entryTokenId: claims.jti,
        behaviourConsent: claims.behaviour === true,
        entryGate: gateId,
        enteredAt: scan.ts,
      });
      this.open(
        gateId,
        scan,
        claims.party,
        claims.party > 1 ? `Welcome, party of ${claims.party}!` : 'Welcome!',
      );
      metrics.gateDecisions.inc({ gate_kind: 'entry', action: 'open', reason: 'valid' });
      logger.info(
        { gate: gateId, sessionId: session.sessionId, accountId: claims.sub, party: claims.party },
        'entry',
      );
      this.options.onEntered(session);
      return;
    }

    const session = sessions.openSessionOf(claims.sub);
    metrics.gateDecisions.inc({
      gate_kind: 'exit',
      action: 'open',
      reason: session ? 'valid' : 'no-session',
    });
    this.open(gateId, scan, 1, 'Thank you! Your receipt is on its way to the app.');
    if (session === undefined) {
      logger.warn(
        { gate: gateId, accountId: claims.sub },
        'exit scan without an open session: gate opened, nothing to bill',
      );
      return;
    }
    const closing = sessions.markClosing(session.sessionId, gateId, scan.ts);
    if (closing === undefined) return;
    logger.info({ gate: gateId, sessionId: session.sessionId, accountId: claims.sub }, 'exit');
    this.options.onExited(closing);
  }

  private open(gateId: string, scan: GateScan, admit: number, message: string): void {
    this.options.sendCommand(gateId, {
      v: 1,
      scanId: scan.scanId,
      action: 'open',
      admit,
      message,
      ts: this.options.clock.now(),
    });
  }

  private deny(gateId: string, gateKind: string, scan: GateScan, reason: DenyReason, detail: string): void {
    this.options.metrics.gateDecisions.inc({ gate_kind: gateKind, action: 'deny', reason });
    this.options.logger.warn({ gate: gateId, scanId: scan.scanId, reason, detail }, 'gate stays shut');
    this.options.sendCommand(gateId, {
      v: 1,
      scanId: scan.scanId,
      action: 'deny',
      admit: 0,
      reason,
      message: denyMessages[reason],
      ts: this.options.clock.now(),
    });
  }
}
