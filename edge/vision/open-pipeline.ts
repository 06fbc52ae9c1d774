// Opens the vision models a config names (the shipped heatmap detector or a YOLO export, and the embedder)
// and builds the frame pipeline over them: what the edge's in-process vision and every vision worker run.
import type { StoreConfig } from '../../shared/store-config.ts';
import { ArmOwnerModel } from './arm-owner.ts';
import { type Detector, FramePipeline } from './frame-pipeline.ts';
import type { MotionGate } from './motion-gate.ts';
import { AppearanceEmbedder, HeatmapDetector } from './onnx-models.ts';
import type { VisionConfig } from './vision-config.ts';
import { ARM_CROP, ARM_INPUT, DETECTOR_INPUT, EMBED_CROP } from './vision-defaults.ts';
import { YoloDetector } from './yolo-detector.ts';
import { YOLO_PEOPLE_DEFAULTS } from './yolo-people.ts';

export interface OpenedPipeline {
  pipeline: FramePipeline;
  /** Releases the model sessions (after the last step). */
  release(): Promise<void>;
}

export async function openFramePipeline(
  store: StoreConfig,
  config: VisionConfig,
  gate: MotionGate | undefined,
): Promise<OpenedPipeline> {
  const tuning = { intraOpThreads: config.intraOpThreads };
  const releases: Array<() => Promise<void>> = [];
  const release = async () => {
    for (const r of releases.splice(0)) await r();
  };
  try {
    let detector: Detector;
    if (config.detector === 'yolo') {
      const size = { width: config.yoloInput, height: config.yoloInput };
      const model = await YoloDetector.open(config.detectorPath, tuning, {
        input: size,
        layout: { format: config.yoloFormat, classes: config.yoloClasses, keypoints: config.yoloKeypoints },
        classId: config.yoloClass,
      });
      detector = {
        kind: 'yolo',
        model,
        people: { ...YOLO_PEOPLE_DEFAULTS, floorPoint: config.yoloFloorPoint },
      };
      releases.push(() => model.release());
    } else {
      const model = await HeatmapDetector.open(config.detectorPath, DETECTOR_INPUT, tuning);
      releases.push(() => model.release());
      let arm: ArmOwnerModel | undefined;
      if (config.armOwnerPath !== '') {
        const opened = await ArmOwnerModel.open(config.armOwnerPath, ARM_INPUT, ARM_CROP, tuning);
        arm = opened;
        releases.push(() => opened.release());
      }
      detector = { kind: 'heatmap', model, arm };
    }
    let embedder: AppearanceEmbedder | undefined;
    if (config.embedderPath !== '') {
      const model = await AppearanceEmbedder.open(config.embedderPath, EMBED_CROP, tuning);
      embedder = model;
      releases.push(() => model.release());
    }
    const pipeline = new FramePipeline(
      store.cameras,
      detector,
      embedder,
      DETECTOR_INPUT,
      store.shelves,
      gate,
    );
    return { pipeline, release };
  } catch (err) {
    await release();
    throw err;
  }
}
