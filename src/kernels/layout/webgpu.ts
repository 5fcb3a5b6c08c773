// WebGPU programs of the layout kernels. Shapes of any rank reach the shaders
// as small constant tables keyed by their numbers (uniforms are scalars).
// Shaders: stridedCopy.wgsl, tileSum.wgsl, gather.wgsl.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { sizeOf } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import { stridesOf, type AxisRead, type CopyPlan } from './plan.js';
import { gatherDims } from './gatherDims.js';
import copyCode from '../../../shaders/stridedCopy.wgsl?raw';
import tileSumCode from '../../../shaders/tileSum.wgsl?raw';
import gatherCode from '../../../shaders/gather.wgsl?raw';

/** rank: iteration axes; total: iteration elements; offset: where the first one goes in the output. */
const copyUniforms = { rank: 'u32', total: 'u32', offset: 'u32' } as const;
/** total: dx's elements; tiles: how many tiles dy holds. */
const tileSumUniforms = { rank: 'u32', total: 'u32', tiles: 'u32' } as const;
/** x as [batch, outer, dim, inner], indices as [batch, count]; on and off: oneHot's values. */
const gatherUniforms = {
  outer: 'u32', dim: 'u32', count: 'u32', inner: 'u32', total: 'u32', on: 'f32', off: 'f32',
} as const;

const copySpec: PipelineSpec<typeof copyUniforms> = { name: 'stridedCopy', code: copyCode, uniforms: copyUniforms };
const tileSumSpec: PipelineSpec<typeof tileSumUniforms> = { name: 'tileSum', code: tileSumCode, uniforms: tileSumUniforms };
const gatherSpec: PipelineSpec<typeof gatherUniforms> = { name: 'gather', code: gatherCode, uniforms: gatherUniforms, constants: { MODE: 0 } };
const scatterSpec: PipelineSpec<typeof gatherUniforms> = { ...gatherSpec, constants: { MODE: 1 } };
const oneHotSpec: PipelineSpec<typeof gatherUniforms> = { ...gatherSpec, constants: { MODE: 2 } };

export const pipelines: readonly PipelineSpec[] = [copySpec, tileSumSpec, gatherSpec, scatterSpec, oneHotSpec];

/** The fill value's bits, as the table's first entry (so that -Infinity pads too). */
function fillBits(fill: number): number {
  return new Int32Array(Float32Array.of(fill).buffer)[0];
}

/**
 * Records one strided copy: iterate over `shape`, read x as `axes` say, write
 * at offset + sum(c * outStrides).
 */
function copy(
  ctx: GpuContext, x: Tensor, y: Tensor, shape: Shape, axes: readonly AxisRead[], fill: number, outStrides: readonly number[], offset: number,
): void {
  const total = sizeOf(shape);
  if (total === 0) return;
  const inStrides = stridesOf(x.shape);
  const values = [fillBits(fill)];
  axes.forEach((a, d) => values.push(shape[d], a.wrap, a.step, a.shift, x.shape[a.from], inStrides[a.from], outStrides[d]));
  const table = ctx.constant(`stridedCopy ${values.join(',')}`, () => Int32Array.from(values));
  ctx.run1d(copySpec, { rank: shape.length, total, offset }, [table, buf(x), buf(y)], total);
}

export function stridedCopy(ctx: GpuContext, x: Tensor, plan: CopyPlan): Tensor {
  const y = ctx.output(plan.shape, 'stridedCopy');
  copy(ctx, x, y, plan.shape, plan.axes, plan.fill, stridesOf(plan.shape), 0);
  return y;
}

/** One copy per input, each into its slot of the output. */
export function concatAxis(ctx: GpuContext, xs: readonly Tensor[], axis: number): Tensor {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((s, t) => s + t.shape[axis], 0);
  const y = ctx.output(shape, 'concatAxis');
  const outStrides = stridesOf(shape);
  let start = 0;
  for (const t of xs) {
    const identity = t.shape.map((n, d): AxisRead => ({ from: d, wrap: Math.max(1, n), step: 1, shift: 0 }));
    copy(ctx, t, y, t.shape, identity, 0, outStrides, start * outStrides[axis]);
    start += t.shape[axis];
  }
  return y;
}

export function tileSum(ctx: GpuContext, dy: Tensor, xShape: Shape): Tensor {
  const dx = ctx.output(xShape, 'tileSum');
  if (dx.size === 0) return dx;
  const dyStrides = stridesOf(dy.shape);
  const reps = xShape.map((n, d) => dy.shape[d] / n);
  const values = xShape.flatMap((n, d) => [n, reps[d], dyStrides[d]]);
  const table = ctx.constant(`tileSum ${values.join(',')}`, () => Uint32Array.from(values));
  ctx.run1d(tileSumSpec, { rank: xShape.length, total: dx.size, tiles: sizeOf(reps) }, [table, buf(dy), buf(dx)], dx.size);
  return dx;
}

export function gatherAxis(ctx: GpuContext, x: Tensor, indices: Tensor, axis: number, batchDims: number): Tensor {
  const { outer, dim, inner, count, shape } = gatherDims(x.shape, indices.shape, axis, batchDims);
  const y = ctx.output(shape, 'gatherAxis');
  if (y.size === 0) return y;
  ctx.run1d(gatherSpec, { outer, dim, count, inner, total: y.size, on: 0, off: 0 }, [buf(indices), buf(x), buf(y)], y.size);
  return y;
}

export function gatherAxisBackward(ctx: GpuContext, dy: Tensor, indices: Tensor, xShape: Shape, axis: number, batchDims: number): Tensor {
  const { outer, dim, inner, count } = gatherDims(xShape, indices.shape, axis, batchDims);
  const dx = ctx.output(xShape, 'gatherAxisBackward');
  if (dx.size === 0) return dx;
  // With no indices the loop adds nothing and dx is zeros.
  ctx.run1d(scatterSpec, { outer, dim, count, inner, total: dx.size, on: 0, off: 0 }, [buf(indices), buf(dy), buf(dx)], dx.size);
  return dx;
}

export function oneHotRows(ctx: GpuContext, indices: Tensor, depth: number, on: number, off: number): Tensor {
  const y = ctx.output([...indices.shape, depth], 'oneHotRows');
  if (y.size === 0) return y;
  // This mode reads no x; indices stands in for it in the binding.
  ctx.run1d(oneHotSpec, { outer: 1, dim: depth, count: 1, inner: 1, total: y.size, on, off }, [buf(indices), buf(indices), buf(y)], y.size);
  return y;
}
