// The layout kernels on the wasm backend: the strided copy, concatenation
// along any axis, the sum of tiles, gather along an axis and its scatter-add,
// and one-hot rows. The bindings reduce each shape to the few rows the kernels
// walk (copyTable.ts); the kernels never see a plan. Kernels:
// src/backend/wasm/assembly/layout.ts (concatenation: structure.ts's concatPart).

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { sizeOf } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import type { CopyPlan } from './plan.js';
import { gatherDims } from './gatherDims.js';
import { copyRows, tileSumRows } from './copyTable.js';

/** An i32 table in scratch (taken before any view of the memory). */
function table(ctx: WasmContext, values: readonly number[]): number {
  const ptr = ctx.scratch(4 * values.length);
  new Int32Array(ctx.f32().buffer, ptr, values.length).set(values);
  return ptr;
}

export function stridedCopy(ctx: WasmContext, x: Tensor, plan: CopyPlan): Tensor {
  const y = ctx.output(plan.shape, 'stridedCopy');
  if (y.size === 0) return y;
  const { rows, offset } = copyRows(x.shape, plan);
  const t = table(ctx, rows.flat());
  ctx.exports.stridedCopy(ctx.ptr(x) + 4 * offset, ctx.ptr(y), rows.length, t, plan.fill);
  return y;
}

/** Each input's blocks go to their slot of every output row (the axes before `axis` make the rows). */
export function concatAxis(ctx: WasmContext, xs: readonly Tensor[], axis: number): Tensor {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((s, t) => s + t.shape[axis], 0);
  const y = ctx.output(shape, 'concatAxis');
  if (y.size === 0) return y;
  const rows = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  let start = 0;
  for (const t of xs) {
    const width = t.shape[axis] * inner;
    if (width > 0) ctx.exports.concatPart(ctx.ptr(t), ctx.ptr(y), rows, width, shape[axis] * inner, start * inner);
    start += t.shape[axis];
  }
  return y;
}

export function tileSum(ctx: WasmContext, dy: Tensor, xShape: Shape): Tensor {
  const dx = ctx.output(xShape, 'tileSum');
  if (dx.size === 0) return dx;
  const rows = tileSumRows(dy.shape, xShape);
  const t = table(ctx, rows.flat());
  ctx.exports.tileSum(ctx.ptr(dy), ctx.ptr(dx), dx.size, rows.length, t);
  return dx;
}

/** The indices are checked before the output is made, so a bad one throws with nothing allocated. */
export function gatherAxis(ctx: WasmContext, x: Tensor, indices: Tensor, axis: number, batchDims: number): Tensor {
  const { batch, outer, dim, inner, count, shape } = gatherDims(x.shape, indices.shape, axis, batchDims);
  const bad = ctx.exports.firstIndexOutside(ctx.ptr(indices), indices.size, dim);
  if (bad >= 0) throw new Error(`gather: the index value ${ctx.values(indices)[bad]} is not in [0, ${dim - 1}]`);
  const y = ctx.output(shape, 'gatherAxis');
  if (y.size === 0) return y;
  ctx.exports.gatherAxis(ctx.ptr(x), ctx.ptr(indices), ctx.ptr(y), batch, outer, dim, inner, count);
  return y;
}

export function gatherAxisBackward(ctx: WasmContext, dy: Tensor, indices: Tensor, xShape: Shape, axis: number, batchDims: number): Tensor {
  const { batch, outer, dim, inner, count } = gatherDims(xShape, indices.shape, axis, batchDims);
  const dx = ctx.output(xShape, 'gatherAxisBackward');
  if (dx.size === 0) return dx;
  ctx.exports.gatherAxisBackward(ctx.ptr(dy), ctx.ptr(indices), ctx.ptr(dx), batch, outer, dim, inner, count);
  return dx;
}

export function oneHotRows(ctx: WasmContext, indices: Tensor, depth: number, on: number, off: number): Tensor {
  const y = ctx.output([...indices.shape, depth], 'oneHotRows');
  if (y.size === 0) return y;
  ctx.exports.oneHotRows(ctx.ptr(indices), ctx.ptr(y), indices.size, depth, on, off);
  return y;
}
