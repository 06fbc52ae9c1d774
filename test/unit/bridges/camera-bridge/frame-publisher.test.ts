// A broker that stops reading (a slow consumer): the publisher keeps one frame in the socket and at most its
// bound waiting, dropping the oldest and counting them, instead of buffering every frame in memory.
import { createServer, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FramePublisher } from '../../../../bridges/camera-bridge/frame-publisher.ts';
import { waitFor } from '../../../support/services.ts';

const sockets: Socket[] = [];
// answers CONNECT with CONNACK (accepted), then never reads again
const stalledBroker = createServer((socket) => {
  sockets.push(socket);
  socket.once('data', () => {
    socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00]));
    socket.pause();
  });
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => stalledBroker.listen(0, '127.0.0.1', resolve));
  const address = stalledBroker.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => stalledBroker.close(resolve));
});

describe('FramePublisher', () => {
  it('drops the oldest frames when the broker does not keep up, and counts them', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      keepalive: 0,
    });
    const publisher = new FramePublisher(client, 'walkout/v1/s/camera/CAM1/frame', 2);
    const frame = Buffer.alloc(256 * 1024, 1);
    const sent = 200; // 50 MB: far beyond what the sockets buffer
    for (let i = 0; i < sent; i++) {
      publisher.send(frame);
      expect(publisher.queued).toBeLessThanOrEqual(2);
      await new Promise((r) => setImmediate(r));
    }
    await waitFor('the socket full', () => (publisher.stats.dropped > 0 ? true : undefined));
    const { published, dropped } = publisher.stats;
    // everything is accounted for: written to the socket, dropped, one being written, the rest waiting
    expect(published + dropped + 1 + publisher.queued).toBe(sent);
    expect(dropped).toBeGreaterThan(sent / 2);
    publisher.stop();
    client.end(true);
  });

  it('counts frames it cannot send while the broker connection is down', async () => {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    await client.endAsync(true);
    const publisher = new FramePublisher(client, 't', 2);
    publisher.send(Buffer.alloc(10));
    expect(publisher.stats).toEqual({ published: 0, dropped: 0, unsent: 1 });
  });
});
