// Replays a recording's shelf batches over MQTT exactly as the shelf controllers sent them, paced by
// their capture times (optionally faster than real time), with progress reports.
import mqtt from 'mqtt';
import { topics } from '../../shared/topics.ts';
import type { Recording } from './autocheckout-recording.ts';

export interface ReplayOptions {
  mqttUrl: string;
  /** Recording seconds per wall second (default 1: real time). */
  speed?: number;
  onProgress?: (sent: number, total: number) => void;
}

export async function replayRecording(
  recording: Recording,
  options: ReplayOptions,
): Promise<{ sent: number; wallMs: number }> {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
  const client = await mqtt.connectAsync(options.mqttUrl, {
    protocolVersion: 4,
    clientId: `walkout-replay-${process.pid}-${Date.now()}`,
  });
  const wallStart = Date.now();
  const storeId = recording.store.storeId;
  let sent = 0;
  try {
    for (const { shelf, batch } of recording.batches) {
      const dueWall = wallStart + (batch.t0 - recording.startTs) / speed;
      const wait = dueWall - Date.now();
      if (wait > 2) await new Promise((r) => setTimeout(r, wait));
      await client.publishAsync(topics.shelfWeights(storeId, shelf), JSON.stringify(batch), { qos: 0 });
      sent++;
      if (sent % 500 === 0) options.onProgress?.(sent, recording.batches.length);
    }
    options.onProgress?.(sent, recording.batches.length);
  } finally {
    await client.endAsync();
  }
  return { sent, wallMs: Date.now() - wallStart };
}
