// Small plain references for the GPU parity tests, used only while the CPU
// backend's kernel is still a stub ("not implemented yet"): once the CPU
// kernel lands, cpuOr() compares against the CPU backend instead.
// Loops in float64 under the usual legend (n h w c, kh kw, cin cout, oh ow).

import type { Backend, Conv2dParams, Shape } from '../../src/backend/types.js';
import type { Tensor } from '../../src/tensor.js';
import { windowGeometry } from '../../src/ops/geometry.js';
import { cpuRun } from './cpu.js';

/** The CPU backend's result, or the reference's while the CPU kernel is a stub. */
export function cpuOr(kernel: (b: Backend) => Tensor, reference: () => number[]): number[] {
  try {
    return cpuRun(kernel);
  } catch (err) {
    if (!String((err as Error).message).includes('not implemented yet')) throw err;
    return reference();
  }
}

/** C[m,n] = op(A) . op(B). */
export function refMatmul(a: readonly number[], b: readonly number[], m: number, n: number, k: number, transA: boolean, transB: boolean): number[] {
  const c: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += (transA ? a[kk * m + i] : a[i * k + kk]) * (transB ? b[j * k + kk] : b[kk * n + j]);
      c.push(Math.fround(s));
    }
  }
  return c;
}

export function refBiasAddBackward(dy: readonly number[], c: number): number[] {
  const db = new Array<number>(c).fill(0);
  dy.forEach((v, i) => { db[i % c] += v; });
  return db.map(Math.fround);
}

/** Visits every (x index, w index, y index) triple a conv multiplies together. */
function forEachTap(xShape: Shape, wShape: Shape, p: Conv2dParams, visit: (xi: number, wi: number, yi: number) => void): number[] {
  const g = windowGeometry('reference conv2d', xShape, [wShape[0], wShape[1]], p.strides, p.dilations, p.padding);
  const cout = wShape[3];
  for (let b = 0; b < g.n; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) {
    for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) {
      const iy = oy * g.sh - g.padTop + ky * g.dh;
      const ix = ox * g.sw - g.padLeft + kx * g.dw;
      if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
      for (let ci = 0; ci < g.c; ci++) for (let co = 0; co < cout; co++) {
        visit(((b * g.h + iy) * g.w + ix) * g.c + ci, ((ky * g.kw + kx) * g.c + ci) * cout + co, ((b * g.oh + oy) * g.ow + ox) * cout + co);
      }
    }
  }
  return [g.n, g.oh, g.ow, cout];
}

export function refConvOutShape(xShape: Shape, wShape: Shape, p: Conv2dParams): number[] {
  const g = windowGeometry('reference conv2d', xShape, [wShape[0], wShape[1]], p.strides, p.dilations, p.padding);
  return [g.n, g.oh, g.ow, wShape[3]];
}

export function refConv2d(x: readonly number[], xShape: Shape, w: readonly number[], wShape: Shape, bias: readonly number[] | null, p: Conv2dParams): number[] {
  const yShape = refConvOutShape(xShape, wShape, p);
  const y = new Float64Array(yShape.reduce((s, d) => s * d, 1));
  forEachTap(xShape, wShape, p, (xi, wi, yi) => { y[yi] += x[xi] * w[wi]; });
  return Array.from(y, (v, i) => Math.fround(v + (bias ? bias[i % wShape[3]] : 0)));
}

export function refConv2dBackwardInput(dy: readonly number[], w: readonly number[], xShape: Shape, wShape: Shape, p: Conv2dParams): number[] {
  const dx = new Float64Array(xShape.reduce((s, d) => s * d, 1));
  forEachTap(xShape, wShape, p, (xi, wi, yi) => { dx[xi] += dy[yi] * w[wi]; });
  return Array.from(dx, Math.fround);
}

export function refConv2dBackwardFilter(x: readonly number[], xShape: Shape, dy: readonly number[], wShape: Shape, p: Conv2dParams): number[] {
  const dw = new Float64Array(wShape.reduce((s, d) => s * d, 1));
  forEachTap(xShape, wShape, p, (xi, wi, yi) => { dw[wi] += x[xi] * dy[yi]; });
  return Array.from(dw, Math.fround);
}
