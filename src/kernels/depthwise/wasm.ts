// The wasm programs of the depthwise convolution and its gradients
// (src/backend/wasm/assembly/depthwise.ts). Each export takes a range of
// rows, so with threads the forward splits over output rows, dx over input
// rows (its taps are gathered, so no two rows write the same pixel), and dW
// over output rows into a partial sum per thread, added up at the end.

import type { Conv2dParams, FusedActivation, Shape } from '../../backend/types.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import type { Tensor } from '../../tensor.js';
import { call } from '../../backend/wasm/threadPool.js';
import { activationCode } from '../fusedActivation.js';
import { depthwiseGeometry, type DepthwiseGeometry } from './geometry.js';

type Window = [number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** The geometry every export takes after its pointers: h w c m, kh kw, sh sw, dh dw, padTop padLeft, oh ow. */
function window(g: DepthwiseGeometry): Window {
  return [g.h, g.w, g.c, g.m, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.padTop, g.padLeft, g.oh, g.ow];
}

/** Row ranges for the threads, rows of `macsPerRow` multiply-adds each (one range on one thread or small work). */
function rowParts(ctx: WasmContext, rows: number, macsPerRow: number): [number, number][] {
  if (ctx.threads === 1 || macsPerRow === 0) return [[0, rows]];
  return ctx.split(rows, Math.ceil(ctx.minWorkPerThread / macsPerRow));
}

export function depthwiseConv2d(ctx: WasmContext, x: Tensor, filter: Tensor, p: Conv2dParams, bias: Tensor | null = null, activation: FusedActivation = 'linear'): Tensor {
  const g = depthwiseGeometry('depthwiseConv2d', x.shape, filter.shape, p);
  const co = g.c * g.m;
  const y = ctx.output([g.n, g.oh, g.ow, co], 'depthwiseConv2d');
  const ptrs = [ctx.ptr(x), ctx.ptr(filter), bias ? ctx.ptr(bias) : 0, ctx.ptr(y)] as const;
  const parts = rowParts(ctx, g.n * g.oh, g.ow * co * g.kh * g.kw);
  ctx.parallel(parts.map(([lo, hi]) => [call('depthwiseConv2d', ...ptrs, ...window(g), activationCode(activation), lo, hi - lo)]));
  return y;
}

export function depthwiseConv2dBackwardInput(ctx: WasmContext, dy: Tensor, filter: Tensor, xShape: Shape, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2dBackwardInput', xShape, filter.shape, p);
  const dx = ctx.output(xShape, 'depthwiseConv2dBackwardInput');
  // Each input pixel is covered by about kh·kw / (sh·sw) output pixels.
  const macsPerRow = Math.ceil((g.w * g.c * g.m * g.kh * g.kw) / (g.sh * g.sw));
  const parts = rowParts(ctx, g.n * g.h, macsPerRow);
  ctx.parallel(parts.map(([lo, hi]) => [call('depthwiseConv2dBackwardInput', ctx.ptr(dy), ctx.ptr(filter), ctx.ptr(dx), ...window(g), lo, hi - lo)]));
  return dx;
}

export function depthwiseConv2dBackwardFilter(ctx: WasmContext, x: Tensor, dy: Tensor, fShape: Shape, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2dBackwardFilter', x.shape, fShape, p);
  const size = g.kh * g.kw * g.c * g.m;
  const df = ctx.output(fShape, 'depthwiseConv2dBackwardFilter');
  const parts = rowParts(ctx, g.n * g.oh, g.ow * size);
  // Thread 0 sums into df itself, the others into partial sums added to it after.
  const targets = parts.map((_, i) => (i === 0 ? ctx.ptr(df) : ctx.scratch(4 * size)));
  ctx.parallel(parts.map(([lo, hi], i) => [call('depthwiseConv2dBackwardFilter', ctx.ptr(x), ctx.ptr(dy), targets[i], ...window(g), lo, hi - lo, 0)]));
  for (let i = 1; i < targets.length; i++) ctx.exports.add(targets[0], targets[i], targets[0], size);
  return df;
}
