import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VISION,
  loadVisionConfig,
  withModelsFromEnv,
} from '../../../../edge/vision/vision-config.ts';

describe('vision config: a YOLO model is used in the format it declares', () => {
  it('needs the declared format with VISION_DETECTOR=yolo', () => {
    expect(() =>
      loadVisionConfig({ VISION: 'on', VISION_DETECTOR: 'yolo', VISION_DETECTOR_PATH: 'm.onnx' }),
    ).toThrow(
      'VISION_DETECTOR=yolo needs VISION_YOLO_FORMAT: the format the model was exported in (yolo-v8, yolo-end2end, yolo-pose',
    );
  });

  it('reads the format, classes, keypoints and floor point', () => {
    const config = loadVisionConfig({
      VISION: 'on',
      VISION_DETECTOR: 'yolo',
      VISION_DETECTOR_PATH: 'yolo11n-pose.onnx',
      VISION_YOLO_FORMAT: 'yolo-pose',
      VISION_YOLO_KEYPOINTS: '17',
      VISION_YOLO_FLOOR_POINT: 'box-bottom',
    });
    expect(config).toMatchObject({
      detector: 'yolo',
      yoloFormat: 'yolo-pose',
      yoloClasses: 80,
      yoloKeypoints: 17,
      yoloFloorPoint: 'box-bottom',
    });
  });

  it('refuses an unknown format or floor point with the field', () => {
    const env = { VISION: 'on', VISION_DETECTOR: 'yolo', VISION_DETECTOR_PATH: 'm.onnx' };
    expect(() => loadVisionConfig({ ...env, VISION_YOLO_FORMAT: 'yolov5' })).toThrow(/\/yoloFormat/);
    expect(() =>
      loadVisionConfig({ ...env, VISION_YOLO_FORMAT: 'yolo-v8', VISION_YOLO_FLOOR_POINT: 'feet' }),
    ).toThrow(/\/yoloFloorPoint/);
  });
});

describe('vision config for an evaluation: the shipped settings with the model files named', () => {
  it('is the shipped configuration when nothing is named', () => {
    expect(withModelsFromEnv({})).toEqual(DEFAULT_VISION);
  });

  it('takes the detector, embedder and arm-owner files named, and nothing else of the environment', () => {
    const config = withModelsFromEnv({
      VISION_DETECTOR_PATH: '/tmp/m/person-heatmap.onnx',
      VISION_EMBEDDER_PATH: '/tmp/m/appearance-embed.onnx',
      VISION_ARM_OWNER_PATH: '',
      VISION_MOTION_GATE: 'off',
      VISION_WORKERS: 'broker',
    });
    expect(config).toEqual({
      ...DEFAULT_VISION,
      detectorPath: '/tmp/m/person-heatmap.onnx',
      embedderPath: '/tmp/m/appearance-embed.onnx',
      armOwnerPath: '',
    });
  });

  it('refuses an empty detector path with the field', () => {
    expect(() => withModelsFromEnv({ VISION_DETECTOR_PATH: '' })).toThrow(/\/detectorPath/);
  });
});
