// The wasm program of batchMatMul: one packed GEMM (src/kernels/matmul/wasm.ts)
// per pair of broadcast batch entries.

import type { WasmContext } from '../../backend/wasm/context.js';
import type { Tensor } from '../../tensor.js';
import { gemm } from '../matmul/wasm.js';
import { batchPlan } from './batch.js';

export function batchMatMul(ctx: WasmContext, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor {
  const { outBatch, m, n, k, table } = batchPlan('batchMatMul', a.shape, b.shape, transposeA, transposeB);
  const c = ctx.output([...outBatch, m, n], 'batchMatMul');
  for (let t = 0; t < table.length / 2; t++) {
    gemm(ctx, ctx.ptr(a) + 4 * table[2 * t] * m * k, ctx.ptr(b) + 4 * table[2 * t + 1] * k * n, ctx.ptr(c) + 4 * t * m * n,
      m, n, k, transposeA, transposeB, 0, 'linear');
  }
  return c;
}
