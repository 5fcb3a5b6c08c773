// The wasm programs of resize, resizeBackward, cropAndResize and
// cropAndResizeBackward (src/backend/wasm/assembly/image.ts). Sample
// positions are per axis (per box for crops), so they are the CPU
// reference's own (resizeSample, boxSamples), written to scratch as f64
// triples (lo, hi, frac), and the kernels interpolate every pixel from them.
// With threads the forwards split output rows; the backwards split images,
// since no two images share a dx pixel and each pixel keeps the CPU's order.

import type { Shape } from '../../backend/types.js';
import type { WasmContext } from '../../backend/wasm/context.js';
import { call } from '../../backend/wasm/threadPool.js';
import type { Tensor } from '../../tensor.js';
import { boxSamples, resizeSample, type Box, type Sample } from './cpu.js';
import type { CropAndResizeParams, ResizeParams } from './types.js';

/** lo, hi, frac; lo -1 where a crop sample is outside the image. */
function triple(s: Sample | null): number[] {
  return s ? [s.lo, s.hi, s.frac] : [-1, -1, 0];
}

/** The float64 values in scratch (allocate the outputs first: the view is taken here). */
function table(ctx: WasmContext, values: readonly number[]): number {
  const ptr = ctx.scratch(8 * values.length);
  new Float64Array(ctx.f32().buffer, ptr, values.length).set(values);
  return ptr;
}

/** The samples of rows then columns. */
function resizeTable(ctx: WasmContext, h: number, w: number, p: ResizeParams): { rows: number; cols: number } {
  const [oh, ow] = p.size;
  const axis = (inSize: number, outSize: number) => Array.from({ length: outSize }, (_, o) => triple(resizeSample(o, inSize, outSize, p))).flat();
  const rows = table(ctx, [...axis(h, oh), ...axis(w, ow)]);
  return { rows, cols: rows + 24 * oh };
}

/** Per box: its image, then its row and column samples (the layout cropAndResize reads). */
function cropTable(ctx: WasmContext, boxes: readonly Box[]): number {
  return table(ctx, boxes.flatMap((b) => [b.image, ...b.rows.flatMap(triple), ...b.cols.flatMap(triple)]));
}

/** The boxes' images and samples, read before any allocation (the views detach when memory grows). */
function boxesOf(ctx: WasmContext, boxes: Tensor, boxInd: Tensor, imageShape: Shape, p: CropAndResizeParams): Box[] {
  return boxSamples(ctx.values(boxes), ctx.values(boxInd), imageShape, p);
}

/** [lo, hi) ranges of `total` units of `work` each, one per thread that gets enough. */
function parts(ctx: WasmContext, total: number, work: number): [number, number][] {
  if (ctx.threads === 1) return [[0, total]];
  return ctx.split(total, Math.ceil(ctx.minWorkPerThread / Math.max(work, 1)));
}

export function resize(ctx: WasmContext, x: Tensor, p: ResizeParams): Tensor {
  const [n, h, w, c] = x.shape;
  const [oh, ow] = p.size;
  const y = ctx.output([n, oh, ow, c], 'resize');
  const { rows, cols } = resizeTable(ctx, h, w, p);
  ctx.parallel(parts(ctx, n * oh, 4 * ow * c).map(([lo, hi]) => [call('resizeImages', ctx.ptr(x), ctx.ptr(y), rows, cols, h, w, c, oh, ow, lo, hi - lo)]));
  return y;
}

export function resizeBackward(ctx: WasmContext, dy: Tensor, xShape: Shape, p: ResizeParams): Tensor {
  const [n, h, w, c] = xShape;
  const [oh, ow] = p.size;
  const dx = ctx.output(xShape, 'resizeBackward');
  const { rows, cols } = resizeTable(ctx, h, w, p);
  ctx.parallel(parts(ctx, n, 4 * oh * ow * c).map(([lo, hi]) => [call('resizeImagesBackward', ctx.ptr(dy), ctx.ptr(dx), rows, cols, h, w, c, oh, ow, lo, hi - lo)]));
  return dx;
}

export function cropAndResize(ctx: WasmContext, image: Tensor, boxes: Tensor, boxInd: Tensor, p: CropAndResizeParams): Tensor {
  const [, h, w, c] = image.shape;
  const [cropH, cropW] = p.cropSize;
  const samples = boxesOf(ctx, boxes, boxInd, image.shape, p);
  const y = ctx.output([samples.length, cropH, cropW, c], 'cropAndResize');
  const t = cropTable(ctx, samples);
  ctx.parallel(parts(ctx, samples.length * cropH, 4 * cropW * c).map(([lo, hi]) =>
    [call('cropAndResize', ctx.ptr(image), ctx.ptr(y), t, h, w, c, cropH, cropW, p.extrapolationValue, lo, hi - lo)]));
  return y;
}

export function cropAndResizeBackward(ctx: WasmContext, dy: Tensor, boxes: Tensor, boxInd: Tensor, imageShape: Shape, p: CropAndResizeParams): Tensor {
  const [n, h, w, c] = imageShape;
  const [cropH, cropW] = p.cropSize;
  const samples = boxesOf(ctx, boxes, boxInd, imageShape, p);
  const dx = ctx.output(imageShape, 'cropAndResizeBackward');
  const t = cropTable(ctx, samples);
  // Each thread walks every box and takes those of its images.
  const work = (4 * samples.length * cropH * cropW * c) / n;
  ctx.parallel(parts(ctx, n, work).map(([lo, hi]) =>
    [call('cropAndResizeBackward', ctx.ptr(dy), ctx.ptr(dx), t, samples.length, h, w, c, cropH, cropW, lo, hi - lo)]));
  return dx;
}
