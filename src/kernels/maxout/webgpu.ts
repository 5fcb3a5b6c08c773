// Maxout and its backward on WebGPU (shaders/maxout.wgsl, maxoutBackward.wgsl):
// the forward an invocation per output, the backward one per input element,
// which finds its unit's first maximum and takes dy there (no atomics).

import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import maxoutCode from '../../../shaders/maxout.wgsl?raw';
import maxoutBackwardCode from '../../../shaders/maxoutBackward.wgsl?raw';
import { maxoutLayout, type MaxoutLayout } from './layout.js';

/** x as [outer, c, inner], c = group * units; total: the invocation count. */
const maxoutUniforms = { c: 'u32', inner: 'u32', units: 'u32', group: 'u32', total: 'u32' } as const;
const maxoutSpec: PipelineSpec<typeof maxoutUniforms> = { name: 'maxout', code: maxoutCode, uniforms: maxoutUniforms };
const maxoutBackwardSpec: PipelineSpec<typeof maxoutUniforms> = { name: 'maxoutBackward', code: maxoutBackwardCode, uniforms: maxoutUniforms };

export const pipelines: readonly PipelineSpec[] = [maxoutSpec, maxoutBackwardSpec];

function params(l: MaxoutLayout, total: number): UniformValues<typeof maxoutUniforms> {
  return { c: l.c, inner: l.inner, units: l.units, group: l.group, total };
}

export function maxout(ctx: GpuContext, x: Tensor, numUnits: number, axis: number): Tensor {
  const l = maxoutLayout(x.shape, numUnits, axis);
  const y = ctx.output(l.outShape, 'maxout');
  ctx.run1d(maxoutSpec, params(l, y.size), [buf(x), buf(y)], y.size);
  return y;
}

export function maxoutBackward(ctx: GpuContext, dy: Tensor, x: Tensor, numUnits: number, axis: number): Tensor {
  const l = maxoutLayout(x.shape, numUnits, axis);
  const dx = ctx.output(x.shape, 'maxoutBackward');
  ctx.run1d(maxoutBackwardSpec, params(l, x.size), [buf(dy), buf(x), buf(dx)], x.size);
  return dx;
}
