// Plays one shopper's script against the world and the devices: entry and exit through a gate with a fresh
// app token, picks and put-backs as hand interactions on the lanes' load cells; records the ground truth.
import type { Logger } from 'pino';
import type { Random } from '../../shared/random.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { ShopperApp, ShopperSession } from '../app/shopper-app.ts';
import type { GateEmulator } from '../devices/gate-emulator.ts';
import type { LoadCellEmulator } from '../devices/load-cell-emulator.ts';
import type { StoreWorld } from '../world/store-world.ts';
import { type DeviceTime, scenarioStamp } from './device-time.ts';
import type { GroundTruthRecorder } from './ground-truth.ts';
import type { ScenarioAction, ScenarioShopper } from './scenario-schema.ts';

export interface ShopperScriptContext {
  shopper: ScenarioShopper;
  session: ShopperSession;
  app: ShopperApp;
  store: StoreIndex;
  world: StoreWorld;
  loadCells: LoadCellEmulator;
  /** by gate id */
  gates: ReadonlyMap<string, GateEmulator>;
  recorder: GroundTruthRecorder;
  time: DeviceTime;
  /** Device time of scenario second 0. */
  startTs: number;
  /** By script index: when the action really happens, ms after startTs (the walk there may delay it). */
  actionTimes: readonly number[];
  /** The shopper's own stream: hand interactions stay reproducible whatever the other shoppers do. */
  random: Random;
  signal: AbortSignal;
  logger: Logger;
  say: (line: string) => void;
}

export async function playShopperScript(ctx: ShopperScriptContext): Promise<void> {
  const { shopper, time, startTs, signal } = ctx;
  for (const [i, action] of shopper.script.entries()) {
    await time.sleepUntil(startTs + (ctx.actionTimes[i] ?? action.at * 1000), signal);
    if (action.do === 'pick' || action.do === 'put-back') {
      handleShelf(ctx, action);
    } else if (action.do === 'linger') {
      ctx.recorder.moment({
        ts: time.now(),
        shopper: shopper.id,
        kind: 'linger',
        lane: action.lane,
        forS: action.forS,
      });
      ctx.say(`${stamp(ctx)} ${shopper.id} lingers at ${action.lane} for ${action.forS} s`);
    } else if (action.do === 'hand-over') {
      handOver(ctx, action);
    } else if (action.do === 'enter') {
      if (!(await passGate(ctx, action.gate, 'enter'))) {
        const skipped = shopper.script.length - i - 1;
        ctx.say(`${stamp(ctx)} ${shopper.id} stays outside; skips ${skipped} scripted action(s)`);
        return;
      }
    } else if (action.scanLost === true) {
      walkOutUnscanned(ctx, action.gate);
    } else {
      await passGate(ctx, action.gate, 'exit');
    }
  }
}

/** The shopper leaves through `gateId` but the edge never hears the scan (scanner glitch, let out by staff). */
function walkOutUnscanned(ctx: ShopperScriptContext, gateId: string): void {
  const { shopper, recorder, time } = ctx;
  recorder.exited(shopper.id, time.now());
  ctx.say(`${stamp(ctx)} ${shopper.id} walks out through ${gateId}: the exit scan is lost`);
  ctx.logger.info({ shopper: shopper.id, gate: gateId }, 'exit without a scan');
}

const stamp = (ctx: ShopperScriptContext) => scenarioStamp(ctx.time, ctx.startTs);

