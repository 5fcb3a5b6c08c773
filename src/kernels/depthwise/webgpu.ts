// The depthwise convolution on WebGPU. MobileNet's shapes (3x3, depthMultiplier
// 1, channels % 4 == 0, column stride 1 or 2, no column dilation) run the row
// sweeps: depthwiseConv2dSweep.wgsl (forward with bias and fused activation;
// input gradient at stride 1) and depthwiseConv2dBackwardFilterSweep.wgsl
// (split-K slices, added by splitKSum.wgsl); their other input gradients with
// one filter per channel gather vec4s (depthwiseConv2dBackwardInputVec4.wgsl).
// Every other shape runs the
// per-element kernels: depthwiseConv2d.wgsl (forward, MODE 0; input gradient,
// MODE 1) and depthwiseConv2dBackwardFilter.wgsl (a workgroup per filter element).

import type { Conv2dParams, FusedActivation, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { GpuContext, buf } from '../../backend/webgpu/context.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import type { UniformValues } from '../../backend/webgpu/uniforms.js';
import { sumSlices } from '../matmul/webgpu.js';
import { activationCode } from '../fusedActivation.js';
import { depthwiseGeometry, type DepthwiseGeometry } from './geometry.js';
import convCode from '../../../shaders/depthwiseConv2d.wgsl?raw';
import filterCode from '../../../shaders/depthwiseConv2dBackwardFilter.wgsl?raw';
import sweepCode from '../../../shaders/depthwiseConv2dSweep.wgsl?raw';
import filterSweepCode from '../../../shaders/depthwiseConv2dBackwardFilterSweep.wgsl?raw';
import inputVec4Code from '../../../shaders/depthwiseConv2dBackwardInputVec4.wgsl?raw';

const depthwiseUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', m: 'u32', oh: 'u32', ow: 'u32',
  kh: 'u32', kw: 'u32', sh: 'u32', sw: 'u32', dh: 'u32', dw: 'u32', padTop: 'u32', padLeft: 'u32',
  total: 'u32', act: 'u32',
} as const;
type DepthwiseSpec = PipelineSpec<typeof depthwiseUniforms>;

/** The row sweeps' window: x [n, h, w, c] -> y [n, oh, ow, c]; act: 0 none, 1 relu, 2 relu6 (forward only). */
const sweepUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', oh: 'u32', ow: 'u32', sh: 'u32', sw: 'u32', dh: 'u32', padTop: 'u32', padLeft: 'u32', act: 'u32',
} as const;
/** The filter sweep: sweepUniforms' window, one partial sum per output row. */
const filterSweepUniforms = {
  n: 'u32', h: 'u32', w: 'u32', c: 'u32', oh: 'u32', ow: 'u32', sh: 'u32', sw: 'u32', dh: 'u32', padTop: 'u32', padLeft: 'u32',
} as const;

const forwardSpec = (bias: boolean): DepthwiseSpec => ({ name: 'depthwiseConv2d', code: convCode, uniforms: depthwiseUniforms, constants: { MODE: 0, HAS_BIAS: +bias } });
const inputSpec: DepthwiseSpec = { name: 'depthwiseConv2dBackwardInput', code: convCode, uniforms: depthwiseUniforms, constants: { MODE: 1 } };
const filterSpec: DepthwiseSpec = { name: 'depthwiseConv2dBackwardFilter', code: filterCode, uniforms: depthwiseUniforms };
const sweepSpec = (flip: boolean, bias: boolean): PipelineSpec<typeof sweepUniforms> => ({
  name: flip ? 'depthwiseConv2dBackwardInputSweep' : 'depthwiseConv2dSweep', code: sweepCode, uniforms: sweepUniforms,
  constants: { FLIP: +flip, HAS_BIAS: +bias, WG: 64 },
});
const filterSweepSpec: PipelineSpec<typeof filterSweepUniforms> = {
  name: 'depthwiseConv2dBackwardFilterSweep', code: filterSweepCode, uniforms: filterSweepUniforms, constants: { WG: 64 },
};

const inputVec4Spec: DepthwiseSpec = { name: 'depthwiseConv2dBackwardInputVec4', code: inputVec4Code, uniforms: depthwiseUniforms, constants: { WG: 64 } };

export const pipelines: readonly PipelineSpec[] = [
  inputVec4Spec,
  forwardSpec(false), forwardSpec(true), inputSpec, filterSpec, sweepSpec(false, false), sweepSpec(false, true), sweepSpec(true, false), filterSweepSpec,
];

/** Output pixels one sweep invocation covers along a row (RUN in depthwiseConv2dSweep.wgsl). */
const RUN = 8;

/** Whether the forward and dW run as row sweeps: MobileNet's 3x3 windows, one filter per channel, whole vec4s of channels. */
const sweeps = (ctx: GpuContext, g: DepthwiseGeometry): boolean => ctx.depthwiseSweeps &&
  g.kh === 3 && g.kw === 3 && g.m === 1 && g.c % 4 === 0 && g.dw === 1 && (g.sw === 1 || g.sw === 2);

