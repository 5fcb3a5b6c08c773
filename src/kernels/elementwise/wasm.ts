// The element-wise kernels on the wasm backend: unary, the broadcasting
// binary and where, and sumToShape. Kernels: src/backend/wasm/assembly/elementwise.ts.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { sizeOf } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from './codes.js';
import { broadcastShape, broadcastStrides } from './broadcast.js';

export function unary(ctx: WasmContext, x: Tensor, op: UnaryOp, alpha: number, beta: number): Tensor {
  const y = ctx.output(x.shape, 'unary');
  ctx.exports.unary(ctx.ptr(x), ctx.ptr(y), x.size, UNARY_OPS.indexOf(op), alpha, beta);
  return y;
}

/**
 * The broadcast of `inputs` to `out` as few axes as it takes: axes of length
 * 1 dropped, and each axis merged into the one after it where every input
 * walks the two as one (contiguous, or broadcast along both). The last axis
 * is then the longest run the kernel can stream, each input's step 0 or 1.
 */
export function collapse(out: Shape, inputs: readonly Shape[]): { shape: number[]; strides: number[][] } {
  const full = inputs.map((s) => broadcastStrides(s, out));
  const shape: number[] = [];
  const strides: number[][] = inputs.map(() => []);
  for (let k = out.length - 1; k >= 0; k--) {
    if (out[k] === 1) continue;
    if (shape.length > 0 && full.every((f, j) => f[k] === strides[j][0] * shape[0])) {
      shape[0] *= out[k];
      continue;
    }
    shape.unshift(out[k]);
    full.forEach((f, j) => strides[j].unshift(f[k]));
  }
  return shape.length > 0 ? { shape, strides } : { shape: [1], strides: inputs.map(() => [0]) };
}

/**
 * The kernels' walk table in scratch: the shape, a stride row per input, a
 * counter row and an offset per input (the last two the kernel's own).
 */
function walkTable(ctx: WasmContext, out: Shape, inputs: readonly Shape[]): { rank: number; table: number } {
  const { shape, strides } = collapse(out, inputs);
  const rank = shape.length;
  const values = [...shape, ...strides.flat(), ...new Array<number>(rank + inputs.length).fill(0)];
  const table = ctx.scratch(4 * values.length);
  new Int32Array(ctx.f32().buffer, table, values.length).set(values);
  return { rank, table };
}

export function binary(ctx: WasmContext, a: Tensor, b: Tensor, op: BinaryOp): Tensor {
  const out = broadcastShape('binary', a.shape, b.shape);
  const c = ctx.output(out, 'binary');
  if (sizeOf(out) === 0) return c;
  const { rank, table } = walkTable(ctx, out, [a.shape, b.shape]);
  ctx.exports.binary(ctx.ptr(a), ctx.ptr(b), ctx.ptr(c), BINARY_OPS.indexOf(op), rank, table);
  return c;
}

export function where(ctx: WasmContext, condition: Tensor, a: Tensor, b: Tensor): Tensor {
  const out = broadcastShape('where', broadcastShape('where', condition.shape, a.shape), b.shape);
  const y = ctx.output(out, 'where');
  if (sizeOf(out) === 0) return y;
  const { rank, table } = walkTable(ctx, out, [condition.shape, a.shape, b.shape]);
  ctx.exports.where(ctx.ptr(condition), ctx.ptr(a), ctx.ptr(b), ctx.ptr(y), rank, table);
  return y;
}

/** The walk is over x's shape with y's strides; the sums are f64 (scratch). */
export function sumToShape(ctx: WasmContext, x: Tensor, shape: Shape): Tensor {
  const y = ctx.output(shape, 'sumToShape');
  const size = sizeOf(shape);
  if (size === 0) return y;
  if (x.size === 0) {
    ctx.values(y).fill(0);
    return y;
  }
  const sums = ctx.scratch(8 * size);
  const { rank, table } = walkTable(ctx, x.shape, [shape]);
  ctx.exports.sumToShape(ctx.ptr(x), ctx.ptr(y), size, rank, table, sums);
  return y;
}
