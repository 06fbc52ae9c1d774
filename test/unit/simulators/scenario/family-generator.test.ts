// Generated scenario families (issue 11): every family loads, plays without a shifted action, keeps to its
// parameters and to what the world allows, is deterministic per seed, works on another store, and the
// shipped set is what the generator writes. `looksLike` copies colours and changes nothing else.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexStore, loadStoreConfig, type StoreConfig } from '../../../../shared/store-config.ts';
import {
  FAMILY_NAMES,
  type FamilyName,
  type GenerateOptions,
  generateFamilies,
  generateScenario,
  SHIPPED_FAMILIES,
} from '../../../../simulators/scenario/family-generator.ts';
import {
  loadScenario,
  parseScenario,
  ScenarioError,
} from '../../../../simulators/scenario/scenario-loader.ts';
import type { Scenario, ScenarioFile } from '../../../../simulators/scenario/scenario-schema.ts';
import { drawAppearance } from '../../../../simulators/vision/appearance.ts';
import { cameraView, seesFloorPoint } from '../../../../simulators/vision/camera-geometry.ts';
import { visionPlanner } from '../../../../simulators/vision/floor-planner.ts';
import { planScenario } from '../../../../simulators/vision/motion-plan.ts';
import { deriveRandom } from '../../../../simulators/world/derived-random.ts';

const root = resolve(import.meta.dirname, '../../../..');
const storePath = join(root, 'stores/sample-store.json');
const store = loadStoreConfig(storePath);
const index = indexStore(store);
const planner = visionPlanner(store);
const options = (seed: number, s: StoreConfig = store): GenerateOptions => ({
  store: s,
  storeRef: 'store.json',
  seed,
});
const SEEDS = [1, 2, 3, 42, 4_000_000_000];

const lastAt = (file: ScenarioFile) => Math.max(...file.shoppers.flatMap((s) => s.script.map((a) => a.at)));
const acts = (file: ScenarioFile) =>
  file.shoppers.flatMap((s) => s.script.map((a) => ({ ...a, shopper: s.id }))).sort((a, b) => a.at - b.at);

/** Actions the motion plan had to move (the walk there takes longer than the script allows), in ms. */
function shiftedActions(scenario: Scenario, s: StoreConfig, p = planner): string[] {
  const shifted: string[] = [];
  for (const plan of planScenario(scenario, indexStore(s), p)) {
    const script = scenario.shoppers.find((x) => x.id === plan.shopperId)?.script ?? [];
    script.forEach((action, i) => {
      const late = (plan.actionTimes[i] ?? 0) - action.at * 1000;
      if (Math.abs(late) > 1)
        shifted.push(`${plan.id} ${action.do} at ${action.at} s: ${late.toFixed(0)} ms late`);
    });
  }
  return shifted;
}

/** Plays baskets and lane stock in time order: what the world would refuse. */
function refusals(file: ScenarioFile, s: StoreConfig): string[] {
  const lanes = indexStore(s).laneById;
  const stock = new Map(s.shelves.flatMap((sh) => sh.lanes.map((l) => [l.id, l.initialUnits])));
  const baskets = new Map(file.shoppers.map((x) => [x.id, new Map<string, number>()]));
  const problems: string[] = [];
  const add = (who: string, sku: string, n: number) => {
    const basket = baskets.get(who) ?? new Map<string, number>();
    basket.set(sku, (basket.get(sku) ?? 0) + n);
    if ((basket.get(sku) ?? 0) < 0) problems.push(`${who} gives away or returns ${sku} not held`);
  };
  for (const a of acts(file)) {
    const count = a.count ?? 1;
    const lane = a.lane === undefined ? undefined : lanes.get(a.lane)?.lane;
    if (a.do === 'pick' && lane !== undefined) {
      if (lane.sku === undefined) problems.push(`${a.lane} has no product`);
      stock.set(lane.id, (stock.get(lane.id) ?? 0) - count);
      if ((stock.get(lane.id) ?? 0) < 0) problems.push(`${a.lane} emptied`);
      add(a.shopper, lane.sku ?? '', count);
    } else if (a.do === 'put-back' && lane !== undefined) {
      stock.set(lane.id, (stock.get(lane.id) ?? 0) + count);
      if ((stock.get(lane.id) ?? 0) > lane.capacity) problems.push(`${a.lane} overfull`);
      add(a.shopper, a.sku ?? lane.sku ?? '', -count);
    } else if (a.do === 'hand-over') {
      add(a.shopper, a.sku ?? '', -count);
      add(a.to ?? '', a.sku ?? '', count);
    }
  }
  return problems;
}

