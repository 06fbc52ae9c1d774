// The edge's MQTT link over the secured embedded broker: a camera (with its own login) whose frame is above
// the edge's size cap has it dropped before decoding and counted; a frame under the cap goes through.
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeMetrics } from '../../../edge/edge-metrics.ts';
import { MqttLink } from '../../../edge/mqtt/mqtt-link.ts';
import type { BrokerCredentials } from '../../../shared/broker/broker-credentials.ts';
import { loginFor } from '../../../shared/broker/broker-credentials.ts';
import { EDGE_PAYLOAD_LIMITS } from '../../../shared/broker/broker-limits.ts';
import { type EmbeddedBroker, startSecuredBroker } from '../../../shared/broker/embedded-broker.ts';
import { encodeFrame } from '../../../shared/frame-codec.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { topicFilters, topics } from '../../../shared/topics.ts';
import { waitFor } from '../../support/services.ts';

const store = loadStoreConfig('stores/sample-store.json');
let broker: EmbeddedBroker & { credentials: BrokerCredentials };
const metrics = createEdgeMetrics();
let link: MqttLink;
const frames: number[] = [];

beforeAll(async () => {
  broker = await startSecuredBroker(store);
  link = new MqttLink({
    url: broker.url,
    storeId: store.storeId,
    deviceId: 'edge',
    auth: { login: loginFor(broker.credentials, 'edge') },
    logger: pino({ level: 'silent' }),
    metrics,
  });
  link.subscribe('cameraFrame', topicFilters.cameraFrame(store.storeId), 0, (frame) =>
    frames.push(frame.length),
  );
  await link.start();
});
afterAll(async () => {
  await link?.stop();
  await broker?.stop();
});

describe('frame size cap', () => {
  it('drops and counts a frame above the cap, passes one below it', async () => {
    const camera = await mqtt.connectAsync(broker.url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      ...loginFor(broker.credentials, 'CAM1'),
    });
    const jpeg = (bytes: number) => Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(bytes - 2, 7)]);
    const frame = (bytes: number, seq: number) =>
      encodeFrame({ width: 640, height: 480, seq, captureTs: Date.now() }, jpeg(bytes));
    const topic = topics.cameraFrame(store.storeId, 'CAM1');
    await camera.publishAsync(topic, frame(EDGE_PAYLOAD_LIMITS.maxFrameBytes + 512 * 1024, 1), { qos: 1 });
    await camera.publishAsync(topic, frame(40_000, 2), { qos: 1 });
    await waitFor('both frames taken', () => (link.receivedCount('cameraFrame') >= 2 ? true : undefined));
    const rejected = (await metrics.messagesRejected.get()).values.find(
      (v) => v.labels.kind === 'cameraFrame' && v.labels.reason === 'too-large',
    );
    expect(rejected?.value).toBe(1);
    expect(frames).toEqual([40_024]);
    await camera.endAsync();
  });
});