/** Fetches a fresh token from the app, scans it and records the gate's answer; true when it opened. */
async function passGate(ctx: ShopperScriptContext, gateId: string, way: 'enter' | 'exit'): Promise<boolean> {
  const { shopper, recorder } = ctx;
  const gate = ctx.gates.get(gateId);
  if (gate === undefined) throw new RangeError(`gate ${gateId} has no emulator`);
  const issued = await ctx.app.entryToken(ctx.session, shopper.party);
  if (!issued.ok) {
    if (way === 'enter') recorder.entryDenied(shopper.id, issued.reason);
    ctx.say(`${stamp(ctx)} ${shopper.id} gets no token to ${way} (${issued.reason})`);
    return false;
  }
  const result = await gate.scan(issued.token);
  const reason = result.action === 'timeout' ? 'timeout' : result.command.reason;
  recorder.gate({
    ts: result.scanTs,
    shopper: shopper.id,
    gate: gateId,
    scanId: result.scanId,
    action: result.action,
    ...(reason === undefined ? {} : { reason }),
  });
  const opened = result.action === 'open';
  if (way === 'enter') {
    if (opened) recorder.entered(shopper.id, result.scanTs);
    else recorder.entryDenied(shopper.id, result.action === 'timeout' ? 'timeout' : (reason ?? 'denied'));
  } else if (opened) {
    recorder.exited(shopper.id, result.scanTs);
  }
  const outcome = opened
    ? 'opens'
    : result.action === 'timeout'
      ? 'does not answer within 3 s (is the edge running?)'
      : 'denies';
  ctx.say(
    `${stamp(ctx)} ${shopper.id} scans at ${gateId} to ${way}: gate ${outcome}${result.action === 'deny' && reason ? ` (${reason})` : ''}`,
  );
  ctx.logger.info({ shopper: shopper.id, gate: gateId, way, action: result.action, reason }, 'gate scan');
  return opened;
}

function handOver(ctx: ShopperScriptContext, action: Extract<ScenarioAction, { do: 'hand-over' }>): void {
  const { shopper, world, recorder } = ctx;
  const moved = world.handOver(shopper.id, action.to, action.sku, action.count);
  if (!moved.ok) {
    ctx.say(`${stamp(ctx)} ${shopper.id} cannot hand ${action.sku} to ${action.to}: ${moved.reason}`);
    return;
  }
  recorder.moment({
    ts: ctx.time.now(),
    shopper: shopper.id,
    kind: 'hand-over',
    to: action.to,
    sku: action.sku,
    count: action.count,
  });
  ctx.say(`${stamp(ctx)} ${shopper.id} hands ${action.count} × ${action.sku} to ${action.to}`);
}

function handleShelf(
  ctx: ShopperScriptContext,
  action: Extract<ScenarioAction, { do: 'pick' | 'put-back' }>,
): void {
  const { shopper, world, recorder } = ctx;
  const now = ctx.time.now();
  const kind = action.do;
  const moved =
    kind === 'pick'
      ? world.pick(shopper.id, action.lane, action.count)
      : world.putBack(shopper.id, action.lane, action.count, action.sku);
  if (!moved.ok) {
    recorder.refusal({
      ts: now,
      shopper: shopper.id,
      kind,
      lane: action.lane,
      count: action.count,
      reason: moved.reason,
    });
    ctx.say(`${stamp(ctx)} ${shopper.id} cannot ${kind} on ${action.lane}: ${moved.reason}`);
    ctx.logger.warn({ shopper: shopper.id, kind, lane: action.lane, reason: moved.reason }, 'action refused');
    return;
  }
  const delta = kind === 'pick' ? -moved.grams : moved.grams;
  const hand = ctx.loadCells.interact(action.lane, now, delta, ctx.random);
  // a put-back comes off the receipt of whoever picked each unit (a hand-over keeps the picker paying)
  const owners = new Map<string, number>();
  for (const unit of moved.units) {
    const owner = kind === 'pick' ? shopper.id : (unit.owner ?? shopper.id);
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
  }
  for (const [owner, count] of owners) {
    recorder.event({
      ts: round(hand.changeTs),
      startTs: round(hand.startTs),
      endTs: round(hand.endTs),
      shopper: shopper.id,
      kind,
      lane: action.lane,
      sku: moved.sku,
      count,
      grams: owners.size === 1 ? moved.grams : round((moved.grams * count) / action.count),
      ...(owner === shopper.id ? {} : { chargedTo: owner }),
    });
  }
  const name = ctx.store.productBySku.get(moved.sku)?.name ?? moved.sku;
  const verb = kind === 'pick' ? 'picks' : 'puts back';
  const where = kind === 'pick' ? 'from' : 'onto';
  ctx.say(
    `${stamp(ctx)} ${shopper.id} ${verb} ${action.count} × ${name} (${moved.sku}) ${where} ${action.lane}: ${moved.grams} g`,
  );
  ctx.logger.info({ shopper: shopper.id, kind, lane: action.lane, sku: moved.sku, grams: moved.grams }, kind);
}

const round = (ms: number) => Math.round(ms * 10) / 10;
