// Turns a drawing into an MNIST-like digit, as the MNIST set was made: the
// ink's bounding box is scaled to fit 20x20 (keeping its aspect ratio), then
// placed in a 28x28 image so that its centre of mass sits at the centre.

/** gray: row-major intensities in [0, 1] of a size x size drawing. Returns 784 values. */
export function toMnist(gray: Float32Array, size: number): Float32Array {
  let top = size, left = size, bottom = -1, right = -1;
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) {
    if (gray[i * size + j] > 0.05) { top = Math.min(top, i); bottom = Math.max(bottom, i); left = Math.min(left, j); right = Math.max(right, j); }
  }
  const out = new Float32Array(784);
  if (bottom < 0) return out;
  const bh = bottom - top + 1;
  const bw = right - left + 1;
  const scale = 20 / Math.max(bh, bw);
  const h = Math.max(1, Math.round(bh * scale));
  const w = Math.max(1, Math.round(bw * scale));
  // Box-filter downscale of the bounding box into h x w.
  const small = new Float32Array(h * w);
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    const y0 = top + (i * bh) / h, y1 = top + ((i + 1) * bh) / h;
    const x0 = left + (j * bw) / w, x1 = left + ((j + 1) * bw) / w;
    let s = 0, n = 0;
    for (let y = Math.floor(y0); y < Math.ceil(y1); y++) for (let x = Math.floor(x0); x < Math.ceil(x1); x++) { s += gray[y * size + x]; n++; }
    small[i * w + j] = n ? s / n : 0;
  }
  let mass = 0, cy = 0, cx = 0;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) { const v = small[i * w + j]; mass += v; cy += v * i; cx += v * j; }
  const oy = Math.round(14 - (mass ? cy / mass : h / 2));
  const ox = Math.round(14 - (mass ? cx / mass : w / 2));
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    const y = i + oy, x = j + ox;
    if (y >= 0 && y < 28 && x >= 0 && x < 28) out[y * 28 + x] = Math.min(1, small[i * w + j]);
  }
  return out;
}
