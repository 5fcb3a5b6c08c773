// CPU reference: element-wise activations and softmax, each forward followed
// by its backward. Math runs in float64 and is stored as float32. Gradients
// follow TF.js's kernels where they pick a side at a kink:
//   relu       x > 0 gets dy, x == 0 gets 0       (Relu grad: dy * step(x))
//   relu6      0 < x <= 6 gets dy, else 0        (Relu6 grad: dy * step(x) * (x <= 6))
//   leakyRelu  x > 0 gets dy, else alpha * dy     (LeakyRelu grad: where(x > 0, dy, alpha*dy))
//   elu        x > 0 gets dy, else dy * (y + alpha) (EluGrad; TF.js only has alpha 1, where x == 0 gives 1 either way)

import type { Tensor } from '../../tensor.js';
import type { ActivationKind } from '../../backend/types.js';
import { biasAddBackward } from '../matmul/cpu.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';

function apply(kind: ActivationKind, x: number, alpha: number): number {
  switch (kind) {
    case 'linear': return x;
    case 'relu': return x > 0 ? x : 0;
    case 'relu6': return x > 0 ? Math.min(x, 6) : 0;
    case 'leakyRelu': return x < 0 ? alpha * x : x;
    case 'elu': return x < 0 ? alpha * Math.expm1(x) : x;
    // Two branches so that exp never overflows for large |x|.
    case 'sigmoid': return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    case 'tanh': return Math.tanh(x);
  }
}

/** y = f(x), element-wise. */
export function activation(x: Tensor, kind: ActivationKind, alpha: number): Tensor {
  const xv = vals(x);
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) y[i] = apply(kind, xv[i], alpha);
  return cpuTensor(y, x.shape);
}

/** dx = dy * f'(x). Saved by the forward: x (relu, leakyRelu, elu) and y (elu, sigmoid, tanh). */
export function activationBackward(dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): Tensor {
  const dyv = vals(dy);
  const xv = vals(x);
  const yv = vals(y);
  const dx = new Float32Array(dyv.length);
  for (let i = 0; i < dyv.length; i++) {
    const g = dyv[i];
    switch (kind) {
      case 'linear': dx[i] = g; break;
      case 'relu': dx[i] = xv[i] > 0 ? g : 0; break;
      case 'relu6': dx[i] = xv[i] > 0 && xv[i] <= 6 ? g : 0; break;
      case 'leakyRelu': dx[i] = xv[i] > 0 ? g : alpha * g; break;
      case 'elu': dx[i] = xv[i] > 0 ? g : g * (yv[i] + alpha); break;
      case 'sigmoid': dx[i] = g * yv[i] * (1 - yv[i]); break;
      case 'tanh': dx[i] = g * (1 - yv[i] * yv[i]); break;
    }
  }
  return cpuTensor(dx, dy.shape);
}

/** activationBackward, then the bias gradient of its result (the sum over every axis but the last). */
export function activationBiasBackward(dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): { dz: Tensor; db: Tensor } {
  const dz = activationBackward(dy, x, y, kind, alpha);
  return { dz, db: biasAddBackward(dz) };
}

/** Softmax over the last axis (c); the row maximum is subtracted so exp never overflows. */
export function softmax(x: Tensor): Tensor {
  const xv = vals(x);
  const c = x.shape[x.rank - 1];
  const y = new Float32Array(xv.length);
  for (let row = 0; row < xv.length; row += c) {
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, xv[row + k]);
    let sum = 0;
    for (let k = 0; k < c; k++) sum += Math.exp(xv[row + k] - max);
    for (let k = 0; k < c; k++) y[row + k] = Math.exp(xv[row + k] - max) / sum;
  }
  return cpuTensor(y, x.shape);
}

/** dx = y * (dy - sum(dy * y)) per row. Saved by the forward: y. */
export function softmaxBackward(dy: Tensor, y: Tensor): Tensor {
  const dyv = vals(dy);
  const yv = vals(y);
  const c = y.shape[y.rank - 1];
  const dx = new Float32Array(dyv.length);
  for (let row = 0; row < dyv.length; row += c) {
    let dot = 0;
    for (let k = 0; k < c; k++) dot += dyv[row + k] * yv[row + k];
    for (let k = 0; k < c; k++) dx[row + k] = yv[row + k] * (dyv[row + k] - dot);
  }
  return cpuTensor(dx, dy.shape);
}
