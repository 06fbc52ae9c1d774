// The session event that says the cloud took a visit: which session (from the outbox key), whose account,
// and the receipt the cloud answered with when its answer has the expected shape.
import { Type } from 'typebox';
import type { SessionEvent } from '../../shared/schemas/session-event.ts';
import { compileValidator } from '../../shared/validator.ts';
import type { SessionStore } from './session-store.ts';

/** The part of the cloud's visit answer the edge passes on. */
const receiptValidator = compileValidator(
  Type.Object({ receiptId: Type.String(), status: Type.String(), totalCents: Type.Integer() }),
);

export function receiptDelivered(
  outboxKey: string,
  answer: unknown,
  sessions: SessionStore,
  now: number,
): SessionEvent {
  const sessionId = outboxKey.replace(/^visit:/, '');
  const receipt = receiptValidator.check(answer);
  return {
    ...(receipt.ok ? { receipt: receipt.value } : {}),
    v: 1,
    kind: 'receipt-delivered',
    sessionId,
    accountId: sessions.get(sessionId)?.accountId ?? 'unknown',
    ts: now,
  };
}
