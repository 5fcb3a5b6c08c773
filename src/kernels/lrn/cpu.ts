// Local response normalization over the channels of NHWC tensors, and its
// backward, as TensorFlow (and TF.js's CPU backend) computes them:
//   sqrSum[.., d] = sum of x[.., k]^2 for k in [d - r, d + r] (clipped to the channels)
//   y[.., d] = x[.., d] * (bias + alpha * sqrSum[.., d]) ** -beta

import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import type { LrnParams } from './params.js';

/** bias + alpha * (the sum of squares of channels [d - r, d + r]) of the pixel starting at base. */
function norm(xv: Float32Array, base: number, c: number, d: number, p: LrnParams): number {
  const lo = Math.max(0, d - p.depthRadius);
  const hi = Math.min(c - 1, d + p.depthRadius);
  let s = 0;
  for (let k = lo; k <= hi; k++) s += xv[base + k] * xv[base + k];
  return p.bias + p.alpha * s;
}

export function lrn(x: Tensor, p: LrnParams): Tensor {
  const xv = vals(x);
  const c = x.shape[3];
  const y = new Float32Array(x.size);
  for (let base = 0; base < x.size; base += c) {
    for (let d = 0; d < c; d++) y[base + d] = xv[base + d] * Math.pow(norm(xv, base, c, d, p), -p.beta);
  }
  return cpuTensor(y, x.shape);
}

/**
 * dx from dy and x, scattered as TensorFlow's LRNGrad: output d depends on
 * every input k of its window, through its own x (the N^-beta term, k = d)
 * and through N_d (-2 alpha beta x_k x_d N_d^(-beta-1)).
 */
export function lrnBackward(dy: Tensor, x: Tensor, p: LrnParams): Tensor {
  const xv = vals(x);
  const dv = vals(dy);
  const c = x.shape[3];
  const dx = new Float32Array(x.size);
  for (let base = 0; base < x.size; base += c) {
    for (let d = 0; d < c; d++) {
      const n = norm(xv, base, c, d, p);
      const lo = Math.max(0, d - p.depthRadius);
      const hi = Math.min(c - 1, d + p.depthRadius);
      const yd = xv[base + d] * Math.pow(n, -p.beta);
      for (let k = lo; k <= hi; k++) {
        let g = (-2 * p.alpha * p.beta * xv[base + k] * yd) / n;
        if (k === d) g += Math.pow(n, -p.beta);
        dx[base + k] += g * dv[base + d];
      }
    }
  }
  return cpuTensor(dx, x.shape);
}
