// Shapes and files of the shipped vision models (what models:build trains and the model cards state).

export const DETECTOR_INPUT = { width: 128, height: 96 } as const;
export const EMBED_CROP = 16;
export const DETECTOR_MODEL = 'models/person-heatmap.onnx';
export const EMBEDDER_MODEL = 'models/appearance-embed.onnx';
