// The batched matrix product: a [..., m, k] . b [..., k, n] (either
// transposed in its last two axes), batch dimensions broadcast.

import type { Tensor } from '../../tensor.js';
import { defineKernel, op } from '../kernel.js';
import { batchPlan } from './batch.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

export const batchMatMulKernel = defineKernel({
  name: 'batchMatMul',
  check(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean) {
    batchPlan('batchMatMul', a.shape, b.shape, transposeA, transposeB);
  },
  cpu: cpu.batchMatMul,
  webgpu: gpu.batchMatMul,
  wasm: wasm.batchMatMul,
});

/** op(a) . op(b) per batch, batch dimensions broadcast (numpy rules). */
export const batchMatMul = op(batchMatMulKernel);
