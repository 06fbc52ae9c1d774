import { describe, expect, it } from 'vitest';
import { loadVisionConfig } from '../../../../edge/vision/vision-config.ts';

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
