// Vision stage configuration: which detector (the shipped heatmap model or an Ultralytics YOLO export),
// the embedder, threads, publishing rate and the motion gate. Read from the environment in one place, validated.
import { type Static, Type } from 'typebox';
import { compileValidator } from '../../shared/validator.ts';
import { DETECTION_INTAKE_DEFAULTS } from './detection-intake.ts';
import { MOTION_GATE_DEFAULTS } from './motion-gate.ts';
import { ARM_MODEL, DETECTOR_MODEL, EMBEDDER_MODEL } from './vision-defaults.ts';
import { YOLO_FORMATS } from './yolo-decode.ts';

export const VisionConfigSchema = Type.Object({
  detector: Type.Union([Type.Literal('heatmap'), Type.Literal('yolo')]),
  detectorPath: Type.String({ minLength: 1 }),
  /** YOLO only: square input size and class kept. */
  yoloInput: Type.Integer({ minimum: 32, maximum: 2048 }),
  yoloClass: Type.Integer({ minimum: 0 }),
  /**
   * YOLO only: the output format the model was exported in, declared (never guessed from the output shape,
   * which is checked against it when the model opens): yolo-v8 (v8/v11 detect), yolo-end2end, yolo-pose.
   */
  yoloFormat: Type.Union([Type.Literal('yolo-v8'), Type.Literal('yolo-end2end'), Type.Literal('yolo-pose')]),
  /** YOLO detect: classes of the export (80 for COCO). */
  yoloClasses: Type.Integer({ minimum: 1, maximum: 10_000 }),
  /** YOLO pose: keypoints per person (17 for COCO). */
  yoloKeypoints: Type.Integer({ minimum: 1, maximum: 1000 }),
  /** YOLO: where a person stands in their box when no ankle is seen (box-bottom for angled cameras). */
  yoloFloorPoint: Type.Union([Type.Literal('box-centre'), Type.Literal('box-bottom')]),
  /** Empty: no appearance embedding (tracking on motion only). */
  embedderPath: Type.String(),
  /**
   * Heatmap detector only: the arm-owner model that looks again at each hand to tell whose it is
   * (edge/vision/arm-owner.ts). Empty: the detector's own owner point.
   */
  armOwnerPath: Type.String(),
  intraOpThreads: Type.Integer({ minimum: 1, maximum: 64 }),
  /** Track messages per second at most. */
  publishHz: Type.Number({ exclusiveMinimum: 0, maximum: 60 }),
  /**
   * Where frames are decoded and inferred: `in-process` on the edge's own thread (the default; lockstep runs
   * need it), `threads` in `workerThreads` worker_threads of the edge (one box, any broker), `broker` in vision
   * worker processes on the broker's shared subscription (`npm run vision-worker`; Mosquitto), the edge only
   * tracking their detections. docs/vision.md, "Vision workers".
   */
  workers: Type.Union([Type.Literal('in-process'), Type.Literal('threads'), Type.Literal('broker')]),
  workerThreads: Type.Integer({ minimum: 1, maximum: 32 }),
  /** Worker modes: a camera whose detections stopped this long is reported (ms). */
  stalledAfterMs: Type.Integer({ minimum: 500, maximum: 600_000 }),
  /** Skips the detector on frames where nothing moved since it last found nobody (edge/vision/motion-gate.ts). */
  motionGate: Type.Object({
    enabled: Type.Boolean(),
    blockPx: Type.Integer({ minimum: 1, maximum: 64 }),
    thresholdLevels: Type.Number({ exclusiveMinimum: 0, maximum: 255 }),
    maxLightingChange: Type.Number({ minimum: 0, maximum: 1 }),
    maxSkipMs: Type.Integer({ minimum: 0, maximum: 60_000 }),
    emptyInferencesBeforeSkip: Type.Integer({ minimum: 1, maximum: 100 }),
  }),
});

export type VisionConfig = Static<typeof VisionConfigSchema>;

export const DEFAULT_VISION: VisionConfig = {
  detector: 'heatmap',
  detectorPath: DETECTOR_MODEL,
  yoloInput: 640,
  yoloClass: 0,
  yoloFormat: 'yolo-v8',
  yoloClasses: 80,
  yoloKeypoints: 17,
  yoloFloorPoint: 'box-centre',
  embedderPath: EMBEDDER_MODEL,
  armOwnerPath: ARM_MODEL,
  intraOpThreads: 1,
  publishHz: 5,
  workers: 'in-process',
  workerThreads: 2,
  stalledAfterMs: DETECTION_INTAKE_DEFAULTS.stalledAfterMs,
  motionGate: MOTION_GATE_DEFAULTS,
};

export class VisionConfigError extends Error {
  readonly code = 'INVALID_VISION_CONFIG';
}

const validator = compileValidator(VisionConfigSchema);

