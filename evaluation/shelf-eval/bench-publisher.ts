// Child process of the end-to-end shelf benchmark: hosts the embedded broker and publishes pre-generated
// shelf batches as the controllers would (as fast as possible, or paced at real time), so the edge's own
// process does nothing but be the edge. Talks to its parent over the fork IPC channel.
import mqtt from 'mqtt';
import { startEmbeddedBroker } from '../../shared/broker/embedded-broker.ts';
import { topics } from '../../shared/topics.ts';
import { generateBenchTraffic } from './bench-data.ts';

export type PublisherCommand = { phase: 'max' | 'realtime'; from: number; to: number };
export type PublisherReport =
  | {
      kind: 'ready';
      url: string;
      samplesPerBatch: number;
      periodMs: number;
      /** by batch index: its shelf controller and first sample's capture time */
      devices: string[];
      t0s: number[];
    }
  | { kind: 'done'; phase: string; firstWall: number; lastWall: number; wall: number[] };

const send = (report: PublisherReport) => process.send?.(report);
const wallNow = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const [shelves, lanes, seconds] = process.argv.slice(2).map(Number);
  const traffic = generateBenchTraffic(shelves ?? 200, lanes ?? 10, seconds ?? 40);
  const payloads = traffic.batches.map((b) => ({
    topic: topics.shelfWeights(traffic.store.config.storeId, b.device),
    body: JSON.stringify(b),
    lastTs: b.t0 + ((b.cells[0]?.grams.length ?? 1) - 1) * b.periodMs,
  }));
  const broker = await startEmbeddedBroker();
  const client = await mqtt.connectAsync(broker.url, {
    protocolVersion: 4,
    clientId: `bench-pub-${process.pid}`,
  });
  process.on('message', async (command: PublisherCommand | 'stop') => {
    if (command === 'stop') {
      await client.endAsync();
      await broker.stop();
      process.exit(0);
    }
    const wall: number[] = [];
    const firstWall = wallNow();
    const originTs = traffic.batches[command.from]?.t0 ?? 0;
    for (let i = command.from; i < command.to; i++) {
      const p = payloads[i];
      if (p === undefined) break;
      if (command.phase === 'realtime') {
        const due = firstWall + (p.lastTs - originTs);
        const wait = due - wallNow();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
      client.publish(p.topic, p.body, { qos: 0 });
      wall.push(wallNow());
      // let the socket drain now and then so memory stays bounded at full speed
      if (command.phase === 'max' && i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    send({ kind: 'done', phase: command.phase, firstWall, lastWall: wallNow(), wall });
  });
  send({
    kind: 'ready',
    url: broker.url,
    samplesPerBatch: traffic.samples / Math.max(1, traffic.batches.length),
    periodMs: traffic.batches[0]?.periodMs ?? 1000 / 60,
    devices: traffic.batches.map((b) => b.device),
    t0s: traffic.batches.map((b) => b.t0),
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
