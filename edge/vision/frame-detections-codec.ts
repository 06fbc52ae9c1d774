// One frame's floor detections as the FrameDetections message a vision worker publishes, and back into the
// tracker's FloorDetection. Embeddings travel as base64 float32 little-endian: exact, and a quarter of the
// size of the same numbers as JSON text. Pure.
import type { FrameDetections } from '../../shared/schemas/frame-detections.ts';
import type { FloorDetection } from '../tracking/camera-fusion.ts';
import type { FrameResult } from './frame-pipeline.ts';

export function toFrameDetections(result: FrameResult, worker: string): FrameDetections {
  const { frame, detections, inferred } = result;
  return {
    v: 1,
    camera: frame.camera,
    seq: frame.seq ?? 0,
    captureTs: frame.captureTs,
    worker,
    inferred,
    people: detections.map((d) => ({
      x: d.x,
      y: d.y,
      score: Math.min(1, Math.max(0, d.score)),
      ...(d.embedding === undefined ? {} : { embedding: encodeEmbedding(d.embedding) }),
      hands: d.hands.map((h) => ({ ...h })),
    })),
  };
}

export class EmbeddingDecodeError extends Error {
  readonly code = 'BAD_EMBEDDING';
}

/** The tracker's detections from a message; throws EmbeddingDecodeError on an embedding that is not float32s. */
export function fromFrameDetections(message: FrameDetections): FloorDetection[] {
  return message.people.map((p) => ({
    camera: message.camera,
    x: p.x,
    y: p.y,
    score: p.score,
    embedding: p.embedding === undefined ? undefined : decodeEmbedding(p.embedding),
    hands: p.hands.map((h) => ({ ...h })),
  }));
}

export function encodeEmbedding(embedding: Float32Array): string {
  const bytes = Buffer.alloc(embedding.length * 4);
  for (let i = 0; i < embedding.length; i++) bytes.writeFloatLE(embedding[i] as number, i * 4);
  return bytes.toString('base64');
}

export function decodeEmbedding(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0 || bytes.length % 4 !== 0)
    throw new EmbeddingDecodeError(`embedding of ${bytes.length} bytes is not float32 values`);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}
