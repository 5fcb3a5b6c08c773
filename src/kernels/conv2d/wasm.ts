// The wasm programs of conv2d and its backwards: im2col + the packed GEMM,
// over chunks of output rows so each chunk's column matrix stays in cache
// and the scratch stays small (the column matrix of a whole batch can be tens
// of megabytes). A 1x1 stride-1 unpadded conv is one GEMM on x itself.
//   forward  y[rows, cout]  = cols . W            (W [kh*kw*cin, cout])
//   dx       dcols[rows, k] = dy . W^T, col2im'd onto dx
//   dW       dW[k, cout]    = sum over chunks of cols^T . dy
// With threads, each thread takes a range of rows (its own column scratch,
// the same chunks within it): forward by rows, dx by whole images (col2im of
// two images never touches the same pixel), dW into a partial sum per thread
// added up at the end.

import type { Conv2dParams, FusedActivation, Shape } from '../../backend/types.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import type { Tensor } from '../../tensor.js';
import { isPointwise, windowGeometry, type WindowGeometry } from '../geometry.js';
import { gemm, gemmCall } from '../matmul/wasm.js';
import { call, type WasmCall } from '../../backend/wasm/threadPool.js';
import { conv2dRows, conv2dRowsCall, packDirect, prefersDirect } from './wasmDirect.js';

/** Bytes of column matrix per chunk: about half of a core's L2. */
const CHUNK_BYTES = 1 << 20;

function geometry(op: string, xShape: Shape, wShape: Shape, p: Conv2dParams): WindowGeometry {
  return windowGeometry(op, xShape, [wShape[0], wShape[1]], p.strides, p.dilations, p.padding);
}

/** Output rows per chunk for a column matrix k wide (a multiple of 16, so the GEMM's row tiles stay full). */
function chunkRows(rows: number, k: number): number {
  return Math.min(rows, Math.max(16, Math.floor(CHUNK_BYTES / (4 * k) / 16) * 16));
}

/** Calls fn(r0, rowCount) over the output rows in chunks. */
function chunks(rows: number, size: number, fn: (r0: number, count: number) => void): void {
  for (let r0 = 0; r0 < rows; r0 += size) fn(r0, Math.min(size, rows - r0));
}

/** Row ranges for the threads: rows of `macsPerRow` multiply-adds each, whole `align`-row groups. */
function rowParts(ctx: WasmContext, rows: number, macsPerRow: number, align: number): [number, number][] {
  if (ctx.threads === 1 || macsPerRow === 0) return [[0, rows]];
  const groups = ctx.split(Math.ceil(rows / align), Math.ceil(ctx.minWorkPerThread / (macsPerRow * align)));
  return groups.map(([lo, hi]) => [lo * align, Math.min(rows, hi * align)]);
}

/** One thread's calls over rows lo..hi in chunks, with its own column scratch (`cols`, size rows of k) and GEMM scratch. */
function partCalls(lo: number, hi: number, size: number, fn: (r0: number, count: number) => WasmCall[]): WasmCall[] {
  const calls: WasmCall[] = [];
  for (let r0 = lo; r0 < hi; r0 += size) calls.push(...fn(r0, Math.min(size, hi - r0)));
  return calls;
}

type Window = [number, number, number, number, number, number, number, number, number, number, number, number, number];
/** im2col/col2im's shape arguments, in their order. */
function window(g: WindowGeometry): Window {
  return [g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.padTop, g.padLeft, g.oh, g.ow];
}

export function conv2d(ctx: WasmContext, x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation: FusedActivation = 'linear'): Tensor {
  const g = geometry('conv2d', x.shape, w.shape, p);
  const cout = w.shape[3];
  const rows = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.c;
  const y = ctx.output([g.n, g.oh, g.ow, cout], 'conv2d');
  const biasPtr = bias ? ctx.ptr(bias) : 0;
  if (isPointwise(g)) {
    gemm(ctx, ctx.ptr(x), ctx.ptr(w), ctx.ptr(y), rows, cout, k, false, false, biasPtr, activation);
    return y;
  }
  const parts = rowParts(ctx, rows, k * cout, 16);
  if (prefersDirect(g)) {
    const packed = packDirect(ctx, ctx.ptr(w), biasPtr, k, cout);
    if (parts.length > 1) {
      ctx.parallel(parts.map(([lo, hi]) => [conv2dRowsCall(ctx.ptr(x), packed, ctx.ptr(y), g, cout, activation, lo, hi - lo)]));
    } else {
      conv2dRows(ctx, ctx.ptr(x), packed, ctx.ptr(y), g, cout, activation, 0, rows);
    }
    return y;
  }
  const win = window(g);
  if (parts.length > 1) {
    ctx.parallel(parts.map(([lo, hi]) => {
      const size = chunkRows(hi - lo, k);
      const cols = ctx.scratch(4 * size * k);
      const scratch = ctx.scratch(ctx.exports.gemmScratchBytes(size, cout, k));
      return partCalls(lo, hi, size, (r0, count) => [
        call('im2col', ctx.ptr(x), cols, ...win, r0, count),
        gemmCall(ctx, cols, ctx.ptr(w), ctx.ptr(y) + 4 * r0 * cout, count, cout, k, false, false, biasPtr, activation, false, scratch),
      ]);
    }));
    return y;
  }
  const size = chunkRows(rows, k);
  const cols = ctx.scratch(4 * size * k);
  chunks(rows, size, (r0, count) => {
    ctx.exports.im2col(ctx.ptr(x), cols, ...win, r0, count);
    gemm(ctx, cols, ctx.ptr(w), ctx.ptr(y) + 4 * r0 * cout, count, cout, k, false, false, biasPtr, activation);
  });
  return y;
}

