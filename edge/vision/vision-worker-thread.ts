// A vision worker as a thread inside the edge (one box, no shared-subscription broker): the same
// VisionWorkerCore a broker worker runs, fed frames and sending detections back by message passing.
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import type { FrameDetections } from '../../shared/schemas/frame-detections.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { VisionConfig } from './vision-config.ts';
import { VisionWorkerCore, type VisionWorkerStats } from './vision-worker-core.ts';

export interface VisionThreadData {
  store: StoreConfig;
  config: VisionConfig;
  worker: string;
  logLevel: string;
}

export type ToVisionThread = { kind: 'frame'; camera: string; payload: Uint8Array } | { kind: 'stop' };
export type FromVisionThread =
  | { kind: 'ready' }
  | { kind: 'detections'; message: FrameDetections }
  | { kind: 'stopped'; stats: VisionWorkerStats };

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('vision-worker-thread.ts runs as a worker thread only');
  const data = workerData as VisionThreadData;
  const send = (m: FromVisionThread) => port.postMessage(m);
  const core = new VisionWorkerCore({
    store: data.store,
    config: data.config,
    worker: data.worker,
    logger: pino({ level: data.logLevel }).child({ component: 'vision-thread', worker: data.worker }),
    emit: (message) => send({ kind: 'detections', message }),
  });
  await core.start();
  port.on('message', (m: ToVisionThread) => {
    if (m.kind === 'frame')
      core.ingest(Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.length), m.camera);
    else
      void core.stop().then(() => {
        send({ kind: 'stopped', stats: core.stats });
        port.close();
      });
  });
  send({ kind: 'ready' });
}

await main();
