// Structural kernels: zero padding and its crop, add and scale, concatenation
// along the last axis and its split, row gathering, the full sum.
// Shaders: pad2d.wgsl, add.wgsl, scale.wgsl, columns.wgsl, gatherRows.wgsl, sum.wgsl.

import type { ExplicitPadding } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, Params, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import padCode from '../../../shaders/pad2d.wgsl?raw';
import columnsCode from '../../../shaders/columns.wgsl?raw';
import gatherCode from '../../../shaders/gatherRows.wgsl?raw';
import sumCode from '../../../shaders/sum.wgsl?raw';
import addCode from '../../../shaders/add.wgsl?raw';
import scaleCode from '../../../shaders/scale.wgsl?raw';

const padSpec: PipelineSpec = { name: 'pad2d', code: padCode, constants: { CROP: 0 } };
const cropSpec: PipelineSpec = { name: 'pad2d', code: padCode, constants: { CROP: 1 } };
const writeSliceSpec: PipelineSpec = { name: 'columns', code: columnsCode, constants: { SLICE: 0 } };
const readSliceSpec: PipelineSpec = { name: 'columns', code: columnsCode, constants: { SLICE: 1 } };
const gatherSpec: PipelineSpec = { name: 'gatherRows', code: gatherCode };
export const sumSpec: PipelineSpec = { name: 'sum', code: sumCode };
const addSpec: PipelineSpec = { name: 'add', code: addCode };
const scaleSpec: PipelineSpec = { name: 'scale', code: scaleCode };

export const pipelines: readonly PipelineSpec[] = [padSpec, cropSpec, writeSliceSpec, readSliceSpec, gatherSpec, sumSpec, addSpec, scaleSpec];

function padParams(small: readonly number[], big: readonly number[], pads: ExplicitPadding, total: number): Params {
  return new Params().u32(small[1]).u32(small[2]).u32(big[1]).u32(big[2])
    .u32(small[3]).u32(pads[0][0]).u32(pads[1][0]).u32(total);
}

export function zeroPad2d(ctx: GpuContext, x: Tensor, pads: ExplicitPadding): Tensor {
  const [n, h, w, c] = x.shape;
  const y = ctx.output([n, h + pads[0][0] + pads[0][1], w + pads[1][0] + pads[1][1], c], 'zeroPad2d');
  ctx.run1d(padSpec, padParams(x.shape, y.shape, pads, y.size), [buf(x), buf(y)], y.size);
  return y;
}

export function zeroPad2dBackward(ctx: GpuContext, dy: Tensor, pads: ExplicitPadding): Tensor {
  const [n, bh, bw, c] = dy.shape;
  const dx = ctx.output([n, bh - pads[0][0] - pads[0][1], bw - pads[1][0] - pads[1][1], c], 'zeroPad2dBackward');
  ctx.run1d(cropSpec, padParams(dx.shape, dy.shape, pads, dx.size), [buf(dy), buf(dx)], dx.size);
  return dx;
}

/** One dispatch per input, each writing its own column slice. */
export function concat(ctx: GpuContext, xs: readonly Tensor[]): Tensor {
  const widths = xs.map((t) => t.shape[t.rank - 1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const rows = xs[0].size / widths[0];
  const y = ctx.output([...xs[0].shape.slice(0, -1), total], 'concat');
  let offset = 0;
  xs.forEach((t, k) => {
    ctx.run1d(writeSliceSpec, new Params().u32(rows).u32(widths[k]).u32(total).u32(offset), [buf(t), buf(y)], t.size);
    offset += widths[k];
  });
  return y;
}

export function concatBackward(ctx: GpuContext, dy: Tensor, sizes: readonly number[]): Tensor[] {
  const total = dy.shape[dy.rank - 1];
  const rows = dy.size / total;
  let offset = 0;
  return sizes.map((width) => {
    const part = ctx.output([...dy.shape.slice(0, -1), width], 'concatBackward');
    ctx.run1d(readSliceSpec, new Params().u32(rows).u32(width).u32(total).u32(offset), [buf(dy), buf(part)], part.size);
    offset += width;
    return part;
  });
}

export function gatherRows(ctx: GpuContext, x: Tensor, indices: Int32Array): Tensor {
  const rowSize = x.size / x.shape[0];
  const y = ctx.output([indices.length, ...x.shape.slice(1)], 'gatherRows');
  if (y.size === 0) return y;
  const idx = ctx.scratchFrom(indices, 'gatherRows indices');
  ctx.run1d(gatherSpec, new Params().u32(rowSize).u32(y.size), [buf(x), idx, buf(y)], y.size);
  ctx.release(idx);
  return y;
}

export function sum(ctx: GpuContext, x: Tensor): Tensor {
  const y = ctx.output([], 'sum');
  ctx.run(sumSpec, new Params().u32(x.size).f32(1), [buf(x), buf(y)], [1]);
  return y;
}

export function add(ctx: GpuContext, a: Tensor, b: Tensor): Tensor {
  const c = ctx.output(a.shape, 'add');
  ctx.run1d(addSpec, new Params().u32(a.size), [buf(a), buf(b), buf(c)], a.size);
  return c;
}

export function scale(ctx: GpuContext, x: Tensor, s: number): Tensor {
  const y = ctx.output(x.shape, 'scale');
  ctx.run1d(scaleSpec, new Params().u32(x.size).f32(s), [buf(x), buf(y)], x.size);
  return y;
}
