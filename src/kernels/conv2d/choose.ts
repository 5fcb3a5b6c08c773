// Which algorithm each pass of a convolution runs on WebGPU, in one place:
// im2col + GEMM, the tap table (few input channels), the row sweeps (3x3 at
// stride 1), Winograd F(2x2, 3x3) and F(4x4, 3x3) (3x3 at stride 1 with enough
// channels, forward and dx; F(4x4) for dW), the workgroup-memory tiled implicit GEMM (offered on hardware
// adapters, every pass; tiled.ts), and what a training forward keeps for the
// backward. The naive GEMM (the tests' oracle) keeps the column path throughout.

import type { Conv2dParams, Shape } from '../../backend/types.js';
import type { GpuContext } from '../../backend/webgpu/context.js';
import type { ConvAlgorithm } from '../../backend/webgpu/kernelTuner.js';
import { isPointwise, windowGeometry, type WindowGeometry } from '../geometry.js';
import type { PipelineSpec } from '../../backend/webgpu/pipelines.js';
import { backwardInputConv, convPipelines, filterGradPipelines, forwardConv, largestScratchBytes, type WinogradConv } from './winograd.js';

/**
 * Whether a pass over this layer runs on the tap table (conv2dDirect.wgsl,
 * conv2dBackwardFilterDirect.wgsl) rather than on im2col's columns: few input
 * channels (cin % 4 != 0), vec4s along cout, a window to gather.
 */
const usesTaps = (g: WindowGeometry, cout: number): boolean => g.c % 4 !== 0 && cout % 4 === 0 && !isPointwise(g);

/**
 * A 3x3, stride-1, undilated window: the shape the row sweeps take (conv2dSweep.wgsl,
 * conv2dBackwardFilterSweep.wgsl on one input channel; conv2dBackwardInputDirect.wgsl).
 */
const isSweep3x3 = (g: WindowGeometry): boolean => g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && g.dh === 1 && g.dw === 1;

/** The forward and dW sweep rows (conv2dSweep.wgsl, conv2dBackwardFilterSweep.wgsl): 3x3 at stride 1 on one input channel. */
export const sweepsOneChannel = (g: WindowGeometry): boolean => g.c === 1 && isSweep3x3(g);

/** Whether dx runs as conv2dBackwardInputDirect.wgsl: 3x3 at stride 1 over few input channels, vec4s along cout. */
const sweepsRows = (g: WindowGeometry, cout: number): boolean => g.c % 4 !== 0 && cout % 4 === 0 && isSweep3x3(g);

/** Whether the 4 lanes of a subgroup can share the tap kernels' gathers: they are 4 channel octets of one block. */
export const sharesGathers = (ctx: GpuContext, cout: number): boolean => ctx.sharedLoads && cout % 32 === 0;

/** Whether some output pixel's window reaches past the image (then the tap path tests each tap). */
export const reachesPadding = (g: WindowGeometry): boolean => g.padTop > 0 || g.padLeft > 0 ||
  (g.oh - 1) * g.sh - g.padTop + (g.kh - 1) * g.dh >= g.h || (g.ow - 1) * g.sw - g.padLeft + (g.kw - 1) * g.dw >= g.w;

const convName = (g: WindowGeometry, cout: number): string =>
  `x[${g.n},${g.h},${g.w},${g.c}] w[${g.kh},${g.kw},${g.c},${cout}] s${g.sh},${g.sw} d${g.dh},${g.dw} p${g.padTop},${g.padLeft}`;

/**
 * Channels below which Winograd is not offered: its transforms cost per channel what the
 * GEMM saves per channel pair, so few channels leave nothing to save.
 */
const WINOGRAD_MIN_CHANNELS = 16;
/**
 * Channels (each side) from which the forward and dx run Winograd unmeasured, F(4x4) where it fits:
 * there F(4x4) beat F(2x2), which beat im2col + GEMM and col2im of a GEMM, on the standard model's
 * convs (test/gpu/perf/winograd.perf.ts).
 */
const WINOGRAD_UNMEASURED_CHANNELS = 32;

