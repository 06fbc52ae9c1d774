// A short run of `npm run fuzz` (#14): 500 hostile payloads on the edge's topics (through the secured
// embedded broker) and the cloud's routes; nothing crashes, no 5xx, the edge counts what it drops, and a
// normal visit afterwards bills exactly.
import { describe, expect, it } from 'vitest';
import { runBoundaryFuzz } from '../../../evaluation/fuzz/boundary-fuzz.ts';
import { loadScenario } from '../../../simulators/scenario/scenario-loader.ts';

describe('boundary fuzzing (short run)', () => {
  it('survives 500 hostile payloads and still bills a normal visit exactly', async () => {
    const { scenario, store } = loadScenario('scenarios/skeleton-one-shopper.json');
    const result = await runBoundaryFuzz({ store, scenario, cases: 500, seed: 1414 });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ cases: 500, crashes: 0, serverErrors: 0, visitAfterExact: true });
    // Most hostile messages are refused at the edge's boundary and counted (a few mutated ones are valid).
    expect(result.edgeRejected).toBeGreaterThan(result.mqttCases * 0.8);
    expect(result.targets.filter((t) => t.target.startsWith('http')).length).toBeGreaterThan(20);
  }, 180_000);
});
