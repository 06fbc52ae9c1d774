// Runs a recording through the real path (MQTT broker → edge MQTT client → shelf stage) and scores the
// shelf events the edge publishes against the recording's ground truth.
import { exportSPKI, generateKeyPair } from 'jose';
import pino from 'pino';
import { Edge } from '../../edge/edge-app.ts';
import { startEmbeddedBroker } from '../../shared/broker/embedded-broker.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { loadRecording } from './autocheckout-recording.ts';
import { replayRecording } from './replay-recording.ts';
import { type RecordingScore, scoreRecording } from './score-recording.ts';

export interface RecordingEvaluation {
  name: string;
  plates: number;
  batches: number;
  durationS: number;
  score: RecordingScore;
  events: ShelfEvent[];
  wallMs: number;
}

export async function evaluateRecording(
  dir: string,
  options: { mqttUrl?: string; speed?: number; onProgress?: (line: string) => void } = {},
): Promise<RecordingEvaluation> {
  const recording = loadRecording(dir);
  const broker = options.mqttUrl === undefined ? await startEmbeddedBroker() : undefined;
  const mqttUrl = options.mqttUrl ?? broker?.url ?? '';
  // the shelf path needs no cloud; the gate needs some key, so a throwaway one
  const { publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const edge = new Edge({
    store: recording.store,
    mqttUrl,
    cloudUrl: 'http://127.0.0.1:9',
    storeCredential: 'recording-evaluation',
    dbPath: ':memory:',
    entryTokenPublicKeyPem: await exportSPKI(publicKey),
    logger: pino({ level: 'silent' }),
  });
  const events: ShelfEvent[] = [];
  edge.onEvent((event) => {
    if ('lanes' in event) events.push(event);
  });
  try {
    await edge.start();
    const { wallMs } = await replayRecording(recording, {
      mqttUrl,
      speed: options.speed ?? 8,
      onProgress: (sent, total) => options.onProgress?.(`replayed ${sent}/${total} batches`),
    });
    const deadline = Date.now() + 10_000;
    while (!edge.shelvesSettledThrough(recording.endTs - 1000) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    return {
      name: recording.name,
      plates: recording.plates,
      batches: recording.batches.length,
      durationS: (recording.endTs - recording.startTs) / 1000,
      score: scoreRecording(recording.truth, events),
      events,
      wallMs,
    };
  } finally {
    await edge.stop();
    await broker?.stop();
  }
}
