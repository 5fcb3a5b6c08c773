// The depthwise convolution on WebGPU: depthwiseConv2d.wgsl (forward, MODE 0;
// input gradient, MODE 1) and depthwiseConv2dBackwardFilter.wgsl (a workgroup
// per filter element).

import type { Conv2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import { depthwiseGeometry, type DepthwiseGeometry } from './geometry.js';
import convCode from '../../../shaders/depthwiseConv2d.wgsl?raw';
import filterCode from '../../../shaders/depthwiseConv2dBackwardFilter.wgsl?raw';

const depthwiseUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', m: 'u32', oh: 'u32', ow: 'u32',
  kh: 'u32', kw: 'u32', sh: 'u32', sw: 'u32', dh: 'u32', dw: 'u32', padTop: 'u32', padLeft: 'u32',
  total: 'u32',
} as const;
type DepthwiseSpec = PipelineSpec<typeof depthwiseUniforms>;

const forwardSpec: DepthwiseSpec = { name: 'depthwiseConv2d', code: convCode, uniforms: depthwiseUniforms, constants: { MODE: 0 } };
const inputSpec: DepthwiseSpec = { name: 'depthwiseConv2dBackwardInput', code: convCode, uniforms: depthwiseUniforms, constants: { MODE: 1 } };
const filterSpec: DepthwiseSpec = { name: 'depthwiseConv2dBackwardFilter', code: filterCode, uniforms: depthwiseUniforms };

export const pipelines: readonly PipelineSpec[] = [forwardSpec, inputSpec, filterSpec];

function params(g: DepthwiseGeometry, total: number): UniformValues<typeof depthwiseUniforms> {
  const { n, h, w, c, m, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft } = g;
  return { n, h, w, c, m, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft, total };
}

export function depthwiseConv2d(ctx: GpuContext, x: Tensor, filter: Tensor, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2d', x.shape, filter.shape, p);
  const y = ctx.output([g.n, g.oh, g.ow, g.c * g.m], 'depthwiseConv2d');
  ctx.run1d(forwardSpec, params(g, y.size), [buf(x), buf(filter), buf(y)], y.size);
  return y;
}

export function depthwiseConv2dBackwardInput(ctx: GpuContext, dy: Tensor, filter: Tensor, xShape: Shape, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2dBackwardInput', xShape, filter.shape, p);
  const dx = ctx.output(xShape, 'depthwiseConv2dBackwardInput');
  ctx.run1d(inputSpec, params(g, dx.size), [buf(dy), buf(filter), buf(dx)], dx.size);
  return dx;
}

export function depthwiseConv2dBackwardFilter(ctx: GpuContext, x: Tensor, dy: Tensor, fShape: Shape, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2dBackwardFilter', x.shape, fShape, p);
  const df = ctx.output(fShape, 'depthwiseConv2dBackwardFilter');
  // one workgroup per filter element
  ctx.run(filterSpec, params(g, df.size), [buf(x), buf(dy), buf(df)], ctx.scheduler.grid(df.size));
  return df;
}