describe('generateFamilies', () => {
  it.each(SEEDS)('every family loads and plays as written for seed %i', (seed) => {
    const generated = generateFamilies({ ...options(seed), perFamily: 3 });
    expect(generated.map((g) => g.file)).toEqual(
      FAMILY_NAMES.flatMap((f) => [1, 2, 3].map((n) => `${f}-0${n}.json`)),
    );
    for (const { family, file, scenario: raw } of generated) {
      const scenario = parseScenario(raw, store, file);
      expect(scenario.family).toBe(family);
      expect(`${scenario.name}.json`).toBe(file);
      expect(raw.cameras).toEqual({ fps: 10 });
      const people = scenario.shoppers.reduce((n, s) => n + s.party, 0);
      expect(people, file).toBeGreaterThanOrEqual(2);
      expect(people, file).toBeLessThanOrEqual(6);
      expect(scenario.shoppers.every((s) => s.card === 'tok_visa')).toBe(true);
      // short: the last action by about 35 s (a big party over two shelves may take a little longer)
      expect(lastAt(raw), file).toBeLessThanOrEqual(family === 'family' ? 42 : 35);
      expect(shiftedActions(scenario, store), file).toEqual([]);
      expect(refusals(raw, store), file).toEqual([]);
    }
  });

  it('loads through loadScenario from files, with the store relative to the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'walkout-families-'));
    const storeRef = relative(dir, storePath);
    for (const { file, scenario } of generateFamilies({ store, storeRef, seed: 5, perFamily: 2 })) {
      writeFileSync(join(dir, file), JSON.stringify(scenario));
      const loaded = loadScenario(join(dir, file));
      expect(loaded.storePath).toBe(storePath);
      expect(loaded.scenario.shoppers.length).toBe(scenario.shoppers.length);
    }
  });

  it('is deterministic for a seed, and another seed gives other scenarios', () => {
    const a = generateFamilies({ ...options(7), perFamily: 2 });
    expect(generateFamilies({ ...options(7), perFamily: 2 })).toEqual(a);
    const b = generateFamilies({ ...options(8), perFamily: 2 });
    expect(b.map((g) => g.scenario.seed)).not.toEqual(a.map((g) => g.scenario.seed));
    expect(b.map((g) => acts(g.scenario).map((x) => x.lane))).not.toEqual(
      a.map((g) => acts(g.scenario).map((x) => x.lane)),
    );
  });

  it('draws shelves and lanes from the store, not from a fixed list', () => {
    const shelves = new Set(
      SEEDS.flatMap((seed) =>
        generateFamilies({ ...options(seed), perFamily: 3 }).flatMap((g) =>
          acts(g.scenario).flatMap((a) => (a.lane === undefined ? [] : [a.lane.slice(0, 3)])),
        ),
      ),
    );
    expect(shelves.size).toBeGreaterThanOrEqual(4);
  });
});

