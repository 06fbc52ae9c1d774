// Runs an Ultralytics YOLO ONNX export in place of the shipped heatmap model: letterboxed input like
// Ultralytics prepares it, output decoded by yolo-decode.ts in the format the config declares. Opening the
// model runs it once on a blank image and refuses it when its output is not the declared format's shape, so a
// wrong declaration stops the edge at start with the reason instead of mis-reading every frame.
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { type InputSize, writeNchw } from './frame-prep.ts';
import { openSession, type SessionTuning } from './onnx-models.ts';
import {
  checkYoloOutput,
  decodeYolo,
  letterboxFor,
  type YoloLayout,
  type YoloPerson,
} from './yolo-decode.ts';

export interface YoloOptions {
  /** Square input the model was exported with (640 by default in Ultralytics). */
  input: InputSize;
  layout: YoloLayout;
  classId: number;
  scoreThreshold: number;
  iouThreshold: number;
}

export const DEFAULT_YOLO: YoloOptions = {
  input: { width: 640, height: 640 },
  layout: { format: 'yolo-v8', classes: 80, keypoints: 17 },
  classId: 0,
  scoreThreshold: 0.35,
  iouThreshold: 0.5,
};

export class YoloDetector {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly options: YoloOptions,
  ) {}

  /** Opens the model and checks its output against the declared layout (YoloFormatError when it differs). */
  static async open(path: string, tuning: SessionTuning, options: Partial<YoloOptions> = {}) {
    const detector = new YoloDetector(await openSession(path, tuning), { ...DEFAULT_YOLO, ...options });
    try {
      const { width, height } = detector.options.input;
      const out = await detector.infer(new Float32Array(3 * width * height));
      checkYoloOutput(out.dims, detector.options.layout);
      out.dispose();
    } catch (err) {
      await detector.release();
      throw err;
    }
    return detector;
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

  /** People (boxes, and keypoints from a pose model) in frame pixels for a `frameW`×`frameH` frame. */
  async detect(rgb: Uint8Array, frameW: number, frameH: number): Promise<YoloPerson[]> {
    const { input, layout, classId, scoreThreshold, iouThreshold } = this.options;
    // a tensor per call: onnxruntime reads it while another frame may be prepared
    const tensor = new Float32Array(3 * input.width * input.height);
    writeNchw(rgb, input, tensor, 0);
    const result = await this.infer(tensor);
    try {
      return decodeYolo(result.data as Float32Array, result.dims, {
        layout,
        classId,
        scoreThreshold,
        iouThreshold,
        letterbox: letterboxFor(frameW, frameH, input.width, input.height),
      });
    } finally {
      result.dispose();
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private async infer(tensor: Float32Array): Promise<ort.Tensor> {
    const { input } = this.options;
    const inputName = this.session.inputNames[0] ?? 'images';
    const outputName = this.session.outputNames[0] ?? 'output0';
    const out = await this.session.run({
      [inputName]: new ort.Tensor('float32', tensor, [1, 3, input.height, input.width]),
    });
    const result = out[outputName];
    if (result === undefined) throw new Error(`YOLO model has no output ${outputName}`);
    return result;
  }
}
