// Max, average, min, sum and L2-norm pooling and their backwards on the wasm
// backend: one kernel for the first maximum or minimum of each window, one
// for the window sums, each with its backward. Kernels:
// src/backend/wasm/assembly/pool2d.ts.

import type { Pool2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { windowGeometry } from '../geometry.js';

/** The kind codes of pool2d.ts. */
const MAX = 0;
const MIN = 1;
const AVG = 2;
const SUM = 3;
const L2 = 4;

/** The geometry every export takes last: n h w c, kh kw, sh sw, oh ow, padTop padLeft. */
type Geometry = [number, number, number, number, number, number, number, number, number, number, number, number];

function geometry(name: string, xShape: Shape, p: Pool2dParams): { args: Geometry; yShape: number[] } {
  const g = windowGeometry(name, xShape, p.poolSize, p.strides, [1, 1], p.padding);
  return { args: [g.n, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.oh, g.ow, g.padTop, g.padLeft], yShape: [g.n, g.oh, g.ow, g.c] };
}

function extreme(ctx: WasmContext, kind: number, name: string, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry(name, x.shape, p);
  const y = ctx.output(g.yShape, name);
  ctx.exports.extremePool2d(kind, ctx.ptr(x), ctx.ptr(y), ...g.args);
  return y;
}

/** Recomputes each window's first extreme from x. */
function extremeBackward(ctx: WasmContext, kind: number, name: string, dy: Tensor, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry(name, x.shape, p);
  const dx = ctx.output(x.shape, name);
  ctx.exports.extremePool2dBackward(kind, ctx.ptr(dy), ctx.ptr(x), ctx.ptr(dx), ...g.args);
  return dx;
}

function sums(ctx: WasmContext, kind: number, name: string, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry(name, x.shape, p);
  const y = ctx.output(g.yShape, name);
  ctx.exports.sumPool2d(kind, ctx.ptr(x), ctx.ptr(y), ...g.args);
  return y;
}

/** x and y (the forward's output) are read by L2 only; the others pass 0. */
function sumsBackward(ctx: WasmContext, kind: number, name: string, dy: Tensor, xShape: Shape, p: Pool2dParams, x?: Tensor, y?: Tensor): Tensor {
  const g = geometry(name, xShape, p);
  const dx = ctx.output(xShape, name);
  ctx.exports.sumPool2dBackward(kind, ctx.ptr(dy), x ? ctx.ptr(x) : 0, y ? ctx.ptr(y) : 0, ctx.ptr(dx), ...g.args);
  return dx;
}

export const maxPool2d = (ctx: WasmContext, x: Tensor, p: Pool2dParams): Tensor => extreme(ctx, MAX, 'maxPool2d', x, p);
export const maxPool2dBackward = (ctx: WasmContext, dy: Tensor, x: Tensor, p: Pool2dParams): Tensor =>
  extremeBackward(ctx, MAX, 'maxPool2dBackward', dy, x, p);
export const minPool2d = (ctx: WasmContext, x: Tensor, p: Pool2dParams): Tensor => extreme(ctx, MIN, 'minPool2d', x, p);
export const minPool2dBackward = (ctx: WasmContext, dy: Tensor, x: Tensor, p: Pool2dParams): Tensor =>
  extremeBackward(ctx, MIN, 'minPool2dBackward', dy, x, p);
export const avgPool2d = (ctx: WasmContext, x: Tensor, p: Pool2dParams): Tensor => sums(ctx, AVG, 'avgPool2d', x, p);
export const avgPool2dBackward = (ctx: WasmContext, dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor =>
  sumsBackward(ctx, AVG, 'avgPool2dBackward', dy, xShape, p);
export const sumPool2d = (ctx: WasmContext, x: Tensor, p: Pool2dParams): Tensor => sums(ctx, SUM, 'sumPool2d', x, p);
export const sumPool2dBackward = (ctx: WasmContext, dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor =>
  sumsBackward(ctx, SUM, 'sumPool2dBackward', dy, xShape, p);
export const l2Pool2d = (ctx: WasmContext, x: Tensor, p: Pool2dParams): Tensor => sums(ctx, L2, 'l2Pool2d', x, p);
export const l2Pool2dBackward = (ctx: WasmContext, dy: Tensor, x: Tensor, y: Tensor, p: Pool2dParams): Tensor =>
  sumsBackward(ctx, L2, 'l2Pool2dBackward', dy, x.shape, p, x, y);