/**
 * Whether Winograd runs unmeasured: it fits, both sides have enough channels, and its pipelines
 * (`specs`) are built. Its transforms compile slowly, so a model's first step does not wait for
 * them: the fallback runs, and they are built once the work already recorded is done.
 */
function winogradByDefault(ctx: GpuContext, fits: boolean, g: WindowGeometry, cout: number, specs: () => PipelineSpec[]): boolean {
  if (!fits || Math.min(g.c, cout) < WINOGRAD_UNMEASURED_CHANNELS) return false;
  const all = specs();
  if (all.every((s) => ctx.pipelines.has(s))) return true;
  ctx.prepareAfterWork(all);
  return false;
}

/** Whether Winograd F(2x2, 3x3) can run this conv: 3x3 at stride 1, enough channels both sides, scratch within a binding. */
function winogradFits(ctx: GpuContext, g: WindowGeometry, c: WinogradConv): boolean {
  return ctx.tuner.winograd && isSweep3x3(g) && c.cin >= WINOGRAD_MIN_CHANNELS && c.cout >= WINOGRAD_MIN_CHANNELS &&
    largestScratchBytes(c) <= ctx.gpu.limits.maxStorageBufferBindingSize;
}

/** The forward algorithm for this layer shape: pinned by a test where it applies, measured, or the heuristic. */
function tunedAlgorithm(ctx: GpuContext, g: WindowGeometry, cout: number): ConvAlgorithm {
  // The implicit GEMM reads w and writes y as vec4s along cout; a 1x1 conv has no copy to save.
  const direct = cout % 4 === 0 && !isPointwise(g);
  const winograd = winogradFits(ctx, g, forwardConv(g, cout));
  const winograd4 = winogradFits(ctx, g, forwardConv(g, cout, 4));
  const cands: ConvAlgorithm[] = [
    'im2col', ...(direct ? ['direct' as const] : []), ...(winograd ? ['winograd' as const] : []), ...(winograd4 ? ['winograd4' as const] : []),
    ...(tiledOffered(ctx) ? ['tiled' as const] : []),
  ];
  // Unmeasured: Winograd (F(4x4) where it fits) from 32 channels each side; else direct (the tap table, or the row
  // sweep) where cin % 4 != 0, im2col + GEMM otherwise. With few input channels the copy costs
  // as much as the product (test/gpu/perf/convMnist.perf.ts); with cin % 4 == 0 the GEMM's
  // shared loads win over the implicit GEMM (test/gpu/perf/predictStandard.perf.ts).
  const heuristic = (): ConvAlgorithm => (winogradByDefault(ctx, winograd4, g, cout, () => convPipelines(ctx, forwardConv(g, cout, 4))) ? 'winograd4'
    : !winograd4 && winogradByDefault(ctx, winograd, g, cout, () => convPipelines(ctx, forwardConv(g, cout))) ? 'winograd' : g.c % 4 !== 0 && direct ? 'direct' : 'im2col');
  const forced = ctx.tuner.forcedConv;
  if (forced) return cands.includes(forced) || forced === 'tiled' ? forced : heuristic();
  return ctx.tuner.choose('conv2d', convName(g, cout), heuristic, cands, { kind: 'conv2d', g, cout, pass: 'forward' }) as ConvAlgorithm;
}

/** The forward's algorithm: the column path for the oracle, 1x1 convs and cout % 4 != 0; else measured, pinned or the heuristic. */
export function forwardAlgorithm(ctx: GpuContext, g: WindowGeometry, cout: number): ConvAlgorithm {
  return ctx.gemmVariant === 'naive' ? 'im2col' : tunedAlgorithm(ctx, g, cout);
}

/** Whether the tuner may measure the tiled implicit GEMM (hardware adapters, or asked for). */
const tiledOffered = (ctx: GpuContext): boolean => ctx.tuner.tiled;

/** How dx runs: the row sweep (few input channels), Winograd or the tiled implicit GEMM (measured or pinned), or col2im of a GEMM. */
export type BackwardInputAlgorithm = 'sweep' | 'winograd' | 'winograd4' | 'tiled' | 'im2col';

