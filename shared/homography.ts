// Image pixels → floor metres through a camera's 3×3 homography (row-major, from the store config). Pure.

export function projectToFloor(h: readonly number[], px: number, py: number): { x: number; y: number } {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, k = 0, i = 1] = h;
  const w = g * px + k * py + i;
  if (Math.abs(w) < 1e-12) throw new RangeError(`pixel (${px}, ${py}) maps to infinity`);
  return { x: (a * px + b * py + c) / w, y: (d * px + e * py + f) / w };
}