describe('family parameters', () => {
  const shelfActs = (file: ScenarioFile) =>
    file.shoppers.map((s) => s.script.filter((a) => a.do === 'pick' || a.do === 'put-back'));

  it.each([2, 3, 4, 5, 6])('crowd-at-shelf with people=%i: that many shoppers at one shelf at once', (n) => {
    for (const [i, seed] of SEEDS.entries()) {
      const file = generateScenario('crowd-at-shelf', i, {
        ...options(seed),
        params: { 'crowd-at-shelf': { people: n } },
      });
      expect(file.shoppers).toHaveLength(n);
      const perShopper = shelfActs(file);
      const shelves = new Set(perShopper.flat().map((a) => a.lane?.slice(0, 3)));
      expect(shelves.size).toBe(1);
      // everyone's first action at the shelf comes before anyone's last: all of them are there together
      const firsts = perShopper.map((s) => s[0]?.at ?? Number.NaN);
      const lasts = perShopper.map((s) => s[s.length - 1]?.at ?? Number.NaN);
      expect(Math.max(...firsts)).toBeLessThan(Math.min(...lasts));
      expect(perShopper.every((s) => s.length >= 2)).toBe(true);
    }
  });

  it.each([2, 3, 4, 5])('family with size=%i: one scan, several members picking', (size) => {
    for (const [i, seed] of SEEDS.entries()) {
      const file = generateScenario('family', i, { ...options(seed), params: { family: { size } } });
      const party = file.shoppers.find((s) => s.party === size);
      expect(party, file.description).toBeDefined();
      const members = new Set(party?.script.filter((a) => a.do === 'pick').map((a) => a.member ?? 0));
      expect(members.size).toBe(Math.min(size, 3));
      expect(file.shoppers.filter((s) => s !== party).every((s) => (s.party ?? 1) === 1)).toBe(true);
    }
  });

  it.each([0, 0.4, 1, 2])('same-lane with gapS=%f: two grabs from one lane that far apart', (gapS) => {
    for (const [i, seed] of SEEDS.entries()) {
      const file = generateScenario('same-lane', i, { ...options(seed), params: { 'same-lane': { gapS } } });
      const picks = acts(file).filter((a) => a.do === 'pick');
      const lane = picks.find((a) => picks.filter((b) => b.lane === a.lane).length === 2)?.lane;
      const times = picks.filter((a) => a.lane === lane).map((a) => a.at);
      expect(times).toHaveLength(2);
      expect(Math.abs((times[1] ?? 0) - (times[0] ?? 0))).toBeCloseTo(gapS, 5);
      expect(picks.filter((a) => a.lane === lane).some((a) => a.standAt !== undefined)).toBe(true);
    }
  });

  it.each([2, 3])('noisy-cells and dark-camera with shoppers=%i', (n) => {
    for (const [i, seed] of SEEDS.entries()) {
      const noisy = generateScenario('noisy-cells', i, {
        ...options(seed),
        params: { 'noisy-cells': { shoppers: n } },
      });
      expect(noisy.noise).toBe('noisy');
      expect(noisy.shoppers).toHaveLength(n);
      const dark = generateScenario('dark-camera', i, {
        ...options(seed),
        params: { 'dark-camera': { shoppers: n } },
      });
      expect(dark.shoppers).toHaveLength(n);
      // a camera that sees where they pick is dark while they pick
      const fault = dark.faults?.[0];
      const camera = store.cameras.find((c) => c.id === fault?.camera);
      if (fault === undefined || camera === undefined) throw new Error('no camera-dark fault');
      const picks = acts(dark).filter((a) => a.do === 'pick');
      const under = picks.filter((a) => {
        const { lane, shelf } = index.laneById.get(a.lane ?? '') ?? {};
        return (
          lane !== undefined &&
          shelf !== undefined &&
          seesFloorPoint(cameraView(camera), lane.position.x, lane.position.y)
        );
      });
      expect(under.length).toBeGreaterThan(0);
      expect(under.some((a) => a.at >= fault.at && a.at <= fault.at + fault.forS)).toBe(true);
    }
  });

  it.each([3, 7.5])(
    'lost-at-gate with darkS=%f: the cameras seeing the entry are dark around a scan',
    (darkS) => {
      const gate = store.gates.find((g) => g.kind === 'entry');
      if (gate === undefined) throw new Error('no entry gate');
      for (const [i, seed] of SEEDS.entries()) {
        const file = generateScenario('lost-at-gate', i, {
          ...options(seed),
          params: { 'lost-at-gate': { darkS } },
        });
        const faults = file.faults ?? [];
        expect(faults.length).toBeGreaterThan(0);
        for (const f of faults) {
          expect(f.forS).toBe(darkS);
          const camera = store.cameras.find((c) => c.id === f.camera);
          expect(camera && seesFloorPoint(cameraView(camera), gate.position.x, gate.position.y)).toBe(true);
        }
        const scans = acts(file)
          .filter((a) => a.do === 'enter')
          .map((a) => a.at);
        const [fault] = faults;
        expect(scans.some((t) => fault !== undefined && t > fault.at && t < fault.at + fault.forS)).toBe(
          true,
        );
      }
    },
  );

  it('look-alikes and hand-over do what their names say', () => {
    for (const [i, seed] of SEEDS.entries()) {
      const alike = generateScenario('look-alikes', i, options(seed));
      const twin = alike.shoppers.find((s) => s.looksLike !== undefined);
      expect(alike.shoppers.map((s) => s.id)).toContain(twin?.looksLike);
      const given = generateScenario('hand-over', i, options(seed));
      const handOver = acts(given).find((a) => a.do === 'hand-over');
      expect(handOver?.to).not.toBe(handOver?.shopper);
      expect(given.shoppers.map((s) => s.id)).toContain(handOver?.to);
    }
  });

  it('rejects parameters out of range or of another family', () => {
    const bad = (family: FamilyName, params: Record<string, number>) => () =>
      generateScenario(family, 0, { ...options(1), params: { [family]: params } });
    expect(bad('crowd-at-shelf', { people: 7 })).toThrow(/people must be an integer in 2–6, got 7/);
    expect(bad('family', { size: 2.5 })).toThrow(/size must be an integer in 2–5/);
    expect(bad('same-lane', { people: 3 })).toThrow(/same-lane has no parameter people/);
  });
});

