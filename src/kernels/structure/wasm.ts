// Structural kernels on the wasm backend: zero padding and its crop, add,
// scale, concatenation along the last axis and its split, row gathering and
// the full sum. Kernels: src/backend/wasm/assembly/structure.ts.

import type { ExplicitPadding } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';

export function zeroPad2d(ctx: WasmContext, x: Tensor, pads: ExplicitPadding): Tensor {
  const [n, h, w, c] = x.shape;
  const [[top, bottom], [left, right]] = pads;
  const y = ctx.output([n, h + top + bottom, w + left + right, c], 'zeroPad2d');
  ctx.exports.zeroPad2d(ctx.ptr(x), ctx.ptr(y), n, h, w, c, top, bottom, left, right);
  return y;
}

export function zeroPad2dBackward(ctx: WasmContext, dy: Tensor, pads: ExplicitPadding): Tensor {
  const [n, oh, ow, c] = dy.shape;
  const [[top, bottom], [left, right]] = pads;
  const dx = ctx.output([n, oh - top - bottom, ow - left - right, c], 'zeroPad2dBackward');
  ctx.exports.zeroPad2dBackward(ctx.ptr(dy), ctx.ptr(dx), n, oh, ow, c, top, bottom, left, right);
  return dx;
}

export function add(ctx: WasmContext, a: Tensor, b: Tensor): Tensor {
  const c = ctx.output(a.shape, 'add');
  ctx.exports.add(ctx.ptr(a), ctx.ptr(b), ctx.ptr(c), a.size);
  return c;
}

export function scale(ctx: WasmContext, x: Tensor, s: number): Tensor {
  const y = ctx.output(x.shape, 'scale');
  ctx.exports.scale(ctx.ptr(x), ctx.ptr(y), x.size, s);
  return y;
}

/** Each input's rows go side by side into the output's rows, one call per input. */
export function concat(ctx: WasmContext, xs: readonly Tensor[]): Tensor {
  const widths = xs.map((t) => t.shape[t.rank - 1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const rows = widths[0] === 0 ? 0 : xs[0].size / widths[0];
  const y = ctx.output([...xs[0].shape.slice(0, -1), total], 'concat');
  let offset = 0;
  xs.forEach((t, k) => {
    ctx.exports.concatPart(ctx.ptr(t), ctx.ptr(y), rows, widths[k], total, offset);
    offset += widths[k];
  });
  return y;
}

export function concatBackward(ctx: WasmContext, dy: Tensor, sizes: readonly number[]): Tensor[] {
  const total = dy.shape[dy.rank - 1];
  const rows = dy.size / total;
  let offset = 0;
  return sizes.map((wk) => {
    const part = ctx.output([...dy.shape.slice(0, -1), wk], 'concatBackward');
    ctx.exports.splitPart(ctx.ptr(dy), ctx.ptr(part), rows, wk, total, offset);
    offset += wk;
    return part;
  });
}

/** Whole rows are contiguous: a copy within the memory per index, no kernel needed. */
export function gatherRows(ctx: WasmContext, x: Tensor, indices: Int32Array): Tensor {
  const row = x.shape[0] === 0 ? 0 : x.size / x.shape[0];
  const y = ctx.output([indices.length, ...x.shape.slice(1)], 'gatherRows');
  const mem = ctx.f32();
  const from = ctx.ptr(x) >>> 2;
  const to = ctx.ptr(y) >>> 2;
  indices.forEach((r, i) => mem.copyWithin(to + i * row, from + r * row, from + (r + 1) * row));
  return y;
}

export function sum(ctx: WasmContext, x: Tensor): Tensor {
  const out = ctx.output([], 'sum');
  ctx.exports.sum(ctx.ptr(x), ctx.ptr(out), x.size);
  return out;
}
