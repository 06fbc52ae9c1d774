// One box without a shared-subscription broker (the embedded aedes of the demo): the same vision worker code
// runs in worker_threads of the edge (`workers: threads`, each camera's frames to one of 2 threads). Frames over
// MQTT in, a tracked shopper out, and the threads keep up.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeMetrics } from '../../../edge/edge-metrics.ts';
import { MqttLink } from '../../../edge/mqtt/mqtt-link.ts';
import { DEFAULT_VISION } from '../../../edge/vision/vision-config.ts';
import { VisionStage } from '../../../edge/vision/vision-stage.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../shared/broker/embedded-broker.ts';
import { systemClock } from '../../../shared/clock.ts';
import type { TrackMessage } from '../../../shared/schemas/track.ts';
import { indexStore, loadStoreConfig } from '../../../shared/store-config.ts';
import { topicFilters } from '../../../shared/topics.ts';
import { parseScenario } from '../../../simulators/scenario/scenario-loader.ts';
import { CameraRig } from '../../../simulators/vision/camera-emulator.ts';
import { planScenario } from '../../../simulators/vision/motion-plan.ts';
import { visionPlanner } from '../../../simulators/vision/scenario-frames.ts';
import { waitFor } from '../../support/services.ts';

const store = loadStoreConfig('stores/sample-store.json');
const logger = pino({ level: 'warn' });
let broker: EmbeddedBroker;

beforeAll(async () => {
  broker = await startEmbeddedBroker();
});
afterAll(async () => {
  await broker?.stop();
});

describe('vision workers in threads', () => {
  it('track a shopper from detections the threads send back', async () => {
    const scenario = parseScenario(
      {
        name: 'vision-threads-it',
        store: 'x',
        seed: 5,
        shoppers: [
          {
            id: 'alice',
            script: [
              { at: 0.2, do: 'enter' },
              { at: 30, do: 'exit' },
            ],
          },
        ],
      },
      store,
    );
    const index = indexStore(store);
    const metrics = createEdgeMetrics();
    const link = new MqttLink({
      url: broker.url,
      storeId: store.storeId,
      deviceId: 'edge-vision-threads-it',
      logger,
      metrics,
    });
    const tracks: TrackMessage[] = [];
    const stage = new VisionStage({
      store,
      config: { ...DEFAULT_VISION, publishHz: 10, workers: 'threads', workerThreads: 2 },
      logger,
      clock: systemClock,
      registry: metrics.registry,
      publish: (update) => tracks.push(...update.tracks),
    });
    link.subscribe('cameraFrame', topicFilters.cameraFrame(store.storeId), 0, (frame, camera) =>
      stage.ingest(frame, camera),
    );
    const rig = new CameraRig({
      store: index,
      mqttUrl: broker.url,
      clock: systemClock,
      speed: 1,
      fps: 5,
      dropRate: 0,
      seed: 5,
      logger,
    });
    try {
      await stage.start();
      await link.start();
      await rig.start();
      const startTs = systemClock.now();
      rig.setScene(planScenario(scenario, index, visionPlanner(store)), startTs);
      stage.entered('session-alice', 'G-IN', 1, startTs + 200);
      const bound = await waitFor(
        'a confirmed track bound to the session',
        () => tracks.find((t) => t.state === 'confirmed' && t.sessionId === 'session-alice'),
        20_000,
      );
      await waitFor(
        'the track a few metres further on',
        () => tracks.find((t) => t.id === bound.id && Math.hypot(t.x - bound.x, t.y - bound.y) > 2),
        20_000,
      );
      const counts = stage.frameCounts;
      expect(counts.inferred + counts.skipped).toBeGreaterThan(20);
      // the threads kept up with 12 cameras at 5 fps: few frames went uninferred
      expect(stage.droppedFrames).toBeLessThan((counts.inferred + counts.skipped) / 4);
    } finally {
      await rig.stop();
      await stage.stop();
      await link.stop();
    }
  }, 60_000);
});
