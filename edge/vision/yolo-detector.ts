// Runs a standard Ultralytics YOLO (v8/v11) ONNX person detector in place of the shipped heatmap model:
// letterboxed input like Ultralytics prepares it, output decoded by yolo-decode.ts. Boxes' centres become
// the people's positions (the cameras look straight down); YOLO gives no hands.
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { type InputSize, writeNchw } from './frame-prep.ts';
import { openSession, type SessionTuning } from './onnx-models.ts';
import { type Box, decodeYolo, letterboxFor } from './yolo-decode.ts';

export interface YoloOptions {
  /** Square input the model was exported with (640 by default in Ultralytics). */
  input: InputSize;
  classId: number;
  scoreThreshold: number;
  iouThreshold: number;
}

export const DEFAULT_YOLO: YoloOptions = {
  input: { width: 640, height: 640 },
  classId: 0,
  scoreThreshold: 0.35,
  iouThreshold: 0.5,
};

export class YoloDetector {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly options: YoloOptions,
  ) {}

  static async open(path: string, tuning: SessionTuning, options: Partial<YoloOptions> = {}) {
    return new YoloDetector(await openSession(path, tuning), { ...DEFAULT_YOLO, ...options });
  }

  /** Letterboxes a JPEG to the model input (grey 114 padding) as HWC RGB bytes. */
  async prepare(jpeg: Buffer): Promise<Buffer> {
    const { width, height } = this.options.input;
    return sharp(jpeg)
      .resize(width, height, { fit: 'contain', background: { r: 114, g: 114, b: 114 } })
      .removeAlpha()
      .raw()
      .toBuffer();
  }

  /** Person boxes in frame pixels for one frame of `frameW`×`frameH` prepared by `prepare`. */
  async detect(rgb: Uint8Array, frameW: number, frameH: number): Promise<Box[]> {
    const { input, classId, scoreThreshold, iouThreshold } = this.options;
    const tensor = new Float32Array(3 * input.width * input.height);
    writeNchw(rgb, input, tensor, 0);
    const inputName = this.session.inputNames[0] ?? 'images';
    const outputName = this.session.outputNames[0] ?? 'output0';
    const out = await this.session.run({
      [inputName]: new ort.Tensor('float32', tensor, [1, 3, input.height, input.width]),
    });
    const result = out[outputName];
    if (result === undefined) throw new Error(`YOLO model has no output ${outputName}`);
    const boxes = decodeYolo(result.data as Float32Array, result.dims, {
      classId,
      scoreThreshold,
      iouThreshold,
      letterbox: letterboxFor(frameW, frameH, input.width, input.height),
    });
    result.dispose();
    return boxes;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
