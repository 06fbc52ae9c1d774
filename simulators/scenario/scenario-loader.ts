// Loads a scenario file: shape checked with its TypeBox schema, then lanes, SKUs, gates and the order of
// each script checked against the store; every problem names its JSON path and the reason.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { indexStore, loadStoreConfig, type StoreConfig, type StoreIndex } from '../../shared/store-config.ts';
import { compileValidator } from '../../shared/validator.ts';
import { isNoiseProfileName, NOISE_PROFILE_NAMES } from '../devices/noise-profiles.ts';
import {
  ACTION_KINDS,
  type ActionKind,
  type Scenario,
  type ScenarioAction,
  type ScenarioActionInput,
  ScenarioFileSchema,
  type ScenarioShopper,
} from './scenario-schema.ts';

export class ScenarioError extends Error {
  readonly code = 'INVALID_SCENARIO';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid scenario ${source}:\n  ${problems.join('\n  ')}`);
  }
}

const validator = compileValidator(ScenarioFileSchema);

export interface LoadedScenario {
  scenario: Scenario;
  store: StoreConfig;
  /** Absolute path of the store config the scenario names. */
  storePath: string;
}

export function loadScenario(path: string): LoadedScenario {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'not valid JSON' : 'cannot read file';
    throw new ScenarioError(path, [`/: ${reason}: ${(err as Error).message}`]);
  }
  const file = checkShape(value, path);
  const storePath = resolve(dirname(path), file.store);
  const store = loadStoreConfig(storePath);
  return { scenario: parseScenario(value, store, path), store, storePath };
}

/** Validates a scenario value against the schema and the given store; returns it with defaults filled. */
export function parseScenario(value: unknown, store: StoreConfig, source = '<inline>'): Scenario {
  const file = checkShape(value, source);
  const index = indexStore(store);
  const problems: string[] = [];
  const noise = file.noise ?? 'standard';
  if (!isNoiseProfileName(noise)) {
    problems.push(`/noise: unknown noise profile ${noise} (one of ${NOISE_PROFILE_NAMES.join(', ')})`);
  }
  const seen = new Set<string>();
  const shoppers: ScenarioShopper[] = file.shoppers.map((shopper, s) => {
    if (seen.has(shopper.id)) problems.push(`/shoppers/${s}/id: duplicate shopper id ${shopper.id}`);
    seen.add(shopper.id);
    const party = shopper.party ?? 1;
    const script = shopper.script.map((action, a) =>
      resolveAction(action, a, shopper.script[a - 1], `/shoppers/${s}/script/${a}`, index, problems, party),
    );
    return {
      id: shopper.id,
      name: shopper.name ?? shopper.id,
      card: shopper.card,
      party,
      ...(shopper.looksLike === undefined ? {} : { looksLike: shopper.looksLike }),
      ...(shopper.consent === true ? { consent: true } : {}),
      script: script.filter((x): x is ScenarioAction => x !== undefined),
    };
  });
  checkLookAlikes(shoppers, problems);
  shoppers.forEach((shopper, s) => {
    shopper.script.forEach((action, a) => {
      if (action.do !== 'hand-over') return;
      if (action.to === shopper.id || !seen.has(action.to))
        problems.push(`/shoppers/${s}/script/${a}/to: ${action.to} is not another shopper of this scenario`);
    });
  });
  const faults = (file.faults ?? []).map((fault, f) => {
    if (file.cameras === undefined) problems.push(`/faults/${f}: camera faults need a cameras block`);
    if (!store.cameras.some((c) => c.id === fault.camera))
      problems.push(`/faults/${f}/camera: unknown camera ${fault.camera}`);
    return fault;
  });
  const moments = (file.moments ?? []).map((moment, m) => {
    const at = `/moments/${m}`;
    if (!seen.has(moment.shopper))
      problems.push(`${at}/shopper: ${moment.shopper} is not a shopper of this scenario`);
    if (!index.config.catalog.some((p) => p.category === moment.category))
      problems.push(`${at}/category: no product of category ${moment.category} in the store catalog`);
    if (moment.kept !== undefined) {
      const kept = index.productBySku.get(moment.kept);
      if (moment.kind !== 'comparison') problems.push(`${at}/kept: not used by ${moment.kind}`);
      else if (kept === undefined) problems.push(`${at}/kept: unknown SKU ${moment.kept}`);
      else if (kept.category !== moment.category)
        problems.push(`${at}/kept: ${moment.kept} is ${kept.category}, not ${moment.category}`);
    }
    return moment;
  });
  if (problems.length > 0 || !isNoiseProfileName(noise)) throw new ScenarioError(source, problems);
  return {
    name: file.name,
    family: file.family ?? file.name,
    description: file.description,
    store: file.store,
    seed: file.seed,
    noise,
    shoppers,
    faults,
    ...(moments.length === 0 ? {} : { moments }),
    ...(file.cameras === undefined
      ? {}
      : { cameras: { fps: file.cameras.fps ?? 5, dropRate: file.cameras.dropRate ?? 0.02 } }),
  };
}

/** `looksLike` names another shopper of the scenario, and following it never comes back (no cycles). */
function checkLookAlikes(shoppers: ScenarioShopper[], problems: string[]): void {
  const byId = new Map(shoppers.map((s) => [s.id, s]));
  shoppers.forEach((shopper, s) => {
    const at = `/shoppers/${s}/looksLike`;
    if (shopper.looksLike === undefined) return;
    if (shopper.looksLike === shopper.id) {
      problems.push(`${at}: ${shopper.id} cannot look like itself`);
      return;
    }
    if (!byId.has(shopper.looksLike)) {
      problems.push(`${at}: ${shopper.looksLike} is not another shopper of this scenario`);
      return;
    }
    const chain = [shopper.id];
    for (
      let next: string | undefined = shopper.looksLike;
      next !== undefined;
      next = byId.get(next)?.looksLike
    ) {
      if (next === shopper.id) {
        problems.push(`${at}: ${[...chain, next].join(' → ')} is a cycle`);
        return;
      }
      if (chain.includes(next)) return; // a cycle further on, reported at its own shoppers
      chain.push(next);
    }
  });
}

function checkShape(value: unknown, source: string) {
  const checked = validator.check(value);
  if (checked.ok) return checked.value;
  // The validator reports an unexpected property as "schema is false" plus a line for its parent.
  const problems = checked.errors
    .filter((e) => !e.endsWith(': must not have additional properties'))
    .map((e) => e.replace(/: schema is false$/, ': unknown property'));
  throw new ScenarioError(source, problems.length > 0 ? problems : checked.errors);
}

function isActionKind(kind: string): kind is ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(kind);
}

function resolveAction(
  action: ScenarioActionInput,
  a: number,
  previous: ScenarioActionInput | undefined,
  at: string,
  store: StoreIndex,
  problems: string[],
  party: number,
): ScenarioAction | undefined {
  const kind = action.do;
  if (!isActionKind(kind)) {
    problems.push(`${at}/do: unknown action ${kind} (one of ${ACTION_KINDS.join(', ')})`);
    return undefined;
  }
  if (previous !== undefined && action.at < previous.at) {
    problems.push(`${at}/at: ${action.at} s is before the previous action at ${previous.at} s`);
  }
  if (a === 0 && kind !== 'enter') problems.push(`${at}/do: a script starts with enter, not ${kind}`);
  // a shopper may leave and come back: enter again (a new visit) is the only thing after an exit
  if (a > 0 && kind === 'enter' && previous?.do !== 'exit')
    problems.push(`${at}/do: enter comes first, or again after an exit (re-entry)`);
  if (previous?.do === 'exit' && kind !== 'enter')
    problems.push(`${at}/do: only enter (coming back) can follow exit`);
  const fields = ['lane', 'count', 'sku', 'gate', 'member', 'standAt', 'forS', 'to', 'scanLost'] as const;
  const allowed: Record<ActionKind, readonly (typeof fields)[number][]> = {
    enter: ['gate'],
    exit: ['gate', 'scanLost'],
    pick: ['lane', 'count', 'member', 'standAt'],
    'put-back': ['lane', 'count', 'sku', 'member', 'standAt'],
    linger: ['lane', 'forS', 'member'],
    'hand-over': ['to', 'sku', 'count'],
  };
  for (const field of fields) {
    if (action[field] !== undefined && !allowed[kind].includes(field))
      problems.push(`${at}/${field}: not used by ${kind}`);
  }
  if (kind === 'enter')
    return { at: action.at, do: kind, gate: resolveGate(action.gate, kind, at, store, problems) };
  if (kind === 'exit') {
    const gate = resolveGate(action.gate, kind, at, store, problems);
    return action.scanLost === true
      ? { at: action.at, do: kind, gate, scanLost: true }
      : { at: action.at, do: kind, gate };
  }
  const count = action.count ?? 1;
  if (action.sku !== undefined && !store.productBySku.has(action.sku)) {
    problems.push(`${at}/sku: unknown SKU ${action.sku} (not in the store catalog)`);
  }
  if (kind === 'hand-over') {
    if (action.to === undefined) problems.push(`${at}/to: required for hand-over`);
    if (action.sku === undefined) problems.push(`${at}/sku: required for hand-over`);
    return { at: action.at, do: kind, to: action.to ?? '', sku: action.sku ?? '', count };
  }
  const member = action.member ?? 0;
  if (member >= party) problems.push(`${at}/member: ${member} is not in a party of ${party}`);
  if (action.lane === undefined) {
    problems.push(`${at}/lane: required for ${kind}`);
    return undefined;
  }
  if (!store.laneById.has(action.lane)) problems.push(`${at}/lane: unknown lane ${action.lane}`);
  if (kind === 'linger')
    return { at: action.at, do: kind, lane: action.lane, forS: action.forS ?? 5, member };
  const standAt = action.standAt ?? action.lane;
  if (action.standAt !== undefined) {
    const stand = store.laneById.get(action.standAt);
    const target = store.laneById.get(action.lane);
    if (stand === undefined) problems.push(`${at}/standAt: unknown lane ${action.standAt}`);
    else if (target !== undefined && stand.shelf.id !== target.shelf.id)
      problems.push(`${at}/standAt: ${action.standAt} is not on the shelf of ${action.lane}`);
  }
  if (kind === 'pick') return { at: action.at, do: kind, lane: action.lane, count, member, standAt };
  return action.sku === undefined
    ? { at: action.at, do: kind, lane: action.lane, count, member, standAt }
    : { at: action.at, do: kind, lane: action.lane, count, sku: action.sku, member, standAt };
}

function resolveGate(
  gateId: string | undefined,
  kind: 'enter' | 'exit',
  at: string,
  store: StoreIndex,
  problems: string[],
): string {
  const wanted = kind === 'enter' ? 'entry' : 'exit';
  if (gateId === undefined) {
    // parseStoreConfig guarantees an entry and an exit gate.
    return store.config.gates.find((g) => g.kind === wanted)?.id ?? '';
  }
  const gate = store.gateById.get(gateId);
  if (gate === undefined) problems.push(`${at}/gate: unknown gate ${gateId}`);
  else if (gate.kind !== wanted)
    problems.push(`${at}/gate: ${gateId} is an ${gate.kind} gate, ${kind} needs an ${wanted} gate`);
  return gateId;
}
