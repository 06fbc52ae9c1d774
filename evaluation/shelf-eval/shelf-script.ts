// What a generated shelf scenario is: shoppers' picks and put-backs, knocks on lanes, cell faults and
// transport trouble, with times relative to the scenario start; and the ground truth it produces.
import type { CellFault } from '../../simulators/devices/cell-faults.ts';
import type { HandStyle } from '../../simulators/devices/hand-interaction.ts';

export interface ShelfAction {
  /** ms from the scenario start */
  at: number;
  shopper: string;
  kind: 'pick' | 'put-back';
  lane: string;
  count: number;
  /** Put-back only: return this product instead of the lane's own (a misplaced item). */
  sku?: string;
  style?: HandStyle;
}

/** A fault with times relative to the scenario start. */
export type ScriptedFault = { lane: string; fault: CellFault };

export interface ShelfScript {
  situation: string;
  durationMs: number;
  actions: ShelfAction[];
  /** Knocks on lanes that move nothing. */
  bumps: { at: number; lane: string }[];
  faults: ScriptedFault[];
  /** Share of batches delivered twice, and of batches delivered after their successor. */
  transport: { duplicate: number; reorder: number };
}

export interface TruthEvent {
  kind: 'pick' | 'put-back';
  shelf: string;
  lane: string;
  sku: string;
  count: number;
  grams: number;
  /** Hand arrives, units start to move, signal settled (device time). */
  startTs: number;
  changeTs: number;
  endTs: number;
  /** Weight alone cannot tell the true (product, count) from another the lane could plausibly hold. */
  ambiguous: boolean;
}
