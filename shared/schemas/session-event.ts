// Shopping-session lifecycle as the edge sees it, published for the floor view, the demo and tests.
import { type Static, Type } from 'typebox';

export const SessionEventSchema = Type.Object(
  {
    v: Type.Literal(1),
    kind: Type.Union([
      Type.Literal('entered'),
      Type.Literal('exited'),
      Type.Literal('receipt-queued'),
      Type.Literal('receipt-delivered'),
    ]),
    sessionId: Type.String(),
    accountId: Type.String(),
    gate: Type.Optional(Type.String()),
    /**
     * exited without an exit scan (edge/checkout/lost-exit.ts): the cameras saw the shopper leave, or the
     * maximum visit time passed. Absent: the exit scan closed it.
     */
    closedBy: Type.Optional(Type.Union([Type.Literal('cameras'), Type.Literal('max-visit-time')])),
    /** People admitted on the entry scan. */
    party: Type.Optional(Type.Integer({ minimum: 1 })),
    ts: Type.Number(),
    /** The cloud's answer once it has the visit (receipt-delivered). */
    receipt: Type.Optional(
      Type.Object({ receiptId: Type.String(), status: Type.String(), totalCents: Type.Integer() }),
    ),
    /** receipt-queued: how long (ms) the receipt was held after the exit scan. */
    heldMs: Type.Optional(Type.Number({ minimum: 0 })),
    /**
     * receipt-queued: what still held it the last moment it was held — the shelves settling past the exit, the
     * cameras watching the shopper walk out, open exceptions naming the session — each of them that did
     * (edge/checkout/checkout.ts › ReceiptWait); empty: queued at once.
     */
    waitedFor: Type.Optional(
      Type.Array(
        Type.Union([Type.Literal('shelves'), Type.Literal('exit-watch'), Type.Literal('open-exceptions')]),
        { maxItems: 3 },
      ),
    ),
    /** Cart at exit: SKU and quantity per line. */
    lines: Type.Optional(
      Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer({ minimum: 1 }) })),
    ),
  },
  { additionalProperties: false },
);

export type SessionEvent = Static<typeof SessionEventSchema>;
