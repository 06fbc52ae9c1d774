// The real AutoCheckout recording (348 plates, 60 Hz, 34 s) replayed through the real MQTT path in
// 12-sample batches: exactly its two picks come out, on the right plates, with the right product and
// count and time, and nothing else on any plate. On aedes, and on Mosquitto when configured.
import { describe, expect, it } from 'vitest';
import { evaluateRecording } from '../../../evaluation/recordings/evaluate-recording.ts';
import { realMosquitto } from '../../support/services.ts';

const RECORDING = '../shared/data/autocheckout-cps-test-01';
const mosquitto = realMosquitto();

for (const broker of [
  { name: 'embedded aedes', url: undefined, skip: false },
  { name: 'Mosquitto', url: mosquitto.url, skip: mosquitto.url === undefined },
]) {
  describe.skipIf(broker.skip)(`real load-cell recording over ${broker.name}`, () => {
    it('finds exactly the two picks, right plates, product, count and time, and nothing else', async () => {
      const result = await evaluateRecording(RECORDING, { mqttUrl: broker.url, speed: 8 });
      expect(result.plates).toBe(348);
      expect(result.score.unmatched).toEqual([]);
      expect(result.score).toMatchObject({
        truePositives: 2,
        falsePositives: 0,
        missed: 0,
        productCorrect: 2,
      });
      const taco = result.events.find((e) => e.hypotheses[0]?.sku === 'TACO-BELL-FIRE');
      expect(taco?.lanes).toEqual(expect.arrayContaining(['G2-S5-P04', 'G2-S5-P05']));
      expect(taco?.kind).toBe('pick');
      expect(taco?.hypotheses[0]?.count).toBe(1);
      const water = result.events.find((e) => e.hypotheses[0]?.sku === 'FIJI-WATER-5-LTR');
      expect(water?.lane).toBe('G1-S5-P10');
      // ground truth is to the second: 22:24:15 and 22:24:21 UTC
      expect(new Date(taco?.startTs ?? 0).toISOString().slice(11, 19)).toBe('22:24:15');
      expect(new Date(water?.startTs ?? 0).toISOString().slice(11, 19)).toBe('22:24:21');
    }, 60_000);
  });
}
