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
  /**
   * Visits owed to the cloud: waiting, held (the cloud refused the edge's credential: an operator fixes it and
   * they go), delivered, and failed (refused for what they are: kept, `npm run outbox -- retry` resends).
   */
  outbox: Type.Object({
    pending: Type.Integer(),
    held: Type.Integer(),
    delivered: Type.Integer(),
    failed: Type.Integer(),
  }),
});

export type EdgeState = Static<typeof EdgeStateSchema>;
