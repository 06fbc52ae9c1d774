// Scenario files are checked against the schema and the store, with errors naming the path and the reason.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStoreConfig } from '../../../../shared/store-config.ts';
import {
  loadScenario,
  parseScenario,
  ScenarioError,
} from '../../../../simulators/scenario/scenario-loader.ts';
import { scenarioJsonSchema } from '../../../../simulators/scenario/scenario-schema.ts';

const storePath = resolve(import.meta.dirname, '../../../../stores/sample-store.json');
const store = loadStoreConfig(storePath);

const valid = () => ({
  name: 'unit',
  store: '../stores/sample-store.json',
  seed: 1,
  shoppers: [
    {
      id: 'alice',
      card: 'tok_visa',
      script: [
        { at: 0.5, do: 'enter' },
        { at: 3, do: 'pick', lane: 'S01-L03', count: 1 },
        { at: 6, do: 'put-back', lane: 'S01-L03' },
        { at: 12, do: 'exit' },
      ] as Record<string, unknown>[],
    },
  ] as Record<string, unknown>[],
});

function problemsOf(value: unknown): string[] {
  try {
    parseScenario(value, store, 'test.json');
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  throw new Error('scenario was accepted');
}

function withAction(index: number, action: Record<string, unknown>) {
  const scenario = valid();
  const script = scenario.shoppers[0]?.script as Record<string, unknown>[];
  script[index] = action;
  return scenario;
}

describe('parseScenario', () => {
  it('fills defaults: standard noise, party 1, the first gate of each kind, count 1', () => {
    const scenario = parseScenario(valid(), store);
    expect(scenario.noise).toBe('standard');
    expect(scenario.shoppers[0]).toEqual({
      id: 'alice',
      name: 'alice',
      card: 'tok_visa',
      party: 1,
      script: [
        { at: 0.5, do: 'enter', gate: 'G-IN' },
        { at: 3, do: 'pick', lane: 'S01-L03', count: 1, member: 0, standAt: 'S01-L03' },
        { at: 6, do: 'put-back', lane: 'S01-L03', count: 1, member: 0, standAt: 'S01-L03' },
        { at: 12, do: 'exit', gate: 'G-OUT' },
      ],
    });
  });

  it('names an unknown lane with its path', () => {
    expect(problemsOf(withAction(2, { at: 6, do: 'pick', lane: 'S99-L01' }))).toEqual([
      '/shoppers/0/script/2/lane: unknown lane S99-L01',
    ]);
  });

  it('rejects actions out of time order', () => {
    expect(problemsOf(withAction(2, { at: 1.5, do: 'pick', lane: 'S01-L03' }))).toEqual([
      '/shoppers/0/script/2/at: 1.5 s is before the previous action at 3 s',
    ]);
  });

  it('rejects an unknown noise profile and lists the known ones', () => {
    expect(problemsOf({ ...valid(), noise: 'loud' })).toEqual([
      '/noise: unknown noise profile loud (one of quiet, standard, noisy)',
    ]);
  });

  it('checks the party member, where the shopper stands, and who receives a hand-over', () => {
    expect(problemsOf(withAction(1, { at: 3, do: 'pick', lane: 'S01-L03', member: 1 }))).toEqual([
      '/shoppers/0/script/1/member: 1 is not in a party of 1',
    ]);
    expect(problemsOf(withAction(1, { at: 3, do: 'pick', lane: 'S01-L03', standAt: 'S02-L01' }))).toEqual([
      '/shoppers/0/script/1/standAt: S02-L01 is not on the shelf of S01-L03',
    ]);
    expect(problemsOf(withAction(2, { at: 6, do: 'hand-over', to: 'alice', sku: 'SKU-0037' }))).toEqual([
      '/shoppers/0/script/2/to: alice is not another shopper of this scenario',
    ]);
    expect(problemsOf(withAction(2, { at: 6, do: 'linger', lane: 'S01-L03', count: 2 }))).toEqual([
      '/shoppers/0/script/2/count: not used by linger',
    ]);
  });

  it('rejects unknown actions, SKUs, gates of the wrong kind and misplaced fields', () => {
    expect(problemsOf(withAction(1, { at: 3, do: 'jump' }))).toEqual([
      '/shoppers/0/script/1/do: unknown action jump (one of enter, pick, put-back, linger, hand-over, exit)',
    ]);
    expect(problemsOf(withAction(2, { at: 6, do: 'put-back', lane: 'S01-L03', sku: 'SKU-9999' }))).toEqual([
      '/shoppers/0/script/2/sku: unknown SKU SKU-9999 (not in the store catalog)',
    ]);
    expect(problemsOf(withAction(0, { at: 0.5, do: 'enter', gate: 'G-OUT' }))).toEqual([
      '/shoppers/0/script/0/gate: G-OUT is an exit gate, enter needs an entry gate',
    ]);
    expect(problemsOf(withAction(1, { at: 3, do: 'pick', lane: 'S01-L03', gate: 'G-IN' }))).toEqual([
      '/shoppers/0/script/1/gate: not used by pick',
    ]);
    expect(problemsOf(withAction(1, { at: 3, do: 'pick' }))).toEqual([
      '/shoppers/0/script/1/lane: required for pick',
    ]);
  });

  it('requires enter first, and only enter (a new visit) after exit', () => {
    expect(problemsOf(withAction(0, { at: 0.5, do: 'pick', lane: 'S01-L03' }))).toEqual([
      '/shoppers/0/script/0/do: a script starts with enter, not pick',
    ]);
    expect(problemsOf(withAction(2, { at: 6, do: 'exit' }))).toEqual([
      '/shoppers/0/script/3/do: only enter (coming back) can follow exit',
    ]);
    expect(problemsOf(withAction(1, { at: 3, do: 'enter' }))).toEqual([
      '/shoppers/0/script/1/do: enter comes first, or again after an exit (re-entry)',
    ]);
    const back = valid();
    const script = back.shoppers[0]?.script as Record<string, unknown>[];
    script.push({ at: 20, do: 'enter' }, { at: 30, do: 'exit' });
    const visits = parseScenario(back, store).shoppers[0]?.script.filter((a) => a.do === 'enter');
    expect(visits).toHaveLength(2);
  });

  it('lets an exit lose its scan (the edge must close the visit itself), and nothing else', () => {
    const lost = parseScenario(withAction(3, { at: 12, do: 'exit', scanLost: true }), store);
    expect(lost.shoppers[0]?.script[3]).toEqual({ at: 12, do: 'exit', gate: 'G-OUT', scanLost: true });
    const kept = parseScenario(withAction(3, { at: 12, do: 'exit', scanLost: false }), store);
    expect(kept.shoppers[0]?.script[3]).toEqual({ at: 12, do: 'exit', gate: 'G-OUT' });
    expect(problemsOf(withAction(0, { at: 0.5, do: 'enter', scanLost: true }))).toEqual([
      '/shoppers/0/script/0/scanLost: not used by enter',
    ]);
  });

  it('reports shape errors from the schema with their paths', () => {
    const scenario = { ...valid(), seed: -1, colour: 'red' };
    const script = scenario.shoppers[0]?.script as Record<string, unknown>[];
    script[1] = { at: 3, do: 'pick', lane: 'S01-L03', count: 0 };
    expect(problemsOf(scenario)).toEqual([
      '/colour: unknown property',
      '/seed: must be >= 0',
      '/shoppers/0/script/1/count: must be >= 1',
    ]);
    expect(problemsOf({ ...valid(), shoppers: [{ id: 'alice', script: [] }] })).toEqual([
      '/shoppers/0/script: must not have fewer than 1 items',
    ]);
  });

  it('rejects duplicate shopper ids', () => {
    const scenario = valid();
    scenario.shoppers.push({ ...scenario.shoppers[0] });
    expect(problemsOf(scenario)).toEqual(['/shoppers/1/id: duplicate shopper id alice']);
  });

  it('takes consent and behaviour moments, checking their shopper, category and kept product', () => {
    const scenario = { ...valid(), moments: [] as Record<string, unknown>[] };
    (scenario.shoppers[0] as Record<string, unknown>).consent = true;
    scenario.moments.push(
      { kind: 'comparison', shopper: 'alice', category: 'dairy', kept: 'SKU-0012' },
      { kind: 'dwell', shopper: 'alice', category: 'bakery' },
    );
    const parsed = parseScenario(scenario, store, 'test.json');
    expect(parsed.shoppers[0]?.consent).toBe(true);
    expect(parsed.moments).toEqual(scenario.moments);
    scenario.moments.push(
      { kind: 'comparison', shopper: 'bob', category: 'dairy' },
      { kind: 'comparison', shopper: 'alice', category: 'toys' },
      { kind: 'comparison', shopper: 'alice', category: 'dairy', kept: 'SKU-0001' },
      { kind: 'dwell', shopper: 'alice', category: 'dairy', kept: 'SKU-0012' },
    );
    expect(problemsOf(scenario)).toEqual([
      '/moments/2/shopper: bob is not a shopper of this scenario',
      '/moments/3/category: no product of category toys in the store catalog',
      '/moments/4/kept: SKU-0001 is drinks, not dairy',
      '/moments/5/kept: not used by dwell',
    ]);
  });
});

describe('loadScenario', () => {
  it('loads the behaviour scenarios, with consenting shoppers and their moments', () => {
    const dir = resolve(import.meta.dirname, '../../../../scenarios/behaviour');
    for (const file of readdirSync(dir)) {
      const { scenario } = loadScenario(join(dir, file));
      expect(scenario.name).toBe(`behaviour-${file.replace(/\.json$/, '')}`);
      expect(scenario.shoppers.some((s) => s.consent === true)).toBe(true);
      expect(scenario.moments?.some((m) => m.kind === 'comparison')).toBe(true);
    }
  });

  it('loads the shipped scenarios with their store resolved relative to the file', () => {
    for (const name of ['skeleton-one-shopper', 'two-shoppers-apart']) {
      const loaded = loadScenario(resolve(import.meta.dirname, `../../../../scenarios/${name}.json`));
      expect(loaded.scenario.name).toBe(name);
      expect(loaded.storePath).toBe(storePath);
      expect(loaded.store.storeId).toBe('store-001');
    }
  });

  it('loads every scenario of the shipped suite, named as its file, with cameras on', () => {
    const dir = resolve(import.meta.dirname, '../../../../scenarios/suite');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(13);
    for (const file of files) {
      const { scenario } = loadScenario(join(dir, file));
      expect(`${scenario.name}.json`).toBe(file);
      expect(scenario.cameras).toBeDefined();
    }
  });

  it('says when the file is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'walkout-scenario-'));
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "name": ');
    expect(() => loadScenario(path)).toThrow(/invalid scenario .*broken\.json:\n {2}\/: not valid JSON/);
  });
});

describe('docs/scenario.schema.json', () => {
  it('is the schema the loader validates with (run `npm run scenarios:schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync('docs/scenario.schema.json', 'utf8')) as unknown;
    expect(committed).toEqual(scenarioJsonSchema());
  });
});
