// Gate commands carry proof the edge sent them: an Ed25519 signature over every field that decides what the
// gate does (store, gate, scan id, action, admit, reason, message, time). The edge holds the private key; each
// gate holds only the public half, so a device or anyone else on the bus cannot open a gate, even with a scan id
// it overheard. A signed command is good only for its own pending scan and only while fresh.
import { createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import type { GateCommand } from './schemas/gate.ts';

/** What the signature covers, in a fixed order (the signature itself excluded). */
function signingInput(storeId: string, gateId: string, c: Omit<GateCommand, 'sig'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      'walkout-gate-command',
      c.v,
      storeId,
      gateId,
      c.scanId,
      c.action,
      c.admit,
      c.reason ?? null,
      c.message,
      c.ts,
    ]),
  );
}

export function signGateCommand(
  key: KeyObject,
  storeId: string,
  gateId: string,
  command: Omit<GateCommand, 'sig'>,
): GateCommand {
  const sig = sign(null, signingInput(storeId, gateId, command), key).toString('base64url');
  return { ...command, sig };
}

/** True when `command.sig` is the edge's signature over this command for this store and gate. */
export function verifyGateCommand(
  publicKey: KeyObject,
  storeId: string,
  gateId: string,
  command: GateCommand,
): boolean {
  if (command.sig === undefined) return false;
  const { sig, ...rest } = command;
  try {
    return verify(null, signingInput(storeId, gateId, rest), publicKey, Buffer.from(sig, 'base64url'));
  } catch {
    return false;
  }
}

/** A fresh key pair (the demo, tests); a store provisions one with `npm run broker:config`. */
export function generateGateCommandKeys(): { privateKey: KeyObject; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function gateCommandPublicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}
