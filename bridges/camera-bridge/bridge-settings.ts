// The camera bridge's tuned numbers, with their units and why they are what they are.

export interface BridgeSettings {
  /** First wait before reopening a lost source (ms); doubles on each failure up to `maxBackoffMs`. */
  initialBackoffMs: number;
  /** Longest wait between two attempts (ms): a camera back from a reboot is picked up within this. */
  maxBackoffMs: number;
  /**
   * A source that delivered no frame for this long is lost (ms), whatever ffmpeg says: a stalled RTSP session or
   * an HTTP stream that stops sending without closing would otherwise hang for ffmpeg's own timeouts.
   */
  stallMs: number;
  /** Frames waiting to be published per camera; beyond it the oldest is dropped (counted). */
  maxQueuedFrames: number;
  /** JPEG quality ffmpeg encodes with (its -q:v, 2 best … 31 worst): 5 keeps a 640×480 frame at 30–60 KB. */
  jpegQuality: number;
}

export const DEFAULT_BRIDGE_SETTINGS: BridgeSettings = {
  // 0.5 s, 1, 2, 4, 8 s: a flapping stream is retried fast, a dead camera costs one ffmpeg start every 8 s
  initialBackoffMs: 500,
  maxBackoffMs: 8000,
  // a camera at 1 fps (the slowest the tracker follows) sends one frame a second: 5 s is five missed frames
  stallMs: 5000,
  // one frame being written to the broker and two waiting: at 10 fps, 0.3 s of lag at most
  maxQueuedFrames: 2,
  jpegQuality: 5,
};

/** The wait before attempt `failures + 1` (ms). */
export function backoffMs(settings: BridgeSettings, failures: number): number {
  return Math.min(settings.maxBackoffMs, settings.initialBackoffMs * 2 ** Math.max(0, failures - 1));
}
