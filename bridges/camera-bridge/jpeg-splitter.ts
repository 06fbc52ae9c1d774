// Splits the byte stream ffmpeg writes with `-f image2pipe -c:v mjpeg` (JPEGs back to back, arriving in
// arbitrary chunks) into whole JPEGs, by their SOI (FF D8) and EOI (FF D9) markers. Pure and bounded: a frame
// growing past `maxFrameBytes` is dropped and counted, bytes before an SOI are skipped.
//
// Why markers suffice: inside a JPEG's entropy-coded data an FF byte is always followed by 00 (stuffing) or a
// restart marker (D0–D7), so FF D9 appears only as the end of the image; ffmpeg's encoder writes no
// embedded thumbnail that could carry an early EOI.

export interface JpegSplitterStats {
  frames: number;
  /** Frames dropped because they grew past the bound. */
  oversized: number;
  /** Bytes skipped outside any frame (garbage before an SOI). */
  skippedBytes: number;
}

export class JpegSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Inside a frame: scanning for its EOI; otherwise scanning for an SOI. */
  private inFrame = false;
  /** The last byte seen was FF (a marker may straddle two chunks). */
  private lastWasFF = false;
  /** Skipping the rest of an oversized frame until its EOI. */
  private discarding = false;
  readonly stats: JpegSplitterStats = { frames: 0, oversized: 0, skippedBytes: 0 };

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds the next chunk; returns the JPEGs it completed, oldest first. */
  push(chunk: Buffer): Buffer[] {
    const done: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      const marker = this.lastWasFF ? byte : -1;
      this.lastWasFF = byte === 0xff;
      if (!this.inFrame) {
        // an FF left over from the previous chunk that did not start a frame was garbage too
        if (i === 0 && marker !== -1 && marker !== 0xd8) this.stats.skippedBytes++;
        if (marker === 0xd8) {
          this.stats.skippedBytes += Math.max(0, i - 1 - start);
          this.inFrame = true;
          this.discarding = false;
          // the FF of the SOI may have been the last byte of the previous chunk
          start = i - 1;
          if (start < 0) {
            this.keep(Buffer.from([0xff]));
            start = 0;
          }
        }
        continue;
      }
      if (marker !== 0xd9) continue;
      this.keep(chunk.subarray(start, i + 1));
      const frame = this.take();
      if (frame !== undefined) done.push(frame);
      this.inFrame = false;
      this.lastWasFF = false;
      start = i + 1;
    }
    if (this.inFrame) this.keep(chunk.subarray(start));
    else this.stats.skippedBytes += Math.max(0, chunk.length - start - (this.lastWasFF ? 1 : 0));
    return done;
  }

  /** Forgets a partial frame (the source restarted). */
  reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.inFrame = false;
    this.lastWasFF = false;
    this.discarding = false;
  }

  private keep(part: Buffer): void {
    if (this.discarding || part.length === 0) return;
    if (this.buffered + part.length > this.maxFrameBytes) {
      this.stats.oversized++;
      this.discarding = true;
      this.chunks = [];
      this.buffered = 0;
      return;
    }
    // copied: the chunk's memory belongs to the stream and may be reused
    this.chunks.push(Buffer.from(part));
    this.buffered += part.length;
  }

  private take(): Buffer | undefined {
    const frame = this.discarding ? undefined : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    this.discarding = false;
    if (frame !== undefined) this.stats.frames++;
    return frame;
  }
}
