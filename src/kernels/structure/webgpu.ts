// Structural kernels: zero padding and its crop, add and scale, concatenation
// along the last axis and its split, row gathering, the full sum.
// Shaders: pad2d.wgsl, add.wgsl, scale.wgsl, columns.wgsl, gatherRows.wgsl, sum.wgsl.

import type { ExplicitPadding } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import padCode from '../../../shaders/pad2d.wgsl?raw';
import columnsCode from '../../../shaders/columns.wgsl?raw';
import gatherCode from '../../../shaders/gatherRows.wgsl?raw';
import sumCode from '../../../shaders/sum.wgsl?raw';
import addCode from '../../../shaders/add.wgsl?raw';
import scaleCode from '../../../shaders/scale.wgsl?raw';

/** small_h, small_w: the unpadded image; big_h, big_w: the padded one; total: element count of the output. */
const padUniforms = {
  small_h: 'u32', small_w: 'u32', big_h: 'u32', big_w: 'u32', c: 'u32', top: 'u32', left: 'u32', total: 'u32',
} as const;
/** width: columns of the narrow matrix; total: of the wide one; offset: the block's first column in the wide one. */
const columnsUniforms = { rows: 'u32', width: 'u32', total: 'u32', offset: 'u32' } as const;
/** rowSize: elements per row (product of all axes but the first); total: indices.length * rowSize. */
const gatherUniforms = { rowSize: 'u32', total: 'u32' } as const;
/** n: element count; the sum is multiplied by scale. */
const sumUniforms = { n: 'u32', scale: 'f32' } as const;
const addUniforms = { n: 'u32' } as const;
/** s: the factor. */
const scaleUniforms = { n: 'u32', s: 'f32' } as const;

const padSpec: PipelineSpec<typeof padUniforms> = { name: 'pad2d', code: padCode, uniforms: padUniforms, constants: { CROP: 0 } };
const cropSpec: PipelineSpec<typeof padUniforms> = { ...padSpec, constants: { CROP: 1 } };
const writeSliceSpec: PipelineSpec<typeof columnsUniforms> =
  { name: 'columns', code: columnsCode, uniforms: columnsUniforms, constants: { SLICE: 0 } };
const readSliceSpec: PipelineSpec<typeof columnsUniforms> =
  { name: 'columns', code: columnsCode, uniforms: columnsUniforms, constants: { SLICE: 1 } };
const gatherSpec: PipelineSpec<typeof gatherUniforms> = { name: 'gatherRows', code: gatherCode, uniforms: gatherUniforms };
export const sumSpec: PipelineSpec<typeof sumUniforms> = { name: 'sum', code: sumCode, uniforms: sumUniforms };
const addSpec: PipelineSpec<typeof addUniforms> = { name: 'add', code: addCode, uniforms: addUniforms };
const scaleSpec: PipelineSpec<typeof scaleUniforms> = { name: 'scale', code: scaleCode, uniforms: scaleUniforms };

export const pipelines: readonly PipelineSpec[] = [padSpec, cropSpec, writeSliceSpec, readSliceSpec, gatherSpec, sumSpec, addSpec, scaleSpec];

type PadValues = UniformValues<typeof padUniforms>;

function padParams(small: readonly number[], big: readonly number[], pads: ExplicitPadding, total: number): PadValues {
  return {
    small_h: small[1], small_w: small[2], big_h: big[1], big_w: big[2], c: small[3], top: pads[0][0], left: pads[1][0], total,
  };
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
    ctx.run1d(writeSliceSpec, { rows, width: widths[k], total, offset }, [buf(t), buf(y)], t.size);
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
    ctx.run1d(readSliceSpec, { rows, width, total, offset }, [buf(dy), buf(part)], part.size);
    offset += width;
    return part;
  });
}

export function gatherRows(ctx: GpuContext, x: Tensor, indices: Int32Array): Tensor {
  const rowSize = x.size / x.shape[0];
  const y = ctx.output([indices.length, ...x.shape.slice(1)], 'gatherRows');
  if (y.size === 0) return y;
  const idx = ctx.scratchFrom(indices, 'gatherRows indices');
  ctx.run1d(gatherSpec, { rowSize, total: y.size }, [buf(x), idx, buf(y)], y.size);
  ctx.release(idx);
  return y;
}

export function sum(ctx: GpuContext, x: Tensor): Tensor {
  const y = ctx.output([], 'sum');
  ctx.run(sumSpec, { n: x.size, scale: 1 }, [buf(x), buf(y)], [1]);
  return y;
}

export function add(ctx: GpuContext, a: Tensor, b: Tensor): Tensor {
  const c = ctx.output(a.shape, 'add');
  ctx.run1d(addSpec, { n: a.size }, [buf(a), buf(b), buf(c)], a.size);
  return c;
}

export function scale(ctx: GpuContext, x: Tensor, s: number): Tensor {
  const y = ctx.output(x.shape, 'scale');
  ctx.run1d(scaleSpec, { n: x.size, s }, [buf(x), buf(y)], x.size);
  return y;
}
