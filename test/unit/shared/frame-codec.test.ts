import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, FRAME_HEADER_BYTES } from '../../../shared/frame-codec.ts';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

describe('frame codec', () => {
  it('round-trips header and JPEG bytes', () => {
    const frame = encodeFrame({ width: 640, height: 480, seq: 7, captureTs: 1_764_000_000_123.5 }, jpeg);
    expect(frame.length).toBe(FRAME_HEADER_BYTES + jpeg.length);
    expect(decodeFrame(frame)).toEqual({
      width: 640,
      height: 480,
      seq: 7,
      captureTs: 1_764_000_000_123.5,
      jpeg,
    });
  });

  it('rejects truncated, foreign and non-JPEG payloads with a reason', () => {
    expect(() => decodeFrame(Buffer.alloc(5))).toThrowError(/shorter/);
    expect(() => decodeFrame(Buffer.alloc(40))).toThrowError(/magic/);
    const notJpeg = encodeFrame({ width: 1, height: 1, seq: 0, captureTs: 0 }, Buffer.from('hello'));
    expect(() => decodeFrame(notJpeg)).toThrowError(/not a JPEG/);
  });

  it('never throws anything but a FrameDecodeError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeFrame(Buffer.from(bytes));
        } catch (err) {
          return (err as { code?: string }).code === 'INVALID_FRAME';
        }
        return true;
      }),
    );
  });
});
