// Max and average pooling over NHWC windows, with their backwards (global
// pools are pools whose window is the whole image).

import type { Pool2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectRank } from '../checks.js';
import { windowGeometry } from '../geometry.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';

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

export const maxPool2dKernel = defineKernel({ name: 'maxPool2d', check: poolCheck('maxPool2d'), cpu: cpu.maxPool2d, webgpu: gpu.maxPool2d });

export const maxPool2dBackwardKernel = defineKernel({
  name: 'maxPool2dBackward',
  check(dy: Tensor, x: Tensor, p: Pool2dParams) {
    expectRank('maxPool2dBackward', 'x', x, 4);
    checkDy('maxPool2dBackward', dy, x.shape, p);
  },
  cpu: cpu.maxPool2dBackward,
  webgpu: gpu.maxPool2dBackward,
});

export const avgPool2dKernel = defineKernel({ name: 'avgPool2d', check: poolCheck('avgPool2d'), cpu: cpu.avgPool2d, webgpu: gpu.avgPool2d });

export const avgPool2dBackwardKernel = defineKernel({
  name: 'avgPool2dBackward',
  check(dy: Tensor, xShape: Shape, p: Pool2dParams) {
    checkDy('avgPool2dBackward', dy, xShape, p);
  },
  cpu: cpu.avgPool2dBackward,
  webgpu: gpu.avgPool2dBackward,
});

export const maxPool2d = op(maxPool2dKernel);
/** Routes dy to the first maximum of each window (row-major scan), as TensorFlow does. */
export const maxPool2dBackward = op(maxPool2dBackwardKernel);
/** 'same' divides by the number of real (unpadded) pixels in the window, as TensorFlow does. */
export const avgPool2d = op(avgPool2dKernel);
export const avgPool2dBackward = op(avgPool2dBackwardKernel);
