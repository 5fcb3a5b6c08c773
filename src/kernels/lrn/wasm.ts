// Local response normalization and its backward on the wasm backend
// (src/backend/wasm/assembly/lrn.ts). Each pixel is normalized on its own, so
// with threads each takes a range of pixels, with its own scratch for the
// pixel's norms.

import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { call } from '../../backend/wasm/threadPool.js';
import type { LrnParams } from './params.js';

/** A pow costs about as much as this many multiply-adds (it decides how small a thread's share may be). */
const POW_WORK = 16;

/** Pixel ranges for the threads (one range on one thread or small work). */
function rowParts(ctx: WasmContext, rows: number, c: number, p: LrnParams): [number, number][] {
  const perRow = c * (2 * p.depthRadius + 1 + POW_WORK);
  if (ctx.threads === 1 || perRow === 0) return [[0, rows]];
  return ctx.split(rows, Math.ceil(ctx.minWorkPerThread / perRow));
}

/** The parameters every export takes last: radius, bias, alpha, beta. */
function params(p: LrnParams): [number, number, number, number] {
  return [p.depthRadius, p.bias, p.alpha, p.beta];
}

export function lrn(ctx: WasmContext, x: Tensor, p: LrnParams): Tensor {
  const c = x.shape[3];
  const rows = c === 0 ? 0 : x.size / c;
  const y = ctx.output(x.shape, 'lrn');
  const parts = rowParts(ctx, rows, c, p);
  const scratch = parts.map(() => ctx.scratch(8 * c));
  ctx.parallel(parts.map(([lo, hi], i) => [call('lrn', ctx.ptr(x), ctx.ptr(y), scratch[i], c, lo, hi - lo, ...params(p))]));
  return y;
}

export function lrnBackward(ctx: WasmContext, dy: Tensor, x: Tensor, p: LrnParams): Tensor {
  const c = x.shape[3];
  const rows = c === 0 ? 0 : x.size / c;
  const dx = ctx.output(x.shape, 'lrnBackward');
  // The backward's terms cost about as much again as the forward's.
  const parts = rowParts(ctx, rows, 2 * c, p);
  const scratch = parts.map(() => ctx.scratch(24 * c));
  ctx.parallel(parts.map(([lo, hi], i) => [call('lrnBackward', ctx.ptr(dy), ctx.ptr(x), ctx.ptr(dx), scratch[i], c, lo, hi - lo, ...params(p))]));
  return dx;
}
