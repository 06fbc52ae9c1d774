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
