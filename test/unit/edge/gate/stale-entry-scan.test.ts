// An entry scan the broker delivers late (queued for a restarting edge after the gate gave up) keeps the gate
// shut and leaves the token unused, so the shopper's next scan of the same code opens it (#15).
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../../../edge/checkout/session-store.ts';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { EntryTokenVerifier } from '../../../../edge/gate/entry-token-verifier.ts';
import { GateController, STORE_STALE_ENTRY_SCAN_MS } from '../../../../edge/gate/gate-controller.ts';
import { evalStoreConfig } from '../../../../evaluation/shelf-eval/eval-store.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import { ENTRY_TOKEN_ISSUER, ENTRY_TOKEN_TYPE } from '../../../../shared/schemas/entry-token.ts';
import type { GateCommand } from '../../../../shared/schemas/gate.ts';
import { indexStore } from '../../../../shared/store-config.ts';

const NOW = 1_800_000_000_000;

describe('stale entry scans', () => {
  it('refuses an entry scan older than the window without using its token', async () => {
    const store = indexStore(evalStoreConfig());
    const entry = store.config.gates.find((g) => g.kind === 'entry');
    if (entry === undefined) throw new Error('eval store has no entry gate');
    const clock = new ManualClock(NOW);
    const keys = await generateKeyPair('EdDSA', { extractable: true });
    const db = openEdgeDatabase(':memory:');
    const sessions = new SessionStore(db);
    const commands: GateCommand[] = [];
    const gate = new GateController({
      store,
      verifier: await EntryTokenVerifier.create(
        await exportSPKI(keys.publicKey),
        store.config.storeId,
        db,
        clock,
      ),
      sessions,
      clock,
      logger: pino({ level: 'silent' }),
      metrics: createEdgeMetrics(),
      sendCommand: (_gate, command) => commands.push(command),
      onEntered: () => {},
      onExited: () => {},
      staleEntryScanMs: STORE_STALE_ENTRY_SCAN_MS,
    });
    const token = await new SignJWT({ party: 1, aud: store.config.storeId })
      .setProtectedHeader({ alg: 'EdDSA', typ: ENTRY_TOKEN_TYPE })
      .setIssuer(ENTRY_TOKEN_ISSUER)
      .setSubject('acct-1')
      .setJti('jti-stale-scan-1')
      .setIssuedAt(NOW / 1000)
      .setExpirationTime(NOW / 1000 + 60)
      .sign(keys.privateKey);

    await gate.handleScan(entry.id, { v: 1, scanId: 'late', token, ts: NOW - STORE_STALE_ENTRY_SCAN_MS - 1 });
    expect(commands.at(-1)).toMatchObject({ scanId: 'late', action: 'deny', reason: 'stale-scan' });
    expect(sessions.openSessionOf('acct-1')).toBeUndefined();

    await gate.handleScan(entry.id, { v: 1, scanId: 'again', token, ts: NOW - 200 });
    expect(commands.at(-1)).toMatchObject({ scanId: 'again', action: 'open' });
    expect(sessions.openSessionOf('acct-1')).toBeDefined();
  });
});