/** Whether dx runs as the flipped forward sweep: stride 1, and a mirrored padding that is not negative. */
const sweepsInput = (ctx: GpuContext, g: DepthwiseGeometry): boolean =>
  sweeps(ctx, g) && g.sh === 1 && g.sw === 1 && g.padTop <= 2 * g.dh && g.padLeft <= 2;

function params(g: DepthwiseGeometry, total: number, act = 0): UniformValues<typeof depthwiseUniforms> {
  const { n, h, w, c, m, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft } = g;
  return { n, h, w, c, m, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft, total, act };
}

/** Whether dx gathers vec4s of channels (the sweeps' other shapes with one filter per channel: stride 2). */
const gathersInputVec4 = (ctx: GpuContext, g: DepthwiseGeometry): boolean => ctx.depthwiseSweeps && g.m === 1 && g.c % 4 === 0;

const sweepCount = (n: number, rows: number, cols: number, c: number): number => n * rows * Math.ceil(cols / RUN) * (c / 4);

export function depthwiseConv2d(
  ctx: GpuContext, x: Tensor, filter: Tensor, p: Conv2dParams, bias: Tensor | null = null, activation: FusedActivation = 'linear',
): Tensor {
  const g = depthwiseGeometry('depthwiseConv2d', x.shape, filter.shape, p);
  const y = ctx.output([g.n, g.oh, g.ow, g.c * g.m], 'depthwiseConv2d');
  if (sweeps(ctx, g)) {
    const { n, h, w, c, oh, ow, sh, sw, dh, padTop, padLeft } = g;
    const u = { n, h, w, c, oh, ow, sh, sw, dh, padTop, padLeft, act: activationCode(activation) };
    ctx.run1d(sweepSpec(false, bias !== null), u, [buf(x), buf(filter), bias ? buf(bias) : ctx.scheduler.empty, buf(y)], sweepCount(n, oh, ow, c));
    return y;
  }
  const b = bias ? buf(bias) : ctx.scheduler.empty;
  ctx.run1d(forwardSpec(bias !== null), params(g, y.size, activationCode(activation)), [buf(x), buf(filter), b, buf(y)], y.size);
  return y;
}

export function depthwiseConv2dBackwardInput(ctx: GpuContext, dy: Tensor, filter: Tensor, xShape: Shape, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2dBackwardInput', xShape, filter.shape, p);
  const dx = ctx.output(xShape, 'depthwiseConv2dBackwardInput');
  if (sweepsInput(ctx, g)) {
    // dy through the turned window, padded so that dx[iy] meets dy[iy + padTop - ky·dh]
    const { n, h, w, c, oh, ow, dh } = g;
    const u = { n, h: oh, w: ow, c, oh: h, ow: w, sh: 1, sw: 1, dh, padTop: 2 * dh - g.padTop, padLeft: 2 - g.padLeft, act: 0 };
    ctx.run1d(sweepSpec(true, false), u, [buf(dy), buf(filter), ctx.scheduler.empty, buf(dx)], sweepCount(n, h, w, c));
    return dx;
  }
  if (gathersInputVec4(ctx, g)) {
    ctx.run1d(inputVec4Spec, params(g, dx.size / 4), [buf(dy), buf(filter), buf(dx)], dx.size / 4);
    return dx;
  }
  ctx.run1d(inputSpec, params(g, dx.size), [buf(dy), buf(filter), ctx.scheduler.empty, buf(dx)], dx.size);
  return dx;
}

export function depthwiseConv2dBackwardFilter(ctx: GpuContext, x: Tensor, dy: Tensor, fShape: Shape, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2dBackwardFilter', x.shape, fShape, p);
  const df = ctx.output(fShape, 'depthwiseConv2dBackwardFilter');
  if (sweeps(ctx, g)) {
    const { n, h, w, c, oh, ow, sh, sw, dh, padTop, padLeft } = g;
    // one slice per output row
    const splits = n * oh;
    const total = 9 * c;
    const part = splits === 1 ? buf(df) : ctx.scratch(splits * total, `depthwiseConv2dBackwardFilter slices of ${4 * splits * total} bytes`);
    const u = { n, h, w, c, oh, ow, sh, sw, dh, padTop, padLeft };
    ctx.run1d(filterSweepSpec, u, [buf(x), buf(dy), part], splits * (c / 4));
    if (splits > 1) {
      sumSlices(ctx, part, buf(df), total, splits);
      ctx.release(part);
    }
    return df;
  }
  // one workgroup per filter element
  ctx.run(filterSpec, params(g, df.size), [buf(x), buf(dy), buf(df)], ctx.scheduler.grid(df.size));
  return df;
}
