// Gate scanner → edge (a scanned app QR code) and edge → gate (open or stay shut, and why).
import { type Static, Type } from 'typebox';

export const GateScanSchema = Type.Object(
  {
    v: Type.Literal(1),
    /** Unique per scan, chosen by the scanner; echoed in the command that answers it. */
    scanId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The QR code's content as scanned: an entry token. */
    token: Type.String({ minLength: 1, maxLength: 4096 }),
    /** Scan time, ms since the Unix epoch, stamped by the scanner. */
    ts: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const GateCommandSchema = Type.Object(
  {
    v: Type.Literal(1),
    scanId: Type.String({ minLength: 1, maxLength: 64 }),
    action: Type.Union([Type.Literal('open'), Type.Literal('deny')]),
    /** People the gate lets through on this scan (the shopper and companions); 0 when denied. */
    admit: Type.Integer({ minimum: 0, maximum: 10 }),
    /** Machine-readable reason when denied (expired, replayed, bad-signature, …). */
    reason: Type.Optional(Type.String({ maxLength: 64 })),
    /** Text the gate's display shows the shopper. */
    message: Type.String({ maxLength: 200 }),
    ts: Type.Number({ minimum: 0 }),
    /**
     * Ed25519 signature by the edge (base64url) over store, gate and every field above
     * (shared/gate-command-signature.ts); a gate acts on no command without a valid one.
     */
    sig: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);

export type GateScan = Static<typeof GateScanSchema>;
export type GateCommand = Static<typeof GateCommandSchema>;
