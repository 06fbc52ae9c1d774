// The edge's operations answers: liveness, and the state summary operators and the demo read.
import { type Static, Type } from 'typebox';

export const EdgeHealthSchema = Type.Object({ status: Type.Literal('ok') });

export const EdgeStateSchema = Type.Object({
  storeId: Type.String(),
  /** Sessions inside now. */
  inStore: Type.Array(
    Type.Object({
      sessionId: Type.String(),
      accountId: Type.String(),
      party: Type.Integer(),
      enteredAt: Type.Number(),
    }),
  ),
  /** Visits owed to the cloud: waiting, delivered, given up on. */
  outbox: Type.Object({ pending: Type.Integer(), delivered: Type.Integer(), failed: Type.Integer() }),
});

export type EdgeState = Static<typeof EdgeStateSchema>;
