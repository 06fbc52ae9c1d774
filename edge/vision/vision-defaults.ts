// Shapes and files of the shipped vision models (what models:build trains and the model cards state).

export const DETECTOR_INPUT = { width: 128, height: 96 } as const;
export const EMBED_CROP = 16;
export const DETECTOR_MODEL = 'models/person-heatmap.onnx';
export const EMBEDDER_MODEL = 'models/appearance-embed.onnx';
/**
 * Heatmap peaks at or above these count (sigmoid outputs). Person 0.5: the retrained detector's peaks beside
 * people in a crowd (a trolley, a neighbour's arm) stay below it; at 0.35 they broke sessions in
 * \`eval:vision\` (vision-crowd 2/4 intact, 3/4 at 0.5). Hand 0.35 as before.
 */
export const DETECTOR_THRESHOLDS = { person: 0.5, hand: 0.35 } as const;
/**
 * The arm-owner model (`arm-owner.onnx`, #13): a patch of ARM_CROP × ARM_CROP pixels around each hand, cut
 * from the frame decoded at ARM_INPUT (2× the detector's input: ~27 px a metre in the sample store, where an
 * arm is 2–3 px wide and keeps its sleeve's colour from hand to shoulder; the patch reaches 1.2 m from the
 * hand, an arm's length and more), gives where the hand's owner stands.
 */
export const ARM_INPUT = { width: 256, height: 192 } as const;
export const ARM_CROP = 64;
export const ARM_MODEL = 'models/arm-owner.onnx';
