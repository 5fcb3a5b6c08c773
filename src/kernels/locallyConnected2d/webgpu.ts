// Locally-connected 2-D (unshared weights) and its two backward passes.
// Shaders: locallyConnected2d.wgsl, locallyConnected2dBackwardInput.wgsl,
// locallyConnected2dBackwardFilter.wgsl (gathers, no atomics).

import type { LocallyConnected2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { windowGeometry, type WindowGeometry } from '../geometry.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import forwardCode from '../../../shaders/locallyConnected2d.wgsl?raw';
import backwardInputCode from '../../../shaders/locallyConnected2dBackwardInput.wgsl?raw';
import backwardFilterCode from '../../../shaders/locallyConnected2dBackwardFilter.wgsl?raw';

/** The uniforms all three shaders share (windowGeometry's fields); total: the invocation count, one per element written. */
const lcUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32',
  oh: 'u32', ow: 'u32', kh: 'u32', kw: 'u32',
  sh: 'u32', sw: 'u32', cout: 'u32', total: 'u32',
} as const;
type LcSpec = PipelineSpec<typeof lcUniforms>;

const forwardSpec = (hasBias: boolean): LcSpec =>
  ({ name: 'locallyConnected2d', code: forwardCode, uniforms: lcUniforms, constants: { HAS_BIAS: hasBias ? 1 : 0 } });
const backwardInputSpec: LcSpec = { name: 'locallyConnected2dBackwardInput', code: backwardInputCode, uniforms: lcUniforms };
const backwardFilterSpec: LcSpec = { name: 'locallyConnected2dBackwardFilter', code: backwardFilterCode, uniforms: lcUniforms };

export const pipelines: readonly PipelineSpec[] = [forwardSpec(true), forwardSpec(false), backwardInputSpec, backwardFilterSpec];

function geometry(op: string, xShape: Shape, p: LocallyConnected2dParams): WindowGeometry {
  return windowGeometry(op, xShape, p.kernelSize, p.strides, [1, 1], 'valid');
}

function params(g: WindowGeometry, cout: number, total: number): UniformValues<typeof lcUniforms> {
  const { n, h, w, c, oh, ow, kh, kw, sh, sw } = g;
  return { n, h, w, c, oh, ow, kh, kw, sh, sw, cout, total };
}

export function locallyConnected2d(ctx: GpuContext, x: Tensor, w: Tensor, bias: Tensor | null, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2d', x.shape, p);
  const cout = w.shape[2];
  const y = ctx.output([g.n, g.oh, g.ow, cout], 'locallyConnected2d');
  ctx.run1d(forwardSpec(bias !== null), params(g, cout, y.size),
    [buf(x), buf(w), bias ? buf(bias) : ctx.scheduler.empty, buf(y)], y.size);
  return y;
}

export function locallyConnected2dBackwardInput(ctx: GpuContext, dy: Tensor, w: Tensor, xShape: Shape, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2dBackwardInput', xShape, p);
  const dx = ctx.output(xShape, 'locallyConnected2dBackwardInput');
  ctx.run1d(backwardInputSpec, params(g, w.shape[2], dx.size), [buf(dy), buf(w), buf(dx)], dx.size);
  return dx;
}

export function locallyConnected2dBackwardFilter(ctx: GpuContext, x: Tensor, dy: Tensor, wShape: Shape, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2dBackwardFilter', x.shape, p);
  const dw = ctx.output(wShape, 'locallyConnected2dBackwardFilter');
  ctx.run1d(backwardFilterSpec, params(g, wShape[2], dw.size), [buf(x), buf(dy), buf(dw)], dw.size);
  return dw;
}
