// Local response normalization (tf.localResponseNormalization) over the
// channels of NHWC tensors, with its backward: one kernel each.

import type { Tensor } from '../../tensor.js';
import { expectRank, expectSameShape } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';
import type { LrnParams } from './params.js';

export { pipelines } from './webgpu.js';
export type { LrnParams } from './params.js';

/** The arguments' checks, each error naming the op. */
export function checkLrnParams(name: string, p: LrnParams): void {
  if (!Number.isInteger(p.depthRadius) || p.depthRadius < 0) {
    throw new Error(`${name}: depthRadius must be a non-negative integer, got ${p.depthRadius}`);
  }
  for (const k of ['bias', 'alpha', 'beta'] as const) {
    if (typeof p[k] !== 'number' || !Number.isFinite(p[k])) throw new Error(`${name}: ${k} must be a finite number, got ${String(p[k])}`);
  }
}

export const lrnKernel = defineKernel({
  name: 'lrn',
  check(x: Tensor, p: LrnParams) {
    expectRank('lrn', 'x', x, 4);
    checkLrnParams('lrn', p);
  },
  cpu: cpu.lrn,
  webgpu: gpu.lrn,
  wasm: wasm.lrn,
});

export const lrnBackwardKernel = defineKernel({
  name: 'lrnBackward',
  check(dy: Tensor, x: Tensor, p: LrnParams) {
    expectRank('lrnBackward', 'x', x, 4);
    expectSameShape('lrnBackward', dy, 'dy', x, 'x');
    checkLrnParams('lrnBackward', p);
  },
  cpu: cpu.lrnBackward,
  webgpu: gpu.lrnBackward,
  wasm: wasm.lrnBackward,
});

/** y = x / (bias + alpha * (sum of x^2 over channels d - depthRadius ... d + depthRadius)) ** beta, NHWC. */
export const lrn = op(lrnKernel);
/** dx of lrn from dy and x (the norms are recomputed from x). */
export const lrnBackward = op(lrnBackwardKernel);
