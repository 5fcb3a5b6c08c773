// Matrix products with an optional fused bias and activation, and the bias
// add with its backward: a [m,k] (or [k,m] when transposeA), b [k,n] (or [n,k]).

import type { FusedActivation } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectRank } from '../checks.js';
import { defineKernel, op, run } from '../kernel.js';
import { checkBias, checkFused } from '../shapeChecks.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

export const matmulKernel = defineKernel({
  name: 'matmul',
  check(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias: Tensor | null = null, activation: FusedActivation = 'linear') {
    expectRank('matmul', 'a', a, 2);
    expectRank('matmul', 'b', b, 2);
    const k = transposeA ? a.shape[0] : a.shape[1];
    const kb = transposeB ? b.shape[1] : b.shape[0];
    if (k !== kb) {
      throw new Error(`matmul: inner sizes must agree, got a ${shapeToString(a.shape)}${transposeA ? '^T' : ''} and b ${shapeToString(b.shape)}${transposeB ? '^T' : ''} (${k} vs ${kb})`);
    }
    checkBias('matmul', bias, transposeB ? b.shape[0] : b.shape[1]);
    checkFused('matmul', activation);
  },
  cpu: cpu.matmul,
  webgpu: gpu.matmul,
  wasm: wasm.matmul,
});

export const biasAddKernel = defineKernel({
  name: 'biasAdd',
  check(x: Tensor, b: Tensor) {
    if (x.rank < 1) throw new Error('biasAdd: expected x of rank >= 1, got a scalar');
    checkBias('biasAdd', b, x.shape[x.rank - 1]);
  },
  cpu: cpu.biasAdd,
  webgpu: gpu.biasAdd,
  wasm: wasm.biasAdd,
});

export const biasAddBackwardKernel = defineKernel({
  name: 'biasAddBackward',
  check(dy: Tensor) {
    if (dy.rank < 1) throw new Error('biasAddBackward: expected dy of rank >= 1, got a scalar');
  },
  cpu: cpu.biasAddBackward,
  webgpu: gpu.biasAddBackward,
  wasm: wasm.biasAddBackward,
});

/** a . b, with a and b optionally transposed; with a bias ([n]) and/or activation, act(a . b + bias) in one pass. */
export function matmul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias: Tensor | null = null, activation: FusedActivation = 'linear'): Tensor {
  return run(matmulKernel, a, b, transposeA, transposeB, bias, activation);
}

/** y = x + b over the last axis. */
export const biasAdd = op(biasAddKernel);
/** db = sum of dy over every axis but the last. */
export const biasAddBackward = op(biasAddBackwardKernel);
