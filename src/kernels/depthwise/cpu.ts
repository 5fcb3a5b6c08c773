// The plain-loop references of the depthwise convolution and its gradients.

import type { Conv2dParams, FusedActivation, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import { epilogue } from '../matmul/cpu.js';
import { depthwiseGeometry, type DepthwiseGeometry } from './geometry.js';

/** Calls visit(xIndex, fIndex, yIndex) for every multiply of the convolution. */
function eachTap(g: DepthwiseGeometry, visit: (xi: number, fi: number, yi: number) => void): void {
  const { n, h, w, c, m, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft } = g;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - padTop;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx * dw - padLeft;
            if (ix < 0 || ix >= w) continue;
            for (let ch = 0; ch < c; ch++) {
              for (let q = 0; q < m; q++) {
                visit(((b * h + iy) * w + ix) * c + ch, ((ky * kw + kx) * c + ch) * m + q, ((b * oh + oy) * ow + ox) * c * m + ch * m + q);
              }
            }
          }
        }
      }
    }
  }
}

export function depthwiseConv2d(x: Tensor, filter: Tensor, p: Conv2dParams, bias: Tensor | null = null, activation: FusedActivation = 'linear'): Tensor {
  const g = depthwiseGeometry('depthwiseConv2d', x.shape, filter.shape, p);
  const xv = vals(x);
  const fv = vals(filter);
  const y = new Float32Array(g.n * g.oh * g.ow * g.c * g.m);
  eachTap(g, (xi, fi, yi) => { y[yi] += xv[xi] * fv[fi]; });
  return cpuTensor(epilogue(y, bias, g.c * g.m, activation), [g.n, g.oh, g.ow, g.c * g.m]);
}

export function depthwiseConv2dBackwardInput(dy: Tensor, filter: Tensor, xShape: Shape, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2dBackwardInput', xShape, filter.shape, p);
  const dv = vals(dy);
  const fv = vals(filter);
  const dx = new Float32Array(g.n * g.h * g.w * g.c);
  eachTap(g, (xi, fi, yi) => { dx[xi] += dv[yi] * fv[fi]; });
  return cpuTensor(dx, xShape);
}

export function depthwiseConv2dBackwardFilter(x: Tensor, dy: Tensor, fShape: Shape, p: Conv2dParams): Tensor {
  const g = depthwiseGeometry('depthwiseConv2dBackwardFilter', x.shape, fShape, p);
  const xv = vals(x);
  const dv = vals(dy);
  const df = new Float32Array(g.kh * g.kw * g.c * g.m);
  eachTap(g, (xi, fi, yi) => { df[fi] += dv[yi] * xv[xi]; });
  return cpuTensor(df, fShape);
}
