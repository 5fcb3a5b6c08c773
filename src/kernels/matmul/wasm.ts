// The wasm programs of matmul, biasAdd and biasAddBackward: the packed SIMD
// GEMM (src/backend/wasm/assembly/gemm.ts), whose operands are read through
// element strides, so a transposed operand costs nothing extra.

import type { FusedActivation } from '../../backend/types.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import type { Tensor } from '../../tensor.js';
import { activationCode } from '../fusedActivation.js';

/** Where a(i, p) of an [m, k] operand stored as [rows, cols] lies: element strides of i and of p. */
export function strides(transposed: boolean, m: number, k: number): [number, number] {
  return transposed ? [1, m] : [k, 1];
}

/**
 * c = act(a . b + bias) on raw pointers, row-major c [m, n]; accumulate adds
 * to what c holds. Used by matmul and by the convolutions' chunks.
 */
export function gemm(ctx: WasmContext, a: number, b: number, c: number, m: number, n: number, k: number,
  transposeA: boolean, transposeB: boolean, bias: number, activation: FusedActivation, accumulate = false): void {
  const scratch = ctx.scratch(ctx.exports.gemmScratchBytes(m, n, k));
  const [aRow, aCol] = strides(transposeA, m, k);
  // b(p, j) of b [k, n]; b stored as [n, k] when transposed.
  const [bRow, bCol] = transposeB ? [1, k] : [n, 1];
  ctx.exports.gemm(a, b, c, m, n, k, aRow, aCol, bRow, bCol, bias, activationCode(activation), accumulate, scratch);
}

export function matmul(ctx: WasmContext, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias: Tensor | null = null, activation: FusedActivation = 'linear'): Tensor {
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const n = transposeB ? b.shape[0] : b.shape[1];
  const c = ctx.output([m, n], 'matmul');
  gemm(ctx, ctx.ptr(a), ctx.ptr(b), ctx.ptr(c), m, n, k, transposeA, transposeB, bias ? ctx.ptr(bias) : 0, activation);
  return c;
}

export function biasAdd(ctx: WasmContext, x: Tensor, b: Tensor): Tensor {
  const y = ctx.output(x.shape, 'biasAdd');
  const c = b.size;
  ctx.exports.biasAdd(ctx.ptr(x), ctx.ptr(b), ctx.ptr(y), c === 0 ? 0 : x.size / c, c);
  return y;
}

export function biasAddBackward(ctx: WasmContext, dy: Tensor): Tensor {
  const c = dy.shape[dy.rank - 1];
  const db = ctx.output([c], 'biasAddBackward');
  ctx.exports.biasAddBackward(ctx.ptr(dy), ctx.ptr(db), c === 0 ? 0 : dy.size / c, c);
  return db;
}
