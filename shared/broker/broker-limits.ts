// Message size and queue limits of the store's broker and of the edge's boundary, in one place: the edge's
// caps sit below the broker's so an oversized message that gets through is still dropped and counted.

export const BROKER_LIMITS = {
  /**
   * Largest message the broker takes (bytes). A 640×480 ceiling-camera JPEG is 20–60 KB and a 1920×1080 one
   * at quality 90 about 500 KB: 2 MiB leaves room for any camera the store config allows.
   */
  maxMessageBytes: 2 * 1024 * 1024,
  /** QoS 1 messages in flight per client. */
  maxInflightMessages: 20,
  /**
   * QoS 1 messages queued per client beyond those in flight. After a broker restart every shelf controller
   * replays what it stored and forwards (up to 3,000 batches, 10 minutes: simulators/devices/batch-backlog.ts),
   * all at once and faster than a busy edge reads, so the edge's queue must hold them: at 1,000 Mosquitto
   * dropped the edge's batches after a 30 s outage on a loaded 2-core machine ("Outgoing messages are being
   * dropped for client edge"; picks lost in `npm run faults -- --case broker-outage-30s`). The bytes bound
   * below is the one that binds; camera frames are QoS 0 and never queued.
   */
  maxQueuedMessages: 100_000,
  /** Bytes queued per client: a 20-shelf store's full 10-minute backlog (~60,000 batches of ~2 KB) fits. */
  maxQueuedBytes: 256 * 1024 * 1024,
} as const;

export const EDGE_PAYLOAD_LIMITS = {
  /**
   * Camera frame the edge decodes (bytes): a 1920×1080 JPEG at quality 90 is ~500 KB; anything above 1 MiB is
   * not a frame from a store camera and is dropped before it is decoded.
   */
  maxFrameBytes: 1024 * 1024,
  /**
   * JSON payload the edge parses (bytes). The largest real one is a load-cell batch: 40 cells × 12 samples is
   * ~5 KB; 256 cells × 60 samples (a 1 Hz controller) ~150 KB. Checked before JSON.parse.
   */
  maxJsonBytes: 256 * 1024,
} as const;
