// Max, average, min, sum and L2-norm pooling and their backward passes.
// Shaders: maxPool2d.wgsl, maxPool2dBackward.wgsl (min pooling too, as their MIN variant),
// avgPool2d.wgsl, avgPool2dBackward.wgsl, sumPool2d.wgsl, sumPool2dBackward.wgsl (L2 too, as L2).
// The backward kernels gather per input element, or write per window when windows are disjoint (no atomics).

import type { Pool2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { windowGeometry, type WindowGeometry } from '../geometry.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import maxCode from '../../../shaders/maxPool2d.wgsl?raw';
import maxBackwardCode from '../../../shaders/maxPool2dBackward.wgsl?raw';
import avgCode from '../../../shaders/avgPool2d.wgsl?raw';
import avgBackwardCode from '../../../shaders/avgPool2dBackward.wgsl?raw';
import sumCode from '../../../shaders/sumPool2d.wgsl?raw';
import sumBackwardCode from '../../../shaders/sumPool2dBackward.wgsl?raw';

// The uniforms all six shaders share. total: the invocation count, per output (pixel, channel group)
// for the forwards and a PER_WINDOW backward, per input (pixel, channel group) for a gathering backward.
const poolUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32',
  oh: 'u32', ow: 'u32', kh: 'u32', kw: 'u32',
  sh: 'u32', sw: 'u32', padTop: 'u32', padLeft: 'u32',
  total: 'u32',
} as const;
type PoolSpec = PipelineSpec<typeof poolUniforms>;

// Max pooling runs one invocation per pixel and channel, or per pixel and four channels as vec4s (VEC4).
const maxSpecs = [0, 1].map((v): PoolSpec => ({ name: 'maxPool2d', code: maxCode, uniforms: poolUniforms, constants: { VEC4: v } }));
// Its backward: a gather per input pixel, or per window when windows do not overlap (PER_WINDOW).
const maxBackwardSpec = (vec4: boolean, perWindow: boolean): PoolSpec => ({
  name: 'maxPool2dBackward', code: maxBackwardCode, uniforms: poolUniforms, constants: { VEC4: +vec4, PER_WINDOW: +perWindow },
});
const maxBackwardSpecs = [false, true].flatMap((v) => [false, true].map((w) => maxBackwardSpec(v, w)));
// Min pooling: the max shaders scanning -x (MIN), as variants named minPool2d and minPool2dBackward.
const minSpecs = [0, 1].map((v): PoolSpec => ({ name: 'minPool2d', code: maxCode, uniforms: poolUniforms, constants: { VEC4: v, MIN: 1 } }));
const minBackwardSpec = (vec4: boolean, perWindow: boolean): PoolSpec => ({
  name: 'minPool2dBackward', code: maxBackwardCode, uniforms: poolUniforms, constants: { VEC4: +vec4, PER_WINDOW: +perWindow, MIN: 1 },
});
const minBackwardSpecs = [false, true].flatMap((v) => [false, true].map((w) => minBackwardSpec(v, w)));
const lanesOf = (c: number): 1 | 4 => (c % 4 === 0 ? 4 : 1);
const avgSpec: PoolSpec = { name: 'avgPool2d', code: avgCode, uniforms: poolUniforms };
const avgBackwardSpec: PoolSpec = { name: 'avgPool2dBackward', code: avgBackwardCode, uniforms: poolUniforms };

// Sum pooling, and L2-norm pooling as its L2 variant (named l2Pool2d and l2Pool2dBackward).
const sumSpec: PoolSpec = { name: 'sumPool2d', code: sumCode, uniforms: poolUniforms, constants: { L2: 0 } };
const l2Spec: PoolSpec = { name: 'l2Pool2d', code: sumCode, uniforms: poolUniforms, constants: { L2: 1 } };
const sumBackwardSpec: PoolSpec = { name: 'sumPool2dBackward', code: sumBackwardCode, uniforms: poolUniforms, constants: { L2: 0 } };
const l2BackwardSpec: PoolSpec = { name: 'l2Pool2dBackward', code: sumBackwardCode, uniforms: poolUniforms, constants: { L2: 1 } };

export const pipelines: readonly PipelineSpec[] = [
  ...maxSpecs, ...maxBackwardSpecs, avgSpec, avgBackwardSpec,
  ...minSpecs, ...minBackwardSpecs, sumSpec, sumBackwardSpec, l2Spec, l2BackwardSpec,
];

function geometry(op: string, xShape: Shape, p: Pool2dParams): WindowGeometry {
  return windowGeometry(op, xShape, p.poolSize, p.strides, [1, 1], p.padding);
}

