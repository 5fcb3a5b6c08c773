// The CPU references of the augmentation kernels: TF.js's tf.image.transform
// (ImageProjectiveTransformV3, as tfjs-backend-cpu computes it: one output
// pixel reads the input at a projected position, mapped by the fill mode,
// sampled nearest or bilinear) and the displacement-field sampler behind the
// elastic distortion, with their adjoints with respect to the image. Source
// positions within float32's error of a half pixel are snapped to it (snapCoord),
// as the shader does, so that rounding and wrap agree on both backends.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import type { FillMode, SampleParams, TransformParams } from './types.js';

/** A source position snapped to the nearest half pixel when within float32's error of one. */
export function snapCoord(v: number): number {
  const half = Math.round(2 * v) / 2;
  return Math.abs(v - half) <= 2e-6 * Math.max(1, Math.abs(v)) ? half : v;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** TF.js's mapCoord: where a source coordinate outside [0, len - 1] reads, by fill mode. */
export function mapCoord(v: number, len: number, mode: FillMode): number {
  if (mode === 'constant') return v;
  if (mode === 'nearest') return clamp(v, 0, len - 1);
  let c = v;
  if (mode === 'reflect') {
    // [abcd] reflected to [dcba|abcd|dcba]
    if (c < 0) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * len;
        if (c < sz2) c = sz2 * Math.trunc(-c / sz2) + c;
        c = c < -len ? c + sz2 : -c - 1;
      }
    } else if (c > len - 1) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * len;
        c -= sz2 * Math.trunc(c / sz2);
        if (c >= len) c = sz2 - c - 1;
      }
    }
  } else {
    // wrap: [abcd] to [abcd|abcd|abcd], with TF's period arithmetic
    if (c < 0) c = len <= 1 ? 0 : c + len * (Math.trunc(-c / (len - 1)) + 1);
    else if (c > len - 1) c = len <= 1 ? 0 : c - len * Math.trunc(c / (len - 1));
  }
  return clamp(c, 0, len - 1);
}

/** The input pixels one output reads with their weights; `fill` is the weight of the fill value. */
export interface Taps { rows: number[]; cols: number[]; weights: number[]; fill: number }

/** The taps of a sample at source position (y, x) of an h x w image. */
export function taps(y0: number, x0: number, h: number, w: number, p: SampleParams): Taps {
  const y = mapCoord(snapCoord(y0), h, p.fillMode);
  const x = mapCoord(snapCoord(x0), w, p.fillMode);
  const t: Taps = { rows: [], cols: [], weights: [], fill: 0 };
  const tap = (i: number, j: number, wt: number) => {
    if (i >= 0 && i < h && j >= 0 && j < w) {
      t.rows.push(i); t.cols.push(j); t.weights.push(wt);
    } else {
      t.fill += wt;
    }
  };
  if (p.interpolation === 'nearest') {
    tap(Math.floor(y + 0.5), Math.floor(x + 0.5), 1);
    return t;
  }
  const yf = Math.floor(y);
  const xf = Math.floor(x);
  tap(yf, xf, (yf + 1 - y) * (xf + 1 - x));
  tap(yf, xf + 1, (yf + 1 - y) * (x - xf));
  tap(yf + 1, xf, (y - yf) * (xf + 1 - x));
  tap(yf + 1, xf + 1, (y - yf) * (x - xf));
  return t;
}

/** Where output (oy, ox) of image b reads: the projective transform (null: projection 0, the fill value). */
function projected(tv: Float32Array, b: number, oy: number, ox: number): [number, number] | null {
  const o = tv.length === 8 ? 0 : 8 * b;
  const proj = tv[o + 6] * ox + tv[o + 7] * oy + 1;
  if (proj === 0) return null;
  return [(tv[o + 3] * ox + tv[o + 4] * oy + tv[o + 5]) / proj, (tv[o] * ox + tv[o + 1] * oy + tv[o + 2]) / proj];
}

/** Where output (oy, ox) of image b reads under a displacement field flow [n, oh, ow, 2] (dy, dx). */
function displaced(fv: Float32Array, ow: number, oh: number, b: number, oy: number, ox: number): [number, number] {
  const at = ((b * oh + oy) * ow + ox) * 2;
  return [oy + fv[at], ox + fv[at + 1]];
}

type Source = (b: number, oy: number, ox: number) => [number, number] | null;

function sampleForward(image: Tensor, oh: number, ow: number, source: Source, p: SampleParams): Tensor {
  const [n, h, w, c] = image.shape;
  const xv = vals(image);
  const y = new Float32Array(n * oh * ow * c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const at = ((b * oh + oy) * ow + ox) * c;
        const src = source(b, oy, ox);
        if (!src) { y.fill(p.fillValue, at, at + c); continue; }
        const t = taps(src[0], src[1], h, w, p);
        for (let ch = 0; ch < c; ch++) {
          let v = t.fill * p.fillValue;
          for (let k = 0; k < t.weights.length; k++) v += t.weights[k] * xv[((b * h + t.rows[k]) * w + t.cols[k]) * c + ch];
          y[at + ch] = v;
        }
      }
    }
  }
  return cpuTensor(y, [n, oh, ow, c]);
}

function sampleBackward(dy: Tensor, imageShape: Shape, source: Source, p: SampleParams): Tensor {
  const [n, h, w, c] = imageShape;
  const [, oh, ow] = dy.shape;
  const dv = vals(dy);
  const dx = new Float32Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const src = source(b, oy, ox);
        if (!src) continue;
        const t = taps(src[0], src[1], h, w, p);
        const at = ((b * oh + oy) * ow + ox) * c;
        for (let k = 0; k < t.weights.length; k++) {
          const to = ((b * h + t.rows[k]) * w + t.cols[k]) * c;
          for (let ch = 0; ch < c; ch++) dx[to + ch] += t.weights[k] * dv[at + ch];
        }
      }
    }
  }
  return cpuTensor(dx, imageShape);
}

export function transform(image: Tensor, transforms: Tensor, p: TransformParams): Tensor {
  const tv = vals(transforms);
  return sampleForward(image, p.outputShape[0], p.outputShape[1], (b, oy, ox) => projected(tv, b, oy, ox), p);
}

/** The adjoint of transform: each output's dy scattered onto the pixels it read, with their weights. */
export function transformBackward(dy: Tensor, transforms: Tensor, imageShape: Shape, p: TransformParams): Tensor {
  const tv = vals(transforms);
  return sampleBackward(dy, imageShape, (b, oy, ox) => projected(tv, b, oy, ox), p);
}

export function displace(image: Tensor, flow: Tensor, p: SampleParams): Tensor {
  const fv = vals(flow);
  const [, oh, ow] = flow.shape;
  return sampleForward(image, oh, ow, (b, oy, ox) => displaced(fv, ow, oh, b, oy, ox), p);
}

export function displaceBackward(dy: Tensor, flow: Tensor, imageShape: Shape, p: SampleParams): Tensor {
  const fv = vals(flow);
  const [, oh, ow] = flow.shape;
  return sampleBackward(dy, imageShape, (b, oy, ox) => displaced(fv, ow, oh, b, oy, ox), p);
}