/**
 * VISION=on enables the stage; VISION_WORKERS=in-process|threads|broker says where frames are inferred
 * (VISION_WORKER_THREADS=n threads; VISION_STALLED_AFTER_MS); VISION_DETECTOR=yolo with VISION_DETECTOR_PATH=…
 * and VISION_YOLO_FORMAT=… (required: yolo-v8, yolo-end2end or yolo-pose; VISION_YOLO_CLASSES,
 * VISION_YOLO_KEYPOINTS, VISION_YOLO_FLOOR_POINT) uses a YOLO export;
 * VISION_ARM_OWNER_PATH= (empty) leaves whose hand to the detector's own owner point;
 * VISION_MOTION_GATE=off infers every frame, VISION_MOTION_GATE_LEVELS and VISION_MOTION_GATE_MAX_SKIP_MS tune it.
 */
export function loadVisionConfig(env: NodeJS.ProcessEnv): VisionConfig | undefined {
  if (env.VISION === undefined || env.VISION === 'off') return undefined;
  const detector = env.VISION_DETECTOR ?? DEFAULT_VISION.detector;
  if (detector === 'yolo' && env.VISION_YOLO_FORMAT === undefined)
    throw new VisionConfigError(
      `VISION_DETECTOR=yolo needs VISION_YOLO_FORMAT: the format the model was exported in (${YOLO_FORMATS.join(', ')}; docs/vision.md, "Bringing your own model")`,
    );
  const config = {
    detector,
    detectorPath: env.VISION_DETECTOR_PATH ?? (detector === 'yolo' ? '' : DEFAULT_VISION.detectorPath),
    yoloInput: Number(env.VISION_YOLO_INPUT ?? DEFAULT_VISION.yoloInput),
    yoloClass: Number(env.VISION_YOLO_CLASS ?? DEFAULT_VISION.yoloClass),
    yoloFormat: env.VISION_YOLO_FORMAT ?? DEFAULT_VISION.yoloFormat,
    yoloClasses: Number(env.VISION_YOLO_CLASSES ?? DEFAULT_VISION.yoloClasses),
    yoloKeypoints: Number(env.VISION_YOLO_KEYPOINTS ?? DEFAULT_VISION.yoloKeypoints),
    yoloFloorPoint: env.VISION_YOLO_FLOOR_POINT ?? DEFAULT_VISION.yoloFloorPoint,
    embedderPath: env.VISION_EMBEDDER_PATH ?? DEFAULT_VISION.embedderPath,
    armOwnerPath: env.VISION_ARM_OWNER_PATH ?? DEFAULT_VISION.armOwnerPath,
    intraOpThreads: Number(env.VISION_THREADS ?? DEFAULT_VISION.intraOpThreads),
    publishHz: Number(env.VISION_PUBLISH_HZ ?? DEFAULT_VISION.publishHz),
    workers: env.VISION_WORKERS ?? DEFAULT_VISION.workers,
    workerThreads: Number(env.VISION_WORKER_THREADS ?? DEFAULT_VISION.workerThreads),
    stalledAfterMs: Number(env.VISION_STALLED_AFTER_MS ?? DEFAULT_VISION.stalledAfterMs),
    motionGate: {
      ...DEFAULT_VISION.motionGate,
      enabled: onOff(env.VISION_MOTION_GATE, DEFAULT_VISION.motionGate.enabled),
      thresholdLevels: Number(env.VISION_MOTION_GATE_LEVELS ?? DEFAULT_VISION.motionGate.thresholdLevels),
      maxSkipMs: Number(env.VISION_MOTION_GATE_MAX_SKIP_MS ?? DEFAULT_VISION.motionGate.maxSkipMs),
    },
  };
  return validated(config);
}

/** The configuration as given, or a `VisionConfigError` naming every field that is not valid. */
function validated(config: unknown): VisionConfig {
  const checked = validator.check(config);
  if (!checked.ok)
    throw new VisionConfigError(`invalid vision configuration:\n  ${checked.errors.join('\n  ')}`);
  return checked.value;
}

/** The variables naming the model files, and the configuration field each sets. */
export const MODEL_FILE_VARS = {
  VISION_DETECTOR_PATH: 'detectorPath',
  VISION_EMBEDDER_PATH: 'embedderPath',
  VISION_ARM_OWNER_PATH: 'armOwnerPath',
} as const satisfies Record<string, keyof VisionConfig>;

/** Those of `MODEL_FILE_VARS` the environment sets, as `NAME=value`. */
export function modelFilesNamed(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(MODEL_FILE_VARS).flatMap((name) =>
    env[name] === undefined ? [] : [`${name}=${env[name]}`],
  );
}

/**
 * The shipped configuration with other model files of the same kinds, named as the edge reads them
 * (VISION_DETECTOR_PATH, VISION_EMBEDDER_PATH, VISION_ARM_OWNER_PATH; empty embedder or arm-owner path: none):
 * how `npm run eval` compares a retrained model end to end. Nothing else of the environment is read.
 */
export function withModelsFromEnv(env: NodeJS.ProcessEnv): VisionConfig {
  const config: Record<string, unknown> = { ...DEFAULT_VISION };
  for (const [name, field] of Object.entries(MODEL_FILE_VARS)) {
    const value = env[name];
    if (value !== undefined) config[field] = value;
  }
  return validated(config);
}

/** `on`/`off` (absent: the default); anything else is left for the validator to reject. */
function onOff(value: string | undefined, fallback: boolean): boolean | string {
  if (value === undefined) return fallback;
  return value === 'on' ? true : value === 'off' ? false : value;
}
