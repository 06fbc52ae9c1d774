// The gate stage's lifecycle: the entry-token verifier (an imported public key and the replay table) is made
// at start, then every scan goes to the gate controller.
import type { GateScan } from '../../shared/schemas/gate.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import { EntryTokenVerifier } from './entry-token-verifier.ts';
import { GateController, type GateControllerOptions } from './gate-controller.ts';

export interface GateStageOptions extends Omit<GateControllerOptions, 'verifier'> {
  /** The cloud's entry-token public key (SPKI PEM). */
  publicKeyPem: string;
  db: EdgeDatabase;
}

export class GateStage {
  private controller: GateController | undefined;

  constructor(private readonly options: GateStageOptions) {}

  async start(): Promise<void> {
    const { publicKeyPem, db, clock, store } = this.options;
    const verifier = await EntryTokenVerifier.create(publicKeyPem, store.config.storeId, db, clock);
    this.controller = new GateController({ ...this.options, verifier });
  }

  stop(): void {
    this.controller = undefined;
  }

  /** Answers a scan (validated at the boundary); scans before start are refused with an error. */
  async handleScan(gateId: string, scan: GateScan): Promise<void> {
    if (this.controller === undefined) throw new Error('gate stage is not started');
    await this.controller.handleScan(gateId, scan);
  }
}
