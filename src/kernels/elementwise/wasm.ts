// The element-wise kernels on the wasm backend: unary and the broadcasting
// binary. Kernels: src/backend/wasm/assembly/elementwise.ts. where and
// sumToShape run their CPU reference here.

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
 * The broadcast as few axes as it takes: axes of length 1 dropped, and each
 * axis merged into the one after it where both inputs walk the two as one
 * (contiguous, or broadcast along both). The last axis is then the longest
 * run the kernel can stream, with strides 0 or 1.
 */
export function collapse(out: Shape, a: Shape, b: Shape): { shape: number[]; sa: number[]; sb: number[] } {
  const fa = broadcastStrides(a, out);
  const fb = broadcastStrides(b, out);
  const shape: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let k = out.length - 1; k >= 0; k--) {
    if (out[k] === 1) continue;
    const g = shape.length > 0 ? 0 : -1;
    if (g === 0 && fa[k] === sa[0] * shape[0] && fb[k] === sb[0] * shape[0]) {
      shape[0] *= out[k];
      continue;
    }
    shape.unshift(out[k]);
    sa.unshift(fa[k]);
    sb.unshift(fb[k]);
  }
  return shape.length > 0 ? { shape, sa, sb } : { shape: [1], sa: [0], sb: [0] };
}

export function binary(ctx: WasmContext, a: Tensor, b: Tensor, op: BinaryOp): Tensor {
  const out = broadcastShape('binary', a.shape, b.shape);
  const c = ctx.output(out, 'binary');
  if (sizeOf(out) === 0) return c;
  const { shape, sa, sb } = collapse(out, a.shape, b.shape);
  const rank = shape.length;
  // Shape, strides of a and b, and the kernel's counter row.
  const table = ctx.scratch(16 * rank);
  new Int32Array(ctx.f32().buffer, table, 4 * rank).set([...shape, ...sa, ...sb, ...new Array<number>(rank).fill(0)]);
  ctx.exports.binary(ctx.ptr(a), ctx.ptr(b), ctx.ptr(c), BINARY_OPS.indexOf(op), rank, table);
  return c;
}