describe('on another store', () => {
  // the sample store with its lanes renamed, half its lanes emptied and the gates moved to the far corner
  const raw = JSON.parse(readFileSync(storePath, 'utf8')) as StoreConfig;
  const other: StoreConfig = {
    ...raw,
    shelves: raw.shelves.map((shelf) => ({
      ...shelf,
      lanes: shelf.lanes.map((lane, l) => ({
        ...lane,
        id: `Q${lane.id}`,
        ...(l % 2 === 1 ? { sku: undefined, initialUnits: 0 } : {}),
      })),
    })),
    gates: [
      { id: 'IN-2', kind: 'entry', position: { x: 27, y: 20.3 } },
      { id: 'OUT-2', kind: 'exit', position: { x: 24, y: 20.3 } },
    ],
  };
  const otherPlanner = visionPlanner(other);

  it('uses only its stocked lanes and times the walks on its floor', () => {
    for (const { file, scenario: raw } of generateFamilies({ ...options(3, other), perFamily: 3 })) {
      const scenario = parseScenario(raw, other, file);
      for (const a of acts(raw)) if (a.lane !== undefined) expect(a.lane, file).toMatch(/^QS\d\d-L\d\d$/);
      expect(refusals(raw, other), file).toEqual([]);
      expect(shiftedActions(scenario, other, otherPlanner), file).toEqual([]);
    }
  });
});

