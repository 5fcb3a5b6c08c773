// Max, average, min, sum and L2-norm pooling over NHWC windows, with their
// backward passes. Padded cells ('same') are outside the image: they never win
// a max or a min, are not counted in an average and add nothing to a sum or a
// norm, as in TensorFlow (min, sum and L2 are webcnn's, on the same windows).

import type { Pool2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { windowGeometry, type WindowGeometry } from '../geometry.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';

function geometry(op: string, xShape: Shape, p: Pool2dParams): WindowGeometry {
  return windowGeometry(op, xShape, p.poolSize, p.strides, [1, 1], p.padding);
}

/**
 * Index (into x) of the first extreme of window (b, oi, oj, ch) in row-major
 * scan order: the first maximum (sign 1) or minimum (sign -1). A later equal
 * value does not replace it (strict comparison), which is how TensorFlow's
 * MaxPoolGrad picks among ties; min pooling mirrors it.
 */
function firstExtreme(xv: Float32Array, g: WindowGeometry, sign: 1 | -1, b: number, oi: number, oj: number, ch: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let ki = 0; ki < g.kh; ki++) {
    const i = oi * g.sh + ki - g.padTop;
    if (i < 0 || i >= g.h) continue;
    for (let kj = 0; kj < g.kw; kj++) {
      const j = oj * g.sw + kj - g.padLeft;
      if (j < 0 || j >= g.w) continue;
      const at = ((b * g.h + i) * g.w + j) * g.c + ch;
      const value = sign * xv[at];
      if (best < 0 || value > bestValue) {
        best = at;
        bestValue = value;
      }
    }
  }
  return best;
}

/** Calls fn(x index of the window's extreme, output index) for every output element, in output order. */
function forEachExtreme(xv: Float32Array, g: WindowGeometry, sign: 1 | -1, fn: (at: number, o: number) => void): void {
  let o = 0;
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++)
        for (let ch = 0; ch < g.c; ch++, o++) fn(firstExtreme(xv, g, sign, b, oi, oj, ch), o);
}

function extremePool(op: string, sign: 1 | -1, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry(op, x.shape, p);
  const xv = vals(x);
  const y = new Float32Array(g.n * g.oh * g.ow * g.c);
  forEachExtreme(xv, g, sign, (at, o) => { y[o] = xv[at]; });
  return cpuTensor(y, [g.n, g.oh, g.ow, g.c]);
}

/** Routes each dy to the extreme of its window, recomputed from x. */
function extremePoolBackward(op: string, sign: 1 | -1, dy: Tensor, x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry(op, x.shape, p);
  const dv = vals(dy);
  const dx = new Float32Array(x.size);
  forEachExtreme(vals(x), g, sign, (at, o) => { dx[at] += dv[o]; });
  return cpuTensor(dx, x.shape);
}

export const maxPool2d = (x: Tensor, p: Pool2dParams): Tensor => extremePool('maxPool2d', 1, x, p);
export const maxPool2dBackward = (dy: Tensor, x: Tensor, p: Pool2dParams): Tensor => extremePoolBackward('maxPool2dBackward', 1, dy, x, p);
export const minPool2d = (x: Tensor, p: Pool2dParams): Tensor => extremePool('minPool2d', -1, x, p);
export const minPool2dBackward = (dy: Tensor, x: Tensor, p: Pool2dParams): Tensor => extremePoolBackward('minPool2dBackward', -1, dy, x, p);

/** Rows and columns of window (oi, oj) that fall inside the image. */
function windowBounds(g: WindowGeometry, oi: number, oj: number): { i0: number; i1: number; j0: number; j1: number } {
  const i0 = Math.max(oi * g.sh - g.padTop, 0);
  const i1 = Math.min(oi * g.sh - g.padTop + g.kh, g.h);
  const j0 = Math.max(oj * g.sw - g.padLeft, 0);
  const j1 = Math.min(oj * g.sw - g.padLeft + g.kw, g.w);
  return { i0, i1, j0, j1 };
}

