// Max, average, min, sum and L2-norm pooling over NHWC windows, with their
// backwards (global pools are pools whose window is the whole image). Min, sum
// and L2 pooling are webcnn's own (TF.js has none of them): the windows,
// strides and padding are max pooling's, and padded cells never count.

import type { Pool2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectRank } from '../checks.js';
import { windowGeometry } from '../geometry.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

function poolOutputShape(name: string, xShape: Shape, p: Pool2dParams): number[] {
  if (p.padding !== 'valid' && p.padding !== 'same') {
    throw new Error(`${name}: expected padding 'valid' or 'same', got ${JSON.stringify(p.padding)}`);
  }
  const g = windowGeometry(name, xShape, p.poolSize, p.strides, [1, 1], p.padding);
  return [g.n, g.oh, g.ow, g.c];
}

function checkDy(name: string, dy: Tensor, xShape: Shape, p: Pool2dParams): void {
  const expected = poolOutputShape(name, xShape, p);
  if (dy.rank !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${name}: expected dy of shape ${shapeToString(expected)}, got ${shapeToString(dy.shape)}`);
  }
}

/** The checks of a pooling forward: an NHWC input and a window that fits it. */
const poolCheck = (name: string) => (x: Tensor, p: Pool2dParams): void => {
  expectRank(name, 'x', x, 4);
  poolOutputShape(name, x.shape, p);
};

export const maxPool2dKernel = defineKernel({ name: 'maxPool2d', check: poolCheck('maxPool2d'), cpu: cpu.maxPool2d, webgpu: gpu.maxPool2d, wasm: wasm.maxPool2d });

export const maxPool2dBackwardKernel = defineKernel({
  name: 'maxPool2dBackward',
  check(dy: Tensor, x: Tensor, p: Pool2dParams) {
    expectRank('maxPool2dBackward', 'x', x, 4);
    checkDy('maxPool2dBackward', dy, x.shape, p);
  },
  cpu: cpu.maxPool2dBackward,
  webgpu: gpu.maxPool2dBackward,
  wasm: wasm.maxPool2dBackward,
});

export const avgPool2dKernel = defineKernel({ name: 'avgPool2d', check: poolCheck('avgPool2d'), cpu: cpu.avgPool2d, webgpu: gpu.avgPool2d, wasm: wasm.avgPool2d });

export const avgPool2dBackwardKernel = defineKernel({
  name: 'avgPool2dBackward',
  check(dy: Tensor, xShape: Shape, p: Pool2dParams) {
    checkDy('avgPool2dBackward', dy, xShape, p);
  },
  cpu: cpu.avgPool2dBackward,
  webgpu: gpu.avgPool2dBackward,
  wasm: wasm.avgPool2dBackward,
});

export const maxPool2d = op(maxPool2dKernel);
/** Routes dy to the first maximum of each window (row-major scan), as TensorFlow does. */
export const maxPool2dBackward = op(maxPool2dBackwardKernel);
/** 'same' divides by the number of real (unpadded) pixels in the window, as TensorFlow does. */
export const avgPool2d = op(avgPool2dKernel);
export const avgPool2dBackward = op(avgPool2dBackwardKernel);

export const minPool2dKernel = defineKernel({ name: 'minPool2d', check: poolCheck('minPool2d'), cpu: cpu.minPool2d, webgpu: gpu.minPool2d, wasm: wasm.minPool2d });

export const minPool2dBackwardKernel = defineKernel({
  name: 'minPool2dBackward',
  check(dy: Tensor, x: Tensor, p: Pool2dParams) {
    expectRank('minPool2dBackward', 'x', x, 4);
    checkDy('minPool2dBackward', dy, x.shape, p);
  },
  cpu: cpu.minPool2dBackward,
  webgpu: gpu.minPool2dBackward,
  wasm: wasm.minPool2dBackward,
});

export const sumPool2dKernel = defineKernel({ name: 'sumPool2d', check: poolCheck('sumPool2d'), cpu: cpu.sumPool2d, webgpu: gpu.sumPool2d, wasm: wasm.sumPool2d });

export const sumPool2dBackwardKernel = defineKernel({
  name: 'sumPool2dBackward',
  check(dy: Tensor, xShape: Shape, p: Pool2dParams) {
    checkDy('sumPool2dBackward', dy, xShape, p);
  },
  cpu: cpu.sumPool2dBackward,
  webgpu: gpu.sumPool2dBackward,
  wasm: wasm.sumPool2dBackward,
});

export const l2Pool2dKernel = defineKernel({ name: 'l2Pool2d', check: poolCheck('l2Pool2d'), cpu: cpu.l2Pool2d, webgpu: gpu.l2Pool2d, wasm: wasm.l2Pool2d });

export const l2Pool2dBackwardKernel = defineKernel({
  name: 'l2Pool2dBackward',
  check(dy: Tensor, x: Tensor, y: Tensor, p: Pool2dParams) {
    expectRank('l2Pool2dBackward', 'x', x, 4);
    checkDy('l2Pool2dBackward', dy, x.shape, p);
    if (y.rank !== 4 || y.shape.some((d, i) => d !== dy.shape[i])) {
      throw new Error(`l2Pool2dBackward: expected y (the forward's output) of shape ${shapeToString(dy.shape)}, got ${shapeToString(y.shape)}`);
    }
  },
  cpu: cpu.l2Pool2dBackward,
  webgpu: gpu.l2Pool2dBackward,
  wasm: wasm.l2Pool2dBackward,
});

/** Min pooling (webcnn's): the first minimum of each window; padded cells never win. */
export const minPool2d = op(minPool2dKernel);
/** Routes dy to the first minimum of each window (row-major scan, strict <). */
export const minPool2dBackward = op(minPool2dBackwardKernel);
/** Sum pooling (webcnn's): the sum of each window's real pixels ('same' padding adds nothing). */
export const sumPool2d = op(sumPool2dKernel);
/** Each dy goes whole to every real pixel of its window (the gradient is one). */
export const sumPool2dBackward = op(sumPool2dBackwardKernel);
/** L2-norm pooling (webcnn's): sqrt of the sum of squares of each window's real pixels. */
export const l2Pool2d = op(l2Pool2dKernel);
/** dx = sum over covering windows of dy * x / y (y: the forward's output), 0 from a window whose norm is 0. */
export const l2Pool2dBackward = op(l2Pool2dBackwardKernel);
