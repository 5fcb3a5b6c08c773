// 2-D convolution as im2col + GEMM, the design the WebGPU kernels follow.
//   cols [n*oh*ow, kh*kw*cin]: row r = output pixel, column (ki*kw + kj)*cin + ci
//   y = cols . W  with W [kh*kw*cin, cout] (the kernel [kh, kw, cin, cout] read flat)
// Backward: dW = cols^T . dy;  dx = col2im(dy . W^T).

import type { Conv2dParams, FusedActivation, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { windowGeometry, type WindowGeometry } from '../geometry.js';
import { epilogue, gemm } from '../matmul/cpu.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';

function geometry(op: string, xShape: Shape, wShape: Shape, p: Conv2dParams): WindowGeometry {
  return windowGeometry(op, xShape, [wShape[0], wShape[1]], p.strides, p.dilations, p.padding);
}

/** Input row/column read by output (oi, oj) at kernel tap (ki, kj); may fall in the padding. */
function sourceRow(g: WindowGeometry, oi: number, ki: number): number {
  return oi * g.sh + ki * g.dh - g.padTop;
}
function sourceCol(g: WindowGeometry, oj: number, kj: number): number {
  return oj * g.sw + kj * g.dw - g.padLeft;
}

/** Unrolls every receptive field into a row; padded taps are zeros. */
export function im2col(xv: Float32Array, g: WindowGeometry): Float32Array {
  const k = g.kh * g.kw * g.c;
  const cols = new Float32Array(g.n * g.oh * g.ow * k);
  let r = 0;
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++, r++)
        for (let ki = 0; ki < g.kh; ki++) {
          const i = sourceRow(g, oi, ki);
          if (i < 0 || i >= g.h) continue;
          for (let kj = 0; kj < g.kw; kj++) {
            const j = sourceCol(g, oj, kj);
            if (j < 0 || j >= g.w) continue;
            const src = ((b * g.h + i) * g.w + j) * g.c;
            cols.set(xv.subarray(src, src + g.c), r * k + (ki * g.kw + kj) * g.c);
          }
        }
  return cols;
}

/** The adjoint of im2col: sums each column entry back onto the input pixel it came from. */
export function col2im(cols: Float32Array, g: WindowGeometry): Float32Array {
  const k = g.kh * g.kw * g.c;
  const x = new Float32Array(g.n * g.h * g.w * g.c);
  let r = 0;
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++, r++)
        for (let ki = 0; ki < g.kh; ki++) {
          const i = sourceRow(g, oi, ki);
          if (i < 0 || i >= g.h) continue;
          for (let kj = 0; kj < g.kw; kj++) {
            const j = sourceCol(g, oj, kj);
            if (j < 0 || j >= g.w) continue;
            const dst = ((b * g.h + i) * g.w + j) * g.c;
            const src = r * k + (ki * g.kw + kj) * g.c;
            for (let ci = 0; ci < g.c; ci++) x[dst + ci] += cols[src + ci];
          }
        }
  return x;
}

export function conv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation: FusedActivation = 'linear'): Tensor {
  const g = geometry('conv2d', x.shape, w.shape, p);
  const cout = w.shape[3];
  const rows = g.n * g.oh * g.ow;
  const y = epilogue(gemm(im2col(vals(x), g), vals(w), rows, g.kh * g.kw * g.c, cout, false, false), bias, cout, activation);
  return cpuTensor(y, [g.n, g.oh, g.ow, cout]);
}

export function conv2dColumns(x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams): Tensor {
  const g = windowGeometry('conv2dColumns', x.shape, kernelSize, p.strides, p.dilations, p.padding);
  return cpuTensor(im2col(vals(x), g), [g.n * g.oh * g.ow, g.kh * g.kw * g.c]);
}

/** dx = col2im(dy . W^T): dy [rows, cout] times W^T [cout, kh*kw*cin]. */
export function conv2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: Conv2dParams): Tensor {
  const g = geometry('conv2dBackwardInput', xShape, w.shape, p);
  const cout = w.shape[3];
  const rows = g.n * g.oh * g.ow;
  const dcols = gemm(vals(dy), vals(w), rows, cout, g.kh * g.kw * g.c, false, true);
  return cpuTensor(col2im(dcols, g), xShape);
}

/** dW = im2col(x)^T . dy: [kh*kw*cin, rows] times [rows, cout]. */
export function conv2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: Conv2dParams): Tensor {
  const g = geometry('conv2dBackwardFilter', x.shape, wShape, p);
  const cout = wShape[3];
  const rows = g.n * g.oh * g.ow;
  const dw = gemm(im2col(vals(x), g), vals(dy), g.kh * g.kw * g.c, rows, cout, true, false);
  return cpuTensor(dw, wShape);
}
