// Matrix product and bias add, the GEMM that convolution reduces to.
// a [m,k] (or [k,m] when transposeA), b [k,n] (or [n,k] when transposeB) -> c [m,n].
// `gemm` is the blocked kernel (gemmBlocked.ts); the plain triple loop stays
// beside it as its reference, and the two agree bit for bit (the same double
// sums in the same order; test/cpu/matmul.test.ts).

import type { FusedActivation } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { applyFused } from '../fusedActivation.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import { gemmBlocked } from './gemmBlocked.js';

export const gemm = gemmBlocked;

/** Plain triple loop over row-major arrays: the reference the blocked GEMM is checked against. */
export function gemmReference(
  a: Float32Array, b: Float32Array, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transposeA ? a[p * m + i] : a[i * k + p];
        const bv = transposeB ? b[j * k + p] : b[p * n + j];
        s += av * bv;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

export function matmul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias: Tensor | null = null, activation: FusedActivation = 'linear'): Tensor {
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const n = transposeB ? b.shape[0] : b.shape[1];
  return cpuTensor(epilogue(gemm(vals(a), vals(b), m, k, n, transposeA, transposeB), bias, n, activation), [m, n]);
}

/** In place: y[i] = act(y[i] + bias[i % n]), rows of n values; the GPU kernels' epilogue. */
export function epilogue(y: Float32Array, bias: Tensor | null, n: number, activation: FusedActivation): Float32Array {
  if (bias) {
    const bv = vals(bias);
    for (let i = 0; i < y.length; i++) y[i] += bv[i % n];
  }
  return applyFused(y, activation);
}

/** y = x + b over the last axis. */
export function biasAdd(x: Tensor, b: Tensor): Tensor {
  const xv = vals(x);
  const bv = vals(b);
  const c = bv.length;
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) y[i] = xv[i] + bv[i % c];
  return cpuTensor(y, x.shape);
}

/** db[c] = sum of dy over every row (every axis but the last). */
export function biasAddBackward(dy: Tensor): Tensor {
  const dv = vals(dy);
  const c = dy.shape[dy.rank - 1];
  const db = new Float32Array(c);
  for (let i = 0; i < dv.length; i++) db[i % c] += dv[i];
  return cpuTensor(db, [c]);
}
