import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_BRIDGE_SETTINGS } from '../../../../bridges/camera-bridge/bridge-settings.ts';
import {
  assertFfmpegInstalled,
  ffmpegArgs,
  sourceKind,
} from '../../../../bridges/camera-bridge/ffmpeg-command.ts';

const base = { fps: 10, width: 640, height: 480, jpegQuality: 5 };

describe('ffmpeg command', () => {
  it('tells sources apart and refuses unknown schemes', () => {
    expect(sourceKind('rtsp://10.0.0.7:554/stream1')).toBe('rtsp');
    expect(sourceKind('RTSPS://cam/x')).toBe('rtsp');
    expect(sourceKind('http://cam/video.mjpeg')).toBe('http');
    expect(sourceKind('recordings/aisle.mp4')).toBe('file');
    expect(() => sourceKind('udp://239.0.0.1:1234')).toThrow(/unsupported source udp:/);
  });

  it('pulls RTSP over TCP, listens when the camera pushes, stamps MJPEG with arrival times, loops a file in real time', () => {
    const pull = ffmpegArgs({ ...base, url: 'rtsp://cam/s' });
    expect(pull.join(' ')).toContain('-rtsp_transport tcp -timeout 5000000 -i rtsp://cam/s');
    const listen = ffmpegArgs({ ...base, url: 'rtsp://0.0.0.0:8554/c', listen: true });
    expect(listen.join(' ')).toContain('-rtsp_flags listen -i rtsp://0.0.0.0:8554/c');
    const mjpeg = ffmpegArgs({ ...base, url: 'http://cam/x.mjpeg' });
    expect(mjpeg.join(' ')).toContain('-use_wallclock_as_timestamps 1 -i http://cam/x.mjpeg');
    const file = ffmpegArgs({ ...base, url: 'a.mp4' });
    expect(file.join(' ')).toContain('-re -stream_loop -1 -i a.mp4');
  });

  it('outputs JPEGs on stdout at the camera size and rate', () => {
    const args = ffmpegArgs({ ...base, url: 'http://cam/x.mjpeg', fps: 4, width: 800, height: 600 });
    expect(args.join(' ')).toContain('-vf fps=4,scale=800:600 -c:v mjpeg');
    expect(args.slice(-3)).toEqual(['-f', 'image2pipe', 'pipe:1']);
  });

  it('says how to install ffmpeg when it is missing', () => {
    expect(() => assertFfmpegInstalled('/nonexistent/ffmpeg')).toThrow(/apt-get install -y ffmpeg/);
  });

  it('backs off 0.5, 1, 2, 4, 8, 8 s', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(DEFAULT_BRIDGE_SETTINGS, n))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
  });
});
