// 2-D convolution (NHWC, Keras kernel layout [kh, kw, cin, cout]) and its
// two backwards: y[n,oh,ow,cout] = sum x[n,ih,iw,cin] * w[kh,kw,cin,cout] + b[cout].

import type { Conv2dParams, FusedActivation, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { expectRank } from '../checks.js';
import { isPointwise, windowGeometry } from '../geometry.js';
import { defineKernel, op, run } from '../kernel.js';
import { matmul } from '../matmul/index.js';
import { checkBias, checkDy, checkFused, convOutputShape } from '../shapeChecks.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import { keepsColumns } from './choose.js';

export { pipelines } from './webgpu.js';

export const conv2dKernel = defineKernel({
  name: 'conv2d',
  check(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation: FusedActivation = 'linear') {
    expectRank('conv2d', 'x', x, 4);
    checkFused('conv2d', activation);
    convOutputShape('conv2d', x.shape, w.shape, p);
    checkBias('conv2d', bias, w.shape[3]);
  },
  cpu: cpu.conv2d,
  webgpu: gpu.conv2d,
  wasm: wasm.conv2d,
});

export const conv2dColumnsKernel = defineKernel({
  name: 'conv2dColumns',
  check(x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams) {
    expectRank('conv2dColumns', 'x', x, 4);
    windowGeometry('conv2dColumns', x.shape, kernelSize, p.strides, p.dilations, p.padding);
  },
  cpu: cpu.conv2dColumns,
  webgpu: gpu.conv2dColumns,
  wasm: wasm.conv2dColumns,
});

export const conv2dBackwardInputKernel = defineKernel({
  name: 'conv2dBackwardInput',
  check(dy: Tensor, w: Tensor, xShape: Shape, p: Conv2dParams) {
    checkDy('conv2dBackwardInput', dy, convOutputShape('conv2dBackwardInput', xShape, w.shape, p));
  },
  cpu: cpu.conv2dBackwardInput,
  webgpu: gpu.conv2dBackwardInput,
  wasm: wasm.conv2dBackwardInput,
});

export const conv2dBackwardFilterKernel = defineKernel({
  name: 'conv2dBackwardFilter',
  check(x: Tensor, dy: Tensor, wShape: Shape, p: Conv2dParams) {
    expectRank('conv2dBackwardFilter', 'x', x, 4);
    checkDy('conv2dBackwardFilter', dy, convOutputShape('conv2dBackwardFilter', x.shape, wShape, p));
  },
  cpu: cpu.conv2dBackwardFilter,
  webgpu: gpu.conv2dBackwardFilter,
  wasm: wasm.conv2dBackwardFilter,
});

/** y = act(conv(x, w) + bias); `activation` 'relu' is applied in the same pass. */
export function conv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation: FusedActivation = 'linear'): Tensor {
  return run(conv2dKernel, x, w, bias, p, activation);
}

/**
 * The im2col column matrix [n*oh*ow, kh*kw*cin] of x (row = output pixel,
 * columns in (ky, kx, cin) order, zeros in the padding); x itself, reshaped,
 * for a 1x1 stride-1 unpadded conv.
 */
export function conv2dColumns(x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams): Tensor {
  expectRank('conv2dColumns', 'x', x, 4);
  const g = windowGeometry('conv2dColumns', x.shape, kernelSize, p.strides, p.dilations, p.padding);
  if (isPointwise(g)) return x.reshape([g.n * g.oh * g.ow, g.c]);
  return run(conv2dColumnsKernel, x, kernelSize, p);
}

/** dx = col2im(dy . W^T). */
export const conv2dBackwardInput = op(conv2dBackwardInputKernel);
/** dW = im2col(x)^T . dy, shape [kh, kw, cin, cout]. */
export const conv2dBackwardFilter = op(conv2dBackwardFilterKernel);

/**
 * Training keeps a layer's column matrix (kh*kw times its input) from the
 * forward to the backward up to this size; a larger one is recomputed there,
 * trading an im2col for the memory.
 */
const KEPT_COLUMN_BYTES = 64 * 1024 * 1024;

/** Whether the backend's training forward keeps the column matrix for dW (a question, not work on data). */
export const conv2dKeepsColumnsKernel = defineKernel({
  name: 'conv2dKeepsColumns',
  query: true,
  check(_xShape: Shape, _wShape: Shape, _p: Conv2dParams) { /* shapes come from a checked conv */ },
  cpu: (_xShape: Shape, _wShape: Shape, _p: Conv2dParams) => true,
  webgpu: keepsColumns,
  wasm: wasm.keepsColumns,
});

/** What a training forward kept for the backward; layers hold it without looking inside. */
export interface Conv2dSaved {
  readonly x: Tensor;
  /** The forward's column matrix, where it was kept for the filter gradient. */
  readonly columns: Tensor | null;
}

/**
 * The training forward: y = act(conv(x, w) + bias) and what its backward
 * needs. One im2col can serve the forward GEMM and the filter gradient's,
 * where the backend computes both on columns and they fit.
 */
export function conv2dForTraining(
  x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation: FusedActivation = 'linear',
): { y: Tensor; saved: Conv2dSaved } {
  conv2dKernel.check(x, w, bias, p, activation);
  const g = windowGeometry('conv2d', x.shape, [w.shape[0], w.shape[1]], p.strides, p.dilations, p.padding);
  const k = g.kh * g.kw * g.c;
  const cout = w.shape[3];
  const keep = g.n * g.oh * g.ow * k * 4 <= KEPT_COLUMN_BYTES && x.backend.run(conv2dKeepsColumnsKernel, [x.shape, w.shape, p]);
  if (!keep) return { y: conv2d(x, w, bias, p, activation), saved: { x, columns: null } };
  const columns = conv2dColumns(x, [g.kh, g.kw], p);
  const y = matmul(columns, w.reshape([k, cout]), false, false, bias, activation).reshape([g.n, g.oh, g.ow, cout]);
  return { y, saved: { x, columns } };
}

/** dW of the conv whose forward saved `saved`, shape [kh, kw, cin, cout]: on the kept columns, or recomputed. */
export function conv2dFilterGrad(dy: Tensor, saved: Conv2dSaved, wShape: Shape, p: Conv2dParams): Tensor {
  const cols = saved.columns;
  if (!cols) return conv2dBackwardFilter(saved.x, dy, wShape, p);
  return matmul(cols, dy.reshape([cols.shape[0], wShape[3]]), true, false).reshape(wShape);
}
