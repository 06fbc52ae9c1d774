// The ffmpeg command line that turns one camera's video source (RTSP, an HTTP MJPEG stream or a video file)
// into JPEGs on stdout at the camera's configured resolution and frame rate. Pure; ffmpeg-source.ts runs it.
import { spawnSync } from 'node:child_process';

export type SourceKind = 'rtsp' | 'http' | 'file';

export interface FfmpegSource {
  url: string;
  fps: number;
  width: number;
  height: number;
  /**
   * RTSP only: wait for the camera to push its stream to this address (RTSP ANNOUNCE/RECORD, as encoders and
   * some cameras do) instead of pulling it from the camera.
   */
  listen?: boolean;
  jpegQuality: number;
}

export function sourceKind(url: string): SourceKind {
  if (/^rtsps?:\/\//i.test(url)) return 'rtsp';
  if (/^https?:\/\//i.test(url)) return 'http';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url))
    throw new RangeError(`unsupported source ${url}: use rtsp://, http(s):// (MJPEG) or a video file path`);
  return 'file';
}

/** ffmpeg's input options for the source (timeouts in µs, as ffmpeg counts them). */
function inputArgs(source: FfmpegSource): string[] {
  switch (sourceKind(source.url)) {
    case 'rtsp':
      // TCP: a camera's UDP stream loses packets on a busy LAN and ffmpeg then emits grey smeared frames
      return source.listen === true
        ? ['-rtsp_flags', 'listen', '-i', source.url]
        : ['-rtsp_transport', 'tcp', '-timeout', '5000000', '-i', source.url];
    case 'http':
      // an MJPEG stream carries no timestamps: ffmpeg would number its pictures as if they came at 25 fps, and
      // the fps filter would then pass a camera sending 5 a second at only one a second — stamp each picture
      // with the time it arrived instead
      return ['-rw_timeout', '5000000', '-use_wallclock_as_timestamps', '1', '-i', source.url];
    case 'file':
      // a recording plays in real time, over and over, as a camera would show it
      return ['-re', '-stream_loop', '-1', '-i', source.url];
  }
}

export function ffmpegArgs(source: FfmpegSource): string[] {
  const { fps, width, height, jpegQuality } = source;
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    // the newest picture matters, not a smooth replay: no input buffering delay, and a second of stream (a key
    // frame for a camera sending one a second) to learn its format, not ffmpeg's default 5 s
    '-fflags',
    'nobuffer',
    '-analyzeduration',
    '1000000',
    '-probesize',
    '1000000',
    ...inputArgs(source),
    '-an',
    '-vf',
    `fps=${fps},scale=${width}:${height}`,
    '-c:v',
    'mjpeg',
    '-pix_fmt',
    'yuvj420p',
    '-q:v',
    String(jpegQuality),
    '-f',
    'image2pipe',
    'pipe:1',
  ];
}

export const FFMPEG_BINARY = process.env.FFMPEG ?? 'ffmpeg';

export class FfmpegMissingError extends Error {
  readonly code = 'FFMPEG_MISSING';
}

/** Checks ffmpeg runs; the error says how to install it. */
export function assertFfmpegInstalled(binary = FFMPEG_BINARY): void {
  const run = spawnSync(binary, ['-hide_banner', '-version'], { encoding: 'utf8' });
  if (run.error !== undefined || run.status !== 0)
    throw new FfmpegMissingError(
      `ffmpeg not found (${binary}): the camera bridge decodes video with it — install it with \`apt-get install -y ffmpeg\` (Debian/Ubuntu) or set FFMPEG to its path`,
    );
}
