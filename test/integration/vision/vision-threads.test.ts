// One box without a shared-subscription broker (the embedded aedes of the demo): the same vision worker code
// runs in worker_threads of the edge (`workers: threads`, each camera's frames to one of 2 threads). Frames over
// MQTT in, a tracked shopper out, and the threads keep up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeMetrics } from '../../../edge/edge-metrics.ts';
import { MqttLink } from '../../../edge/mqtt/mqtt-link.ts';
import { DEFAULT_VISION } from '../../../edge/vision/vision-config.ts';
import { VisionStage } from '../../../edge/vision/vision-stage.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../../shared/broker/embedded-broker.ts';
import { systemClock } from '../../../shared/clock.ts';
import type { TrackMessage } from '../../../shared/schemas/track.ts';
import { topicFilters } from '../../../shared/topics.ts';
import { waitFor } from '../../support/services.ts';
import {
  visionLogger as logger,
  playWalkIn,
  visionStore as store,
  type WalkIn,
  walkInCameras,
} from '../../support/vision-scene.ts';

let broker: EmbeddedBroker;

beforeAll(async () => {
  broker = await startEmbeddedBroker();
});
afterAll(async () => {
  await broker?.stop();
});

describe('vision workers in threads', () => {
  it('track a shopper from detections the threads send back', async () => {
    const walkIn: WalkIn = { name: 'vision-threads-it', shopper: 'alice', seed: 5, exitAtS: 30 };
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
    const rig = walkInCameras(broker.url, walkIn);
    try {
      await stage.start();
      await link.start();
      const sessionId = await playWalkIn(rig, stage, walkIn);
      const bound = await waitFor(
        'a confirmed track bound to the session',
        () => tracks.find((t) => t.state === 'confirmed' && t.sessionId === sessionId),
        20_000,
      );
      await waitFor(
        'the track a few metres further on',
        () => tracks.find((t) => t.id === bound.id && Math.hypot(t.x - bound.x, t.y - bound.y) > 2),
        20_000,
      );
      const counts = stage.frameCounts;
      expect(counts.inferred + counts.skipped).toBeGreaterThan(20);
      // the threads kept up with the sample store's cameras (21) at 5 fps: few frames went uninferred
      expect(stage.droppedFrames).toBeLessThan((counts.inferred + counts.skipped) / 4);
    } finally {
      await rig.stop();
      await stage.stop();
      await link.stop();
    }
  }, 60_000);
});
