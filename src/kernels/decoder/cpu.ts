// UpSampling2D's resize by whole factors, as TF.js's UpSampling2D computes it:
// tf.image.resizeNearestNeighbor / resizeBilinear to [h * sh, w * sw] with
// alignCorners and halfPixelCenters false. Output row y reads source row
// y / sh: nearest takes floor(y / sh); bilinear blends rows floor(y / sh) and
// the next one (clamped to the last row) by the fraction (y mod sh) / sh.
// The backward is the adjoint: each dy goes back to the pixels its output
// read, with the weights it read them with.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import type { UpSampling2dParams } from './types.js';

/** Where output position `o` of an axis upsampled by `s` (input length `n`) reads: rows top and bottom, bottom's weight frac. */
export function sourceOf(o: number, s: number, n: number): { top: number; bottom: number; frac: number } {
  const top = Math.floor(o / s);
  return { top, bottom: Math.min(top + 1, n - 1), frac: (o - top * s) / s };
}

export function upSampling2d(x: Tensor, p: UpSampling2dParams): Tensor {
  const [n, h, w, c] = x.shape;
  const [sh, sw] = p.size;
  const oh = h * sh;
  const ow = w * sw;
  const xv = vals(x);
  const y = new Float32Array(n * oh * ow * c);
  const at = (b: number, i: number, j: number, ch: number): number => xv[((b * h + i) * w + j) * c + ch];
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++) {
      const r = sourceOf(oi, sh, h);
      for (let oj = 0; oj < ow; oj++) {
        const q = sourceOf(oj, sw, w);
        for (let ch = 0; ch < c; ch++) {
          if (p.interpolation === 'nearest') {
            y[o++] = at(b, r.top, q.top, ch);
          } else {
            // TF.js's order: along the row first, then between the rows
            const tl = at(b, r.top, q.top, ch);
            const tr = at(b, r.top, q.bottom, ch);
            const bl = at(b, r.bottom, q.top, ch);
            const br = at(b, r.bottom, q.bottom, ch);
            const top = tl + (tr - tl) * q.frac;
            const bottom = bl + (br - bl) * q.frac;
            y[o++] = top + (bottom - top) * r.frac;
          }
        }
      }
    }
  return cpuTensor(y, [n, oh, ow, c]);
}

/** Each dy[oi, oj] goes back to the pixels (oi, oj) read, with the weights it read them with (its adjoint). */
export function upSampling2dBackward(dy: Tensor, xShape: Shape, p: UpSampling2dParams): Tensor {
  const [n, h, w, c] = xShape;
  const [sh, sw] = p.size;
  const oh = h * sh;
  const ow = w * sw;
  const dv = vals(dy);
  const dx = new Float32Array(n * h * w * c);
  const add = (b: number, i: number, j: number, at: number, weight: number): void => {
    const base = ((b * h + i) * w + j) * c;
    for (let ch = 0; ch < c; ch++) dx[base + ch] += weight * dv[at + ch];
  };
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++) {
      const r = sourceOf(oi, sh, h);
      for (let oj = 0; oj < ow; oj++) {
        const q = sourceOf(oj, sw, w);
        const at = ((b * oh + oi) * ow + oj) * c;
        if (p.interpolation === 'nearest') {
          add(b, r.top, q.top, at, 1);
        } else {
          add(b, r.top, q.top, at, (1 - r.frac) * (1 - q.frac));
          add(b, r.top, q.bottom, at, (1 - r.frac) * q.frac);
          add(b, r.bottom, q.top, at, r.frac * (1 - q.frac));
          add(b, r.bottom, q.bottom, at, r.frac * q.frac);
        }
      }
    }
  return cpuTensor(dx, xShape);
}
