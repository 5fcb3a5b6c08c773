// The decoder half of a CNN: UpSampling2D's resize by whole factors (nearest
// or bilinear, as TF.js's UpSampling2D) and its backward. Transposed
// convolution needs no kernel of its own: its forward is conv2dBackwardInput,
// its input gradient conv2d and its filter gradient conv2dBackwardFilter with
// the roles of x and dy swapped (ops.ts).

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectRank } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import type { UpSampling2dParams } from './types.js';

export { pipelines } from './webgpu.js';

export type { Interpolation, UpSampling2dParams } from './types.js';

function checkParams(name: string, p: UpSampling2dParams): void {
  const s = p?.size;
  if (!Array.isArray(s) || s.length !== 2 || s.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${name}: size must be two positive integers [rows, cols], got ${JSON.stringify(s)}`);
  }
  if (p.interpolation !== 'nearest' && p.interpolation !== 'bilinear') {
    throw new Error(`${name}: interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(p.interpolation)}`);
  }
}

function checkShape(name: string, what: string, shape: Shape): void {
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${name}: expected ${what} of shape [n, h, w, c] with positive sizes, got ${shapeToString(shape)}`);
  }
}

export const upSampling2dKernel = defineKernel({
  name: 'upSampling2d',
  check(x: Tensor, p: UpSampling2dParams) {
    expectRank('upSampling2d', 'x', x, 4);
    checkShape('upSampling2d', 'x', x.shape);
    checkParams('upSampling2d', p);
  },
  cpu: cpu.upSampling2d,
  webgpu: gpu.upSampling2d,
  wasm: wasm.upSampling2d,
});

export const upSampling2dBackwardKernel = defineKernel({
  name: 'upSampling2dBackward',
  check(dy: Tensor, xShape: Shape, p: UpSampling2dParams) {
    checkShape('upSampling2dBackward', 'xShape', xShape);
    checkParams('upSampling2dBackward', p);
    const [n, h, w, c] = xShape;
    const expected = [n, h * p.size[0], w * p.size[1], c];
    if (dy.rank !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
      throw new Error(`upSampling2dBackward: expected dy of shape ${shapeToString(expected)}, got ${shapeToString(dy.shape)}`);
    }
  },
  cpu: cpu.upSampling2dBackward,
  webgpu: gpu.upSampling2dBackward,
  wasm: wasm.upSampling2dBackward,
});

/** y [n, h * sh, w * sw, c]: each pixel repeated (nearest) or blended with its right and lower neighbours (bilinear), as TF.js. */
export const upSampling2d = op(upSampling2dKernel);
/** dx: the adjoint of upSampling2d (dy summed back onto the pixels each output read, with its weights). */
export const upSampling2dBackward = op(upSampling2dBackwardKernel);
