// What staff decide on the floor view (assign or drop an exception, acknowledge an alert), what each decision
// answers, and the audit trail that records them.
import { type Static, Type } from 'typebox';
import { ShelfEventSchema } from './shelf-event.ts';

export const AssignBodySchema = Type.Object({
  /** A session that was in the store for the event (one of the exception's candidates). */
  sessionId: Type.String({ minLength: 1, maxLength: 80 }),
  sku: Type.String({ minLength: 1, maxLength: 64 }),
  count: Type.Integer({ minimum: 1, maximum: 100 }),
});

export const DropBodySchema = Type.Object({
  /** Why nobody is billed (kept in the audit trail); an empty body means an empty note. */
  note: Type.String({ maxLength: 500 }),
});

/** Acknowledging carries nothing but who is signed in; an empty body is fine. */
export const AckBodySchema = Type.Object({});

export const ExceptionAssignedSchema = Type.Object({
  exceptionId: Type.String(),
  status: Type.Literal('resolved'),
  /** The event as billed: the chosen session, product and count, attribution `staff`. */
  event: ShelfEventSchema,
});

export const ExceptionDroppedSchema = Type.Object({
  exceptionId: Type.String(),
  status: Type.Literal('dropped'),
});

export const AlertAckSchema = Type.Object({ alertId: Type.String(), by: Type.String(), at: Type.Number() });

export const AuditEntrySchema = Type.Object({
  at: Type.Number(),
  /** A staff user's name, or the system (e.g. `vision:exit-match`). */
  actor: Type.String(),
  action: Type.String({ description: 'e.g. assign, drop, acknowledge-alert' }),
  subject: Type.String({ description: 'The exception or alert id' }),
  /** The decision's details as JSON text. */
  details: Type.String(),
});

export const AuditTrailSchema = Type.Object({
  /** Newest first, at most 200. */
  entries: Type.Array(AuditEntrySchema),
});

export type AssignBody = Static<typeof AssignBodySchema>;
export type DropBody = Static<typeof DropBodySchema>;
export type ExceptionAssigned = Static<typeof ExceptionAssignedSchema>;
export type ExceptionDropped = Static<typeof ExceptionDroppedSchema>;
export type AlertAck = Static<typeof AlertAckSchema>;
export type AuditTrail = Static<typeof AuditTrailSchema>;