describe('looksLike', () => {
  const base = () =>
    JSON.parse(readFileSync(join(root, 'scenarios/suite/08-three-crowded-at-one-shelf.json'), 'utf8'));
  const problemsOf = (value: unknown) => {
    try {
      parseScenario(value, store, 'test.json');
    } catch (err) {
      if (err instanceof ScenarioError) return err.problems;
      throw err;
    }
    return [];
  };

  it('gives the shopper the other one’s colours and changes nothing else', () => {
    const file = base();
    const plain = planScenario(parseScenario(file, store), index, planner);
    file.shoppers[2].looksLike = 'lea';
    const alike = planScenario(parseScenario(file, store), index, planner);
    const by = (plans: typeof plain, id: string) => plans.find((p) => p.id === id);
    const [lea, ned, nedPlain] = [by(alike, 'lea'), by(alike, 'ned'), by(plain, 'ned')];
    expect(ned?.appearance.top).toEqual(lea?.appearance.top);
    expect(ned?.appearance.head).toEqual(lea?.appearance.head);
    expect(ned?.appearance.skin).toEqual(lea?.appearance.skin);
    // ned keeps his own build and what he carries, and walks exactly as before
    expect(ned?.appearance.size).toBe(nedPlain?.appearance.size);
    expect(ned?.appearance.carries).toBe(nedPlain?.appearance.carries);
    expect(ned?.appearance.top).not.toEqual(nedPlain?.appearance.top);
    expect(ned?.keyframes).toEqual(nedPlain?.keyframes);
    expect(alike.filter((p) => p.id !== 'ned')).toEqual(plain.filter((p) => p.id !== 'ned'));
  });

  it('leaves scenarios without it as they were: every colour drawn from its own stream', () => {
    const dir = join(root, 'scenarios/suite');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const { scenario } = loadScenario(join(dir, file));
      for (const plan of planScenario(scenario, index, planner)) {
        const member = Number(plan.id.split('#')[1] ?? 0);
        const drawn = drawAppearance(deriveRandom(scenario.seed, `vision:${plan.shopperId}:${member}`));
        expect(plan.appearance, `${file} ${plan.id}`).toEqual(drawn);
      }
    }
  });

  it('follows a chain to the one at its end', () => {
    const file = base();
    file.shoppers[2].looksLike = 'max';
    file.shoppers[1].looksLike = 'lea';
    const plans = planScenario(parseScenario(file, store), index, planner);
    const colours = plans.map((p) => p.appearance.top);
    expect(colours[1]).toEqual(colours[0]);
    expect(colours[2]).toEqual(colours[0]);
  });

  it('is rejected when it names an unknown shopper, the shopper itself, or runs in a cycle', () => {
    const unknown = base();
    unknown.shoppers[1].looksLike = 'zed';
    expect(problemsOf(unknown)).toEqual([
      '/shoppers/1/looksLike: zed is not another shopper of this scenario',
    ]);
    const self = base();
    self.shoppers[1].looksLike = 'max';
    expect(problemsOf(self)).toEqual(['/shoppers/1/looksLike: max cannot look like itself']);
    const cycle = base();
    cycle.shoppers[0].looksLike = 'max';
    cycle.shoppers[1].looksLike = 'lea';
    expect(problemsOf(cycle)).toEqual([
      '/shoppers/0/looksLike: lea → max → lea is a cycle',
      '/shoppers/1/looksLike: max → lea → max is a cycle',
    ]);
  });

  it('family defaults to the scenario name', () => {
    expect(parseScenario(base(), store).family).toBe('08-three-crowded-at-one-shelf');
    expect(parseScenario({ ...base(), family: 'crowds' }, store).family).toBe('crowds');
  });
});

describe('scenarios/suite/generated', () => {
  it('is what the generator writes (run `npm run scenarios:generate` after changing it)', () => {
    const dir = join(root, SHIPPED_FAMILIES.out);
    const storeRef = relative(dir, join(root, SHIPPED_FAMILIES.store)).split('\\').join('/');
    const expected = generateFamilies({
      store: loadStoreConfig(join(root, SHIPPED_FAMILIES.store)),
      storeRef,
      seed: SHIPPED_FAMILIES.seed,
      perFamily: SHIPPED_FAMILIES.perFamily,
    });
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(expected.map((g) => g.file).sort());
    for (const { file, scenario } of expected) {
      expect(JSON.parse(readFileSync(join(dir, file), 'utf8')), file).toEqual(scenario);
      expect(loadScenario(join(dir, file)).scenario.family).toBe(scenario.family);
    }
  });
});
