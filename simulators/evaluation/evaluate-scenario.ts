// Runs one scenario through the whole pipeline (simulator → broker → edge → cloud) on a running store
// stack and collects, per visit, what the cloud billed, what went to staff and how long the receipt took.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { SessionEvent } from '../../shared/schemas/session-event.ts';
import { CloudAppClient } from '../app/cloud-app-client.ts';
import type { StoreStack } from '../harness/store-stack.ts';
import type { GroundTruth } from '../scenario/ground-truth.ts';
import { runScenario } from '../scenario/run-scenario.ts';
import type { LoadedScenario } from '../scenario/scenario-loader.ts';
import { SHOPPER_PASSWORD, shopperEmail } from '../scenario/simulator.ts';
import type { VisitOutcome } from './score-visits.ts';

export interface ScenarioRun {
  name: string;
  /** Distinct exceptions sent to staff during the scenario. */
  staffExceptions: number;
  outcomes: VisitOutcome[];
  truth: GroundTruth;
}

export async function evaluateScenario(
  stack: StoreStack,
  loaded: LoadedScenario,
  /** `clock` is the devices' time: one per store, so device time never goes back between scenarios. */
  options: { speed: number; clock: Clock; receiptWaitMs: number; logger: Logger },
): Promise<ScenarioRun> {
  const { scenario, store } = loaded;
  /** by session id */
  const exitedAtWall = new Map<string, number>();
  const deliveredAtWall = new Map<string, number>();
  /** by account id: its sessions in the order they entered (a shopper may come back) */
  const sessionsOfAccount = new Map<string, string[]>();
  /** by session id: exceptions naming it */
  const toStaff = new Map<string, number>();
  const exceptionIds = new Set<string>();
  const offEvents = stack.edge.onEvent((event) => {
    if (!('accountId' in event)) return;
    const e = event as SessionEvent;
    if (e.kind === 'entered')
      sessionsOfAccount.set(e.accountId, [...(sessionsOfAccount.get(e.accountId) ?? []), e.sessionId]);
    if (e.kind === 'exited') exitedAtWall.set(e.sessionId, Date.now());
    if (e.kind === 'receipt-delivered') deliveredAtWall.set(e.sessionId, Date.now());
  });
  const offHub = stack.edge.hub.connect((text) => {
    const message = JSON.parse(text) as {
      type: string;
      data: { exceptionId?: string; candidateSessions?: string[] };
    };
    if (message.type !== 'exception') return;
    exceptionIds.add(message.data.exceptionId ?? '');
    for (const id of message.data.candidateSessions ?? []) toStaff.set(id, (toStaff.get(id) ?? 0) + 1);
  });
  try {
    const app = new CloudAppClient(stack.cloudUrl);
    const truth = await runScenario({
      scenario,
      store,
      mqttUrl: stack.mqttUrl,
      app,
      speed: options.speed,
      clock: options.clock,
      settleS: 2,
      logger: options.logger,
    });
    const visitors = truth.shoppers.filter((s) => s.entryResult === 'open' && s.accountId !== null);
    const sessions = visitors.flatMap((s) => sessionsOfAccount.get(s.accountId ?? '') ?? []);
    const deadline = Date.now() + options.receiptWaitMs;
    while (sessions.some((id) => !deliveredAtWall.has(id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const outcomes: VisitOutcome[] = [];
    for (const shopper of visitors) {
      const signedIn = await app.signUpOrIn({
        email: shopperEmail(scenario.name, shopper.id, truth.nonce),
        password: SHOPPER_PASSWORD,
        name: shopper.id,
      });
      const receipts = await app.receipts(signedIn);
      const ofShopper = sessionsOfAccount.get(shopper.accountId ?? '') ?? [];
      // one outcome per time through the gate; the k-th visit is the k-th session the edge opened
      for (const [k, visit] of shopper.visits.entries()) {
        const sessionId = ofShopper[k];
        const receipt = receipts.find((r) => r.visitId === sessionId);
        const exited = sessionId === undefined ? undefined : exitedAtWall.get(sessionId);
        const delivered = sessionId === undefined ? undefined : deliveredAtWall.get(sessionId);
        outcomes.push({
          shopper: shopper.visits.length > 1 ? `${shopper.id}#${k + 1}` : shopper.id,
          expected: visit.expectedLines,
          billed: receipt?.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
          toStaff: sessionId === undefined ? 0 : (toStaff.get(sessionId) ?? 0),
          receiptLatencyMs: exited !== undefined && delivered !== undefined ? delivered - exited : undefined,
        });
      }
    }
    return { name: scenario.name, staffExceptions: exceptionIds.size, outcomes, truth };
  } finally {
    offEvents();
    offHub();
  }
}