export function conv2dColumns(ctx: WasmContext, x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams): Tensor {
  const g = windowGeometry('conv2dColumns', x.shape, kernelSize, p.strides, p.dilations, p.padding);
  const rows = g.n * g.oh * g.ow;
  const cols = ctx.output([rows, g.kh * g.kw * g.c], 'conv2dColumns');
  ctx.exports.im2col(ctx.ptr(x), ctx.ptr(cols), ...window(g), 0, rows);
  return cols;
}

export function conv2dBackwardInput(ctx: WasmContext, dy: Tensor, w: Tensor, xShape: Shape, p: Conv2dParams): Tensor {
  const g = geometry('conv2dBackwardInput', xShape, w.shape, p);
  const cout = w.shape[3];
  const rows = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.c;
  const dx = ctx.output(xShape, 'conv2dBackwardInput');
  if (isPointwise(g)) {
    gemm(ctx, ctx.ptr(dy), ctx.ptr(w), ctx.ptr(dx), rows, k, cout, false, true, 0, 'linear');
    return dx;
  }
  const win = window(g);
  const image = g.oh * g.ow;
  const parts = rowParts(ctx, rows, k * cout, image);
  if (parts.length > 1) {
    const calls = parts.map(([lo, hi]) => {
      const size = chunkRows(hi - lo, k);
      const dcols = ctx.scratch(4 * size * k);
      const scratch = ctx.scratch(ctx.exports.gemmScratchBytes(size, k, cout));
      return partCalls(lo, hi, size, (r0, count) => [
        gemmCall(ctx, ctx.ptr(dy) + 4 * r0 * cout, ctx.ptr(w), dcols, count, k, cout, false, true, 0, 'linear', false, scratch),
        call('col2im', dcols, ctx.ptr(dx), ...win, r0, count),
      ]);
    });
    ctx.values(dx).fill(0);
    ctx.parallel(calls);
    return dx;
  }
  const size = chunkRows(rows, k);
  const dcols = ctx.scratch(4 * size * k);
  ctx.values(dx).fill(0);
  chunks(rows, size, (r0, count) => {
    gemm(ctx, ctx.ptr(dy) + 4 * r0 * cout, ctx.ptr(w), dcols, count, k, cout, false, true, 0, 'linear');
    ctx.exports.col2im(dcols, ctx.ptr(dx), ...win, r0, count);
  });
  return dx;
}

export function conv2dBackwardFilter(ctx: WasmContext, x: Tensor, dy: Tensor, wShape: Shape, p: Conv2dParams): Tensor {
  const g = geometry('conv2dBackwardFilter', x.shape, wShape, p);
  const cout = wShape[3];
  const rows = g.n * g.oh * g.ow;
  const k = g.kh * g.kw * g.c;
  const dw = ctx.output(wShape, 'conv2dBackwardFilter');
  if (isPointwise(g)) {
    gemm(ctx, ctx.ptr(x), ctx.ptr(dy), ctx.ptr(dw), k, cout, rows, true, false, 0, 'linear');
    return dw;
  }
  const win = window(g);
  const parts = rowParts(ctx, rows, k * cout, 16);
  if (parts.length > 1) {
    // Thread 0 sums into dW itself, the others into partial sums added to it after.
    const targets = parts.map((_, i) => (i === 0 ? ctx.ptr(dw) : ctx.scratch(4 * k * cout)));
    ctx.parallel(parts.map(([lo, hi], i) => {
      const size = chunkRows(hi - lo, k);
      const cols = ctx.scratch(4 * size * k);
      const scratch = ctx.scratch(ctx.exports.gemmScratchBytes(k, cout, size));
      return partCalls(lo, hi, size, (r0, count) => [
        call('im2col', ctx.ptr(x), cols, ...win, r0, count),
        gemmCall(ctx, cols, ctx.ptr(dy) + 4 * r0 * cout, targets[i], k, cout, count, true, false, 0, 'linear', r0 > lo, scratch),
      ]);
    }));
    for (let i = 1; i < targets.length; i++) ctx.exports.add(targets[0], targets[i], targets[0], k * cout);
    return dw;
  }
  const size = chunkRows(rows, k);
  const cols = ctx.scratch(4 * size * k);
  chunks(rows, size, (r0, count) => {
    ctx.exports.im2col(ctx.ptr(x), cols, ...win, r0, count);
    gemm(ctx, cols, ctx.ptr(dy) + 4 * r0 * cout, ctx.ptr(dw), k, cout, count, true, false, 0, 'linear', r0 > 0);
  });
  return dw;
}

/** Training recomputes the columns chunk by chunk in the filter gradient rather than keeping a whole batch's. */
export function keepsColumns(_ctx: WasmContext, _xShape: Shape, _wShape: Shape, _p: Conv2dParams): boolean {
  return false;
}
