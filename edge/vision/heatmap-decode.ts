// Turns a detector heatmap into points: local maxima above a threshold, refined to sub-cell precision by
// the weighted centroid of their 3×3 neighbourhood, in model-input pixels. Pure.

export interface Peak {
  /** Model-input pixels. */
  x: number;
  y: number;
  score: number;
}

/**
 * Decodes channel data `heat[offset … offset + w*h)` (row-major h×w, cell j ↔ input pixel j × stride).
 * Keeps at most `maxPeaks`, strongest first.
 */
export function decodeHeatmap(
  heat: Float32Array,
  offset: number,
  w: number,
  h: number,
  stride: number,
  threshold: number,
  maxPeaks = 64,
): Peak[] {
  const peaks: Peak[] = [];
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= w || y >= h ? 0 : (heat[offset + y * w + x] as number);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = heat[offset + y * w + x] as number;
      if (v < threshold) continue;
      let isMax = true;
      let sum = 0;
      let sx = 0;
      let sy = 0;
      for (let dy = -1; dy <= 1 && isMax; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const n = at(x + dx, y + dy);
          // ties go to the first cell in scan order so a plateau yields one peak
          if (n > v || (n === v && (dy < 0 || (dy === 0 && dx < 0)))) {
            isMax = false;
            break;
          }
          sum += n;
          sx += n * dx;
          sy += n * dy;
        }
      }
      if (!isMax) continue;
      peaks.push({ x: (x + sx / sum) * stride, y: (y + sy / sum) * stride, score: v });
    }
  }
  peaks.sort((a, b) => b.score - a.score);
  return peaks.slice(0, maxPeaks);
}
