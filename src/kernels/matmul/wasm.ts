// The wasm programs of matmul, biasAdd and biasAddBackward: the packed SIMD
// GEMM (src/backend/wasm/assembly/gemm.ts), whose operands are read through
// element strides, so a transposed operand costs nothing extra.

import type { FusedActivation } from '../../backend/types.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import type { Tensor } from '../../tensor.js';
import { activationCode } from '../fusedActivation.js';
import { call, type WasmCall } from '../../backend/wasm/threadPool.js';

/** Where a(i, p) of an [m, k] operand stored as [rows, cols] lies: element strides of i and of p. */
export function strides(transposed: boolean, m: number, k: number): [number, number] {
  return transposed ? [1, m] : [k, 1];
}

/** Operand strides and codes of one product, as the gemm export takes them. */
function layout(m: number, n: number, k: number, transposeA: boolean, transposeB: boolean) {
  const [aRow, aCol] = strides(transposeA, m, k);
  // b(p, j) of b [k, n]; b stored as [n, k] when transposed.
  const [bRow, bCol] = transposeB ? [1, k] : [n, 1];
  return { aRow, aCol, bRow, bCol };
}

/**
 * The gemm export call for c = act(a . b + bias), with its scratch taken now
 * unless given (gemmScratchBytes of sizes at least these; each thread's part
 * of a kernel needs its own).
 */
export function gemmCall(ctx: WasmContext, a: number, b: number, c: number, m: number, n: number, k: number,
  transposeA: boolean, transposeB: boolean, bias: number, activation: FusedActivation, accumulate = false,
  scratch = ctx.scratch(ctx.exports.gemmScratchBytes(m, n, k))): WasmCall {
  const { aRow, aCol, bRow, bCol } = layout(m, n, k, transposeA, transposeB);
  return call('gemm', a, b, c, m, n, k, aRow, aCol, bRow, bCol, bias, activationCode(activation), accumulate, scratch);
}

/**
 * c = act(a . b + bias) on raw pointers, row-major c [m, n]; accumulate adds
 * to what c holds. Used by matmul and by the convolutions' chunks. Big
 * products are shared across threads: by blocks of rows (each thread packs
 * all of b), or for a short, wide c by blocks of columns. Every element is
 * summed in the same order either way, so the result does not depend on the
 * thread count.
 */
export function gemm(ctx: WasmContext, a: number, b: number, c: number, m: number, n: number, k: number,
  transposeA: boolean, transposeB: boolean, bias: number, activation: FusedActivation, accumulate = false): void {
  const perRow = n * k;
  const perCol = m * k;
  const threads = ctx.threads;
  if (threads > 1 && perRow > 0 && m >= 32 * threads) {
    const rows = ctx.split(m, Math.ceil(ctx.minWorkPerThread / perRow), 4);
    if (rows.length > 1) {
      // The strides are the whole a's (a transposed a's rows are m apart), the block only starts further on.
      const { aRow, aCol, bRow, bCol } = layout(m, n, k, transposeA, transposeB);
      const act = activationCode(activation);
      ctx.parallel(rows.map(([lo, hi]) => {
        const scratch = ctx.scratch(ctx.exports.gemmScratchBytes(hi - lo, n, k));
        return [call('gemm', a + 4 * lo * aRow, b, c + 4 * lo * n, hi - lo, n, k, aRow, aCol, bRow, bCol, bias, act, accumulate, scratch)];
      }));
      return;
    }
  }
  if (threads > 1 && perCol > 0) {
    const cols = ctx.split(n, Math.ceil(ctx.minWorkPerThread / perCol), 8);
    if (cols.length > 1) {
      const { aRow, aCol, bRow, bCol } = layout(m, n, k, transposeA, transposeB);
      const act = activationCode(activation);
      ctx.parallel(cols.map(([lo, hi]) => {
        const scratch = ctx.scratch(ctx.exports.gemmScratchBytes(m, hi - lo, k));
        return [call('gemmStrided', a, b + 4 * lo * bCol, c + 4 * lo, m, hi - lo, k, aRow, aCol, bRow, bCol, bias ? bias + 4 * lo : 0, act, accumulate, scratch, n)];
      }));
      return;
    }
  }
  ctx.parallel([[gemmCall(ctx, a, b, c, m, n, k, transposeA, transposeB, bias, activation, accumulate)]]);
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