/** The values of poolUniforms; `total` is the invocation count. */
function params(g: WindowGeometry, total: number): UniformValues<typeof poolUniforms> {
  const { n, h, w, c, oh, ow, kh, kw, sh, sw, padTop, padLeft } = g;
  return { n, h, w, c, oh, ow, kh, kw, sh, sw, padTop, padLeft, total };
}

function outShape(g: WindowGeometry): number[] {
  return [g.n, g.oh, g.ow, g.c];
}

export function maxPool2d(ctx: GpuContext, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('maxPool2d', x.shape, p);
  const y = ctx.output(outShape(g), 'maxPool2d');
  const lanes = lanesOf(g.c);
  const count = y.size / lanes;
  ctx.run1d(maxSpecs[+(lanes === 4)], params(g, count), [buf(x), buf(x), buf(y)], count);
  return y;
}

/** Recomputes the arg-max from x (the forward saves nothing). */
export function maxPool2dBackward(ctx: GpuContext, dy: Tensor, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('maxPool2dBackward', x.shape, p);
  const dx = ctx.output(x.shape, 'maxPool2dBackward');
  const lanes = lanesOf(g.c);
  const perWindow = g.sh >= g.kh && g.sw >= g.kw;
  const count = (perWindow ? dy.size : x.size) / lanes;
  ctx.run1d(maxBackwardSpec(lanes === 4, perWindow), params(g, count), [buf(dy), buf(dy), buf(x), buf(x), buf(dx)], count);
  return dx;
}

export function avgPool2d(ctx: GpuContext, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('avgPool2d', x.shape, p);
  const y = ctx.output(outShape(g), 'avgPool2d');
  ctx.run1d(avgSpec, params(g, y.size), [buf(x), buf(y)], y.size);
  return y;
}

export function avgPool2dBackward(ctx: GpuContext, dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor {
  const g = geometry('avgPool2dBackward', xShape, p);
  const dx = ctx.output(xShape, 'avgPool2dBackward');
  ctx.run1d(avgBackwardSpec, params(g, dx.size), [buf(dy), buf(dx)], dx.size);
  return dx;
}

export function minPool2d(ctx: GpuContext, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('minPool2d', x.shape, p);
  const y = ctx.output(outShape(g), 'minPool2d');
  const lanes = lanesOf(g.c);
  const count = y.size / lanes;
  ctx.run1d(minSpecs[+(lanes === 4)], params(g, count), [buf(x), buf(x), buf(y)], count);
  return y;
}

/** Recomputes the first minimum from x, as maxPool2dBackward does the maximum. */
export function minPool2dBackward(ctx: GpuContext, dy: Tensor, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('minPool2dBackward', x.shape, p);
  const dx = ctx.output(x.shape, 'minPool2dBackward');
  const lanes = lanesOf(g.c);
  const perWindow = g.sh >= g.kh && g.sw >= g.kw;
  const count = (perWindow ? dy.size : x.size) / lanes;
  ctx.run1d(minBackwardSpec(lanes === 4, perWindow), params(g, count), [buf(dy), buf(dy), buf(x), buf(x), buf(dx)], count);
  return dx;
}

export function sumPool2d(ctx: GpuContext, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('sumPool2d', x.shape, p);
  const y = ctx.output(outShape(g), 'sumPool2d');
  ctx.run1d(sumSpec, params(g, y.size), [buf(x), buf(y)], y.size);
  return y;
}

export function sumPool2dBackward(ctx: GpuContext, dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor {
  const g = geometry('sumPool2dBackward', xShape, p);
  const dx = ctx.output(xShape, 'sumPool2dBackward');
  // x and y are not read without L2: dy stands in for them.
  ctx.run1d(sumBackwardSpec, params(g, dx.size), [buf(dy), buf(dy), buf(dy), buf(dx)], dx.size);
  return dx;
}

export function l2Pool2d(ctx: GpuContext, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('l2Pool2d', x.shape, p);
  const y = ctx.output(outShape(g), 'l2Pool2d');
  ctx.run1d(l2Spec, params(g, y.size), [buf(x), buf(y)], y.size);
  return y;
}

/** y: the forward's output (each window's norm), so the backward need not recompute it. */
export function l2Pool2dBackward(ctx: GpuContext, dy: Tensor, x: Tensor, y: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('l2Pool2dBackward', x.shape, p);
  const dx = ctx.output(x.shape, 'l2Pool2dBackward');
  ctx.run1d(l2BackwardSpec, params(g, dx.size), [buf(dy), buf(x), buf(y), buf(dx)], dx.size);
  return dx;
}
