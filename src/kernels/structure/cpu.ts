// Structural kernels: zero padding, add, scale, concatenation along channels,
// row gathering (batching) and a full sum. Layout NHWC: n h w c.

import type { ExplicitPadding } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';

/** Pads h by [top, bottom] and w by [left, right] with zeros. */
export function zeroPad2d(x: Tensor, pads: ExplicitPadding): Tensor {
  const [n, h, w, c] = x.shape;
  const [[top, bottom], [left, right]] = pads;
  const oh = h + top + bottom;
  const ow = w + left + right;
  const xv = vals(x);
  const y = new Float32Array(n * oh * ow * c);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const src = ((b * h + i) * w + j) * c;
        const dst = ((b * oh + i + top) * ow + j + left) * c;
        y.set(xv.subarray(src, src + c), dst);
      }
    }
  }
  return cpuTensor(y, [n, oh, ow, c]);
}

/** The gradient of padding is the crop of dy back to the input's window. */
export function zeroPad2dBackward(dy: Tensor, pads: ExplicitPadding): Tensor {
  const [n, oh, ow, c] = dy.shape;
  const [[top, bottom], [left, right]] = pads;
  const h = oh - top - bottom;
  const w = ow - left - right;
  const dv = vals(dy);
  const dx = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const src = ((b * oh + i + top) * ow + j + left) * c;
        dx.set(dv.subarray(src, src + c), ((b * h + i) * w + j) * c);
      }
    }
  }
  return cpuTensor(dx, [n, h, w, c]);
}

export function add(a: Tensor, b: Tensor): Tensor {
  const av = vals(a);
  const bv = vals(b);
  const c = new Float32Array(av.length);
  for (let i = 0; i < av.length; i++) c[i] = av[i] + bv[i];
  return cpuTensor(c, a.shape);
}

export function scale(x: Tensor, s: number): Tensor {
  const xv = vals(x);
  const y = new Float32Array(xv.length);
  for (let i = 0; i < xv.length; i++) y[i] = xv[i] * s;
  return cpuTensor(y, x.shape);
}

/** Concatenation along the last axis: each row of the output is the inputs' rows side by side. */
export function concat(xs: readonly Tensor[]): Tensor {
  const widths = xs.map((t) => t.shape[t.rank - 1]);
  const total = widths.reduce((a, b) => a + b, 0);
  const rows = xs[0].size / widths[0];
  const y = new Float32Array(rows * total);
  let offset = 0;
  xs.forEach((t, k) => {
    const v = vals(t);
    const wk = widths[k];
    for (let r = 0; r < rows; r++) y.set(v.subarray(r * wk, (r + 1) * wk), r * total + offset);
    offset += wk;
  });
  return cpuTensor(y, [...xs[0].shape.slice(0, -1), total]);
}

/** Splits dy's last axis back into the inputs' widths. */
export function concatBackward(dy: Tensor, sizes: readonly number[]): Tensor[] {
  const total = dy.shape[dy.rank - 1];
  const rows = dy.size / total;
  const dv = vals(dy);
  let offset = 0;
  return sizes.map((wk) => {
    const part = new Float32Array(rows * wk);
    for (let r = 0; r < rows; r++) part.set(dv.subarray(r * total + offset, r * total + offset + wk), r * wk);
    offset += wk;
    return cpuTensor(part, [...dy.shape.slice(0, -1), wk]);
  });
}

/** Rows (first-axis slices) of x at the given indices. */
export function gatherRows(x: Tensor, indices: Int32Array): Tensor {
  const row = x.size / x.shape[0];
  const xv = vals(x);
  const y = new Float32Array(indices.length * row);
  indices.forEach((r, i) => y.set(xv.subarray(r * row, (r + 1) * row), i * row));
  return cpuTensor(y, [indices.length, ...x.shape.slice(1)]);
}

/** Sum of all elements as a scalar, accumulated in float64 then rounded once. */
export function sum(x: Tensor): Tensor {
  let s = 0;
  for (const v of vals(x)) s += v;
  return cpuTensor(new Float32Array([s]), []);
}
