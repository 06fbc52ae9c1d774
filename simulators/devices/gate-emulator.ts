// A gate scanner: publishes a scanned QR code as a GateScan and waits (3 s) for the edge's GateCommand
// with the same scanId, as the turnstile would before giving up. Given the edge's gate-command public key it
// acts only on commands the edge signed for this gate, stamped near its own clock: a forged or stale command
// is counted and ignored, and the gate stays shut.

import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { MqttAuth } from '../../shared/broker/broker-credentials.ts';
import type { Clock } from '../../shared/clock.ts';
import { gateCommandPublicKey, verifyGateCommand } from '../../shared/gate-command-signature.ts';
import { type GateCommand, GateCommandSchema } from '../../shared/schemas/gate.ts';
import { topics } from '../../shared/topics.ts';
import { compileValidator, parseJson } from '../../shared/validator.ts';
import { DeviceConnection } from './device-connection.ts';

export const GATE_DEADLINE_MS = 3000;

export type GateScanResult =
  | { scanId: string; scanTs: number; action: 'open' | 'deny'; command: GateCommand }
  | { scanId: string; scanTs: number; action: 'timeout' };

export interface GateEmulatorOptions {
  storeId: string;
  gateId: string;
  mqttUrl: string;
  /** The scanner's broker credential. */
  auth?: MqttAuth;
  clock: Clock;
  logger: Logger;
  /** Wall-clock wait for the command: the edge answers in real time whatever the scenario speed. */
  deadlineMs?: number;
  /**
   * SPKI PEM of the edge's gate-command key: commands without its valid signature are refused. Undefined: any
   * well-formed command is taken (a test standing in for the edge); a store's gate is always given one.
   */
  commandKeyPem?: string;
  /** How far a signed command's time may be from the gate's clock (ms, default 5 s; Infinity: unchecked). */
  commandMaxSkewMs?: number;
  /** A persistent broker session under a stable client id (a store's scanner; default off). */
  persistentSession?: boolean;
}

/** A command is answered within the 3 s deadline; 5 s allows the edge's and the gate's clocks to differ. */
const COMMAND_MAX_SKEW_MS = 5000;

interface PendingScan {
  scanId: string;
  scanTs: number;
  timer: NodeJS.Timeout;
  resolve: (result: GateScanResult) => void;
  reject: (err: Error) => void;
}

const commandValidator = compileValidator(GateCommandSchema);

export class GateEmulator {
  private connection: DeviceConnection | undefined;
  /** by scanId */
  private readonly pending = new Map<string, PendingScan>();
  private invalidCommands = 0;
  private readonly commandKey: KeyObject | undefined;
  /** Commands refused because their signature is missing or not the edge's, or their time is off. */
  readonly refused = { forged: 0, stale: 0 };

  constructor(private readonly options: GateEmulatorOptions) {
    this.commandKey =
      options.commandKeyPem === undefined ? undefined : gateCommandPublicKey(options.commandKeyPem);
  }

  get gateId(): string {
    return this.options.gateId;
  }

  get rejectedCommands(): number {
    return this.invalidCommands;
  }

  async start(): Promise<void> {
    const { storeId, gateId, mqttUrl, logger, auth } = this.options;
    const connection = new DeviceConnection({
      mqttUrl,
      storeId,
      deviceId: gateId,
      logger,
      auth,
      persistentSession: this.options.persistentSession === true,
    });
    await connection.start();
    this.connection = connection;
    await connection.subscribe(topics.gateCommand(storeId, gateId), this.onCommand);
  }

  async stop(): Promise<void> {
    for (const scan of this.pending.values()) {
      clearTimeout(scan.timer);
      scan.reject(new Error(`gate ${this.options.gateId} stopped while scan ${scan.scanId} waited`));
    }
    this.pending.clear();
    const connection = this.connection;
    this.connection = undefined;
    await connection?.stop();
  }

  /** Scans a QR code's content and resolves with the gate's answer, or 'timeout' after the deadline. */
  async scan(token: string): Promise<GateScanResult> {
    const connection = this.connection;
    if (connection === undefined) throw new Error(`gate ${this.options.gateId} is not started`);
    const { storeId, gateId, clock } = this.options;
    const scanId = `${gateId}-${randomBytes(6).toString('hex')}`;
    const scanTs = clock.now();
    const answered = new Promise<GateScanResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(scanId);
        resolve({ scanId, scanTs, action: 'timeout' });
      }, this.options.deadlineMs ?? GATE_DEADLINE_MS);
      this.pending.set(scanId, { scanId, scanTs, timer, resolve, reject });
    });
    try {
      await connection.publish(
        'gateScan',
        topics.gateScan(storeId, gateId),
        { v: 1, scanId, token, ts: scanTs },
        1,
      );
    } catch (err) {
      const scan = this.pending.get(scanId);
      if (scan !== undefined) clearTimeout(scan.timer);
      this.pending.delete(scanId);
      throw err;
    }
    return answered;
  }

  private readonly onCommand = (_topic: string, payload: Buffer): void => {
    const checked = parseJson(commandValidator, payload);
    if (!checked.ok) {
      this.invalidCommands += 1;
      this.options.logger.warn({ gate: this.options.gateId, errors: checked.errors }, 'invalid gate command');
      return;
    }
    const command = checked.value;
    const scan = this.pending.get(command.scanId);
    if (scan === undefined) return; // another scanner's command, or one that came after our deadline
    const { storeId, gateId, clock, logger } = this.options;
    if (this.commandKey !== undefined) {
      if (!verifyGateCommand(this.commandKey, storeId, gateId, command)) {
        this.refused.forged += 1;
        logger.warn({ gate: gateId, scanId: command.scanId }, 'gate command not signed by the edge: ignored');
        return;
      }
      const skew = Math.abs(command.ts - clock.now());
      if (skew > (this.options.commandMaxSkewMs ?? COMMAND_MAX_SKEW_MS)) {
        this.refused.stale += 1;
        logger.warn({ gate: gateId, scanId: command.scanId, skew }, 'gate command stamped too far from now');
        return;
      }
    }
    clearTimeout(scan.timer);
    this.pending.delete(command.scanId);
    scan.resolve({ scanId: scan.scanId, scanTs: scan.scanTs, action: command.action, command });
  };
}