export function backwardInputAlgorithm(ctx: GpuContext, g: WindowGeometry, cout: number): BackwardInputAlgorithm {
  if (ctx.gemmVariant === 'naive' || g.n * g.oh * g.ow === 0) return 'im2col';
  const winograd = winogradFits(ctx, g, backwardInputConv(g, cout));
  const winograd4 = winogradFits(ctx, g, backwardInputConv(g, cout, 4));
  const forced = ctx.tuner.forcedConv;
  if (forced === 'winograd' && winograd) return 'winograd';
  if (forced === 'winograd4' && winograd4) return 'winograd4';
  if (forced === 'tiled') return 'tiled';
  if (sweepsRows(g, cout)) return 'sweep';
  const cands: BackwardInputAlgorithm[] = [
    'im2col', ...(winograd ? ['winograd' as const] : []), ...(winograd4 ? ['winograd4' as const] : []), ...(tiledOffered(ctx) ? ['tiled' as const] : []),
  ];
  if (cands.length === 1 || forced) return 'im2col';
  const heuristic = (): BackwardInputAlgorithm => (winogradByDefault(ctx, winograd4, g, cout, () => convPipelines(ctx, backwardInputConv(g, cout, 4))) ? 'winograd4'
    : !winograd4 && winogradByDefault(ctx, winograd, g, cout, () => convPipelines(ctx, backwardInputConv(g, cout))) ? 'winograd' : 'im2col');
  const problem = { kind: 'conv2d', g, cout, pass: 'backwardInput' } as const;
  return ctx.tuner.choose('conv2dBackwardInput', convName(g, cout), heuristic, cands, problem) as BackwardInputAlgorithm;
}

/**
 * How dW runs: over the tap table (few input channels), Winograd F(4x4, 3x3) or the tiled implicit
 * GEMM (measured or pinned), or a GEMM on columns.
 */
export type BackwardFilterAlgorithm = 'taps' | 'winograd4' | 'tiled' | 'im2col';

export function backwardFilterAlgorithm(ctx: GpuContext, g: WindowGeometry, cout: number): BackwardFilterAlgorithm {
  if (ctx.gemmVariant === 'naive' || g.n * g.oh * g.ow === 0) return 'im2col';
  const winograd4 = winogradFits(ctx, g, forwardConv(g, cout, 4));
  const forced = ctx.tuner.forcedConv;
  if (forced === 'tiled') return 'tiled';
  if (forced === 'winograd4' && winograd4) return 'winograd4';
  if (usesTaps(g, cout)) return 'taps';
  const cands: BackwardFilterAlgorithm[] = ['im2col', ...(winograd4 ? ['winograd4' as const] : []), ...(tiledOffered(ctx) ? ['tiled' as const] : [])];
  if (cands.length === 1 || forced) return 'im2col';
  const heuristic = (): BackwardFilterAlgorithm =>
    (winogradByDefault(ctx, winograd4, g, cout, () => filterGradPipelines(ctx, forwardConv(g, cout, 4))) ? 'winograd4' : 'im2col');
  const problem = { kind: 'conv2d', g, cout, pass: 'backwardFilter' } as const;
  return ctx.tuner.choose('conv2dBackwardFilter', convName(g, cout), heuristic, cands, problem) as BackwardFilterAlgorithm;
}

/**
 * Whether a training forward should keep the column matrix for dW: not where forward and dW skip it,
 * nor where the forward runs Winograd or the tiled conv (its product is not on columns; dW makes its
 * own), nor where dW runs Winograd or the tiled conv (kept columns would send dW to a GEMM on them).
 */
export function keepsColumns(ctx: GpuContext, xShape: Shape, wShape: Shape, p: Conv2dParams): boolean {
  const g = windowGeometry('conv2d', xShape, [wShape[0], wShape[1]], p.strides, p.dilations, p.padding);
  if (ctx.gemmVariant === 'naive') return true;
  const forward = forwardAlgorithm(ctx, g, wShape[3]);
  const dw = backwardFilterAlgorithm(ctx, g, wShape[3]);
  return !usesTaps(g, wShape[3]) && forward !== 'winograd' && forward !== 'winograd4' && forward !== 'tiled' &&
    dw !== 'tiled' && dw !== 'winograd4';
}
