// Maxout and its backward on the wasm backend
// (src/backend/wasm/assembly/maxout.ts): x seen as [outer, group, units *
// inner], so each unit's candidates are contiguous blocks and the maximum
// runs four elements per lane group. Memory-bound, so one thread.

import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { maxoutLayout } from './layout.js';

export function maxout(ctx: WasmContext, x: Tensor, numUnits: number, axis: number): Tensor {
  const l = maxoutLayout(x.shape, numUnits, axis);
  const y = ctx.output(l.outShape, 'maxout');
  // An empty axis has no candidates: the reference reads past x and gets NaN.
  if (l.group === 0) ctx.values(y).fill(NaN);
  else ctx.exports.maxout(ctx.ptr(x), ctx.ptr(y), l.outer, l.group, l.units * l.inner);
  return y;
}

export function maxoutBackward(ctx: WasmContext, dy: Tensor, x: Tensor, numUnits: number, axis: number): Tensor {
  const l = maxoutLayout(x.shape, numUnits, axis);
  const dx = ctx.output(x.shape, 'maxoutBackward');
  if (x.size > 0) ctx.exports.maxoutBackward(ctx.ptr(dy), ctx.ptr(x), ctx.ptr(dx), l.outer, l.group, l.units * l.inner);
  return dx;
}
