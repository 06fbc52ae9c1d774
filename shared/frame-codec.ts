// Camera frames travel as binary MQTT payloads: a fixed 24-byte header, then the JPEG bytes (never base64).
// Header (big-endian): magic "WOF1" | u8 version | u8 flags | u16 width | u16 height | u16 reserved |
// u32 sequence | f64 capture time (ms since the Unix epoch).

export const FRAME_MAGIC = 0x574f4631; // "WOF1"
export const FRAME_HEADER_BYTES = 24;
export const FRAME_VERSION = 1;

export interface FrameHeader {
  width: number;
  height: number;
  seq: number;
  captureTs: number;
}

export interface DecodedFrame extends FrameHeader {
  jpeg: Buffer;
}

export class FrameDecodeError extends Error {
  readonly code = 'INVALID_FRAME';
}

export function encodeFrame(header: FrameHeader, jpeg: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + jpeg.length);
  out.writeUInt32BE(FRAME_MAGIC, 0);
  out.writeUInt8(FRAME_VERSION, 4);
  out.writeUInt8(0, 5);
  out.writeUInt16BE(header.width, 6);
  out.writeUInt16BE(header.height, 8);
  out.writeUInt16BE(0, 10);
  out.writeUInt32BE(header.seq >>> 0, 12);
  out.writeDoubleBE(header.captureTs, 16);
  jpeg.copy(out, FRAME_HEADER_BYTES);
  return out;
}

export function decodeFrame(payload: Buffer): DecodedFrame {
  if (payload.length < FRAME_HEADER_BYTES + 2) throw new FrameDecodeError('frame shorter than its header');
  if (payload.readUInt32BE(0) !== FRAME_MAGIC) throw new FrameDecodeError('bad magic (expected WOF1)');
  const version = payload.readUInt8(4);
  if (version !== FRAME_VERSION) throw new FrameDecodeError(`unsupported frame version ${version}`);
  const width = payload.readUInt16BE(6);
  const height = payload.readUInt16BE(8);
  const captureTs = payload.readDoubleBE(16);
  if (width === 0 || height === 0) throw new FrameDecodeError('zero frame size');
  if (!Number.isFinite(captureTs) || captureTs < 0) throw new FrameDecodeError('bad capture time');
  const jpeg = payload.subarray(FRAME_HEADER_BYTES);
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8)
    throw new FrameDecodeError('payload is not a JPEG (no SOI marker)');
  return { width, height, seq: payload.readUInt32BE(12), captureTs, jpeg };
}