export function avgPool2d(x: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('avgPool2d', x.shape, p);
  const xv = vals(x);
  const y = new Float32Array(g.n * g.oh * g.ow * g.c);
  let o = 0;
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++) {
        const { i0, i1, j0, j1 } = windowBounds(g, oi, oj);
        const count = (i1 - i0) * (j1 - j0);
        for (let ch = 0; ch < g.c; ch++) {
          let s = 0;
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) s += xv[((b * g.h + i) * g.w + j) * g.c + ch];
          y[o++] = s / count;
        }
      }
  return cpuTensor(y, [g.n, g.oh, g.ow, g.c]);
}

/** Each dy spreads evenly over the real pixels of its window. */
export function avgPool2dBackward(dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor {
  const g = geometry('avgPool2dBackward', xShape, p);
  const dv = vals(dy);
  const dx = new Float32Array(g.n * g.h * g.w * g.c);
  let o = 0;
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++) {
        const { i0, i1, j0, j1 } = windowBounds(g, oi, oj);
        const count = (i1 - i0) * (j1 - j0);
        for (let ch = 0; ch < g.c; ch++) {
          const share = dv[o++] / count;
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) dx[((b * g.h + i) * g.w + j) * g.c + ch] += share;
        }
      }
  return cpuTensor(dx, xShape);
}

/** Sum (l2 false) or square root of the sum of squares (l2 true) of each window's real pixels. */
function sumOrNorm(op: string, x: Tensor, p: Pool2dParams, l2: boolean): Tensor {
  const g = geometry(op, x.shape, p);
  const xv = vals(x);
  const y = new Float32Array(g.n * g.oh * g.ow * g.c);
  let o = 0;
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++) {
        const { i0, i1, j0, j1 } = windowBounds(g, oi, oj);
        for (let ch = 0; ch < g.c; ch++) {
          let s = 0;
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) {
              const v = xv[((b * g.h + i) * g.w + j) * g.c + ch];
              s += l2 ? v * v : v;
            }
          y[o++] = l2 ? Math.sqrt(s) : s;
        }
      }
  return cpuTensor(y, [g.n, g.oh, g.ow, g.c]);
}

export function sumPool2d(x: Tensor, p: Pool2dParams): Tensor {
  return sumOrNorm('sumPool2d', x, p, false);
}

/** Each dy goes whole (gradient one) to every real pixel of its window. */
export function sumPool2dBackward(dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor {
  const g = geometry('sumPool2dBackward', xShape, p);
  const dv = vals(dy);
  const dx = new Float32Array(g.n * g.h * g.w * g.c);
  let o = 0;
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++) {
        const { i0, i1, j0, j1 } = windowBounds(g, oi, oj);
        for (let ch = 0; ch < g.c; ch++) {
          const d = dv[o++];
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) dx[((b * g.h + i) * g.w + j) * g.c + ch] += d;
        }
      }
  return cpuTensor(dx, xShape);
}

export function l2Pool2d(x: Tensor, p: Pool2dParams): Tensor {
  return sumOrNorm('l2Pool2d', x, p, true);
}

/**
 * dx = sum over the windows covering a pixel of dy * x / norm, where norm is
 * that window's output y; a window whose norm is 0 (all its pixels 0) adds 0.
 */
export function l2Pool2dBackward(dy: Tensor, x: Tensor, y: Tensor, p: Pool2dParams): Tensor {
  const g = geometry('l2Pool2dBackward', x.shape, p);
  const xv = vals(x);
  const yv = vals(y);
  const dv = vals(dy);
  // Per pixel: sum of dy / norm over its windows, then times x.
  const share = new Float64Array(x.size);
  let o = 0;
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++) {
        const { i0, i1, j0, j1 } = windowBounds(g, oi, oj);
        for (let ch = 0; ch < g.c; ch++, o++) {
          const d = yv[o] === 0 ? 0 : dv[o] / yv[o];
          for (let i = i0; i < i1; i++)
            for (let j = j0; j < j1; j++) share[((b * g.h + i) * g.w + j) * g.c + ch] += d;
        }
      }
  const dx = new Float32Array(x.size);
  for (let i = 0; i < x.size; i++) dx[i] = xv[i] * share[i];
  return cpuTensor(dx, x.shape);
}
