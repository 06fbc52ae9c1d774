// Publishes one camera's frames on its MQTT topic, one at a time: while a frame is still being written to the
// broker (a slow link, a slow broker) newer ones wait in a small queue whose oldest frame is dropped and
// counted when it is full, so a slow consumer costs frames, never memory.
import type { MqttClient } from 'mqtt';

export interface FramePublisherStats {
  published: number;
  /** Dropped from the full queue (oldest first). */
  dropped: number;
  /** Not sent because the broker connection was down (QoS 0 frames are not kept for later). */
  unsent: number;
}

export class FramePublisher {
  private readonly queue: Buffer[] = [];
  private sending = false;
  private stopped = false;
  readonly stats: FramePublisherStats = { published: 0, dropped: 0, unsent: 0 };

  constructor(
    private readonly client: MqttClient,
    private readonly topic: string,
    private readonly maxQueued: number,
  ) {}

  /** Frames waiting now (never more than the bound). */
  get queued(): number {
    return this.queue.length;
  }

  send(frame: Buffer): void {
    if (this.stopped) return;
    if (!this.client.connected) {
      this.stats.unsent++;
      return;
    }
    this.queue.push(frame);
    while (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.stats.dropped++;
    }
    this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private pump(): void {
    if (this.sending) return;
    const frame = this.queue.shift();
    if (frame === undefined) return;
    this.sending = true;
    // QoS 0: mqtt.js calls back once the packet is written out, or after the socket drained when it was full
    this.client.publish(this.topic, frame, { qos: 0 }, (err) => {
      this.sending = false;
      if (err === undefined || err === null) this.stats.published++;
      else this.stats.unsent++;
      if (!this.stopped) this.pump();
    });
  }
}
