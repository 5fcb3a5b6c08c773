// The CPU references of the image kernels, as TF.js's CPU kernels compute them
// (ResizeBilinear, ResizeNearestNeighbor, CropAndResize) and their adjoints.
// Resize source positions are exact rationals (what TF.js computes in float64,
// without its rounding), so the WebGPU kernels, which use integers, agree to
// the pixel; crop positions are snapped to the nearest half pixel when within
// float32's error of one (cropCoord), as the shader does.

import type { Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';
import type { CropAndResizeParams, ResizeParams } from './types.js';

/** The two source indices output index o reads along one axis, and the weight of the second. */
export interface Sample { lo: number; hi: number; frac: number }

/**
 * Where output o of an axis resized from inSize to outSize reads: TF.js's
 * effective sizes (alignCorners), its half-pixel offsets, floor / round for
 * nearest and the clamps, with src = num / den in integers.
 */
export function resizeSample(o: number, inSize: number, outSize: number, p: ResizeParams): Sample {
  const align = p.alignCorners && outSize > 1;
  const ein = align ? inSize - 1 : inSize;
  const eout = align ? outSize - 1 : outSize;
  const den = 2 * eout;
  if (p.method === 'nearest') {
    // src = ein / eout * o (+ 1/2 with halfPixelCenters); alignCorners rounds it (half up).
    const num = p.halfPixelCenters ? (2 * o + 1) * ein : p.alignCorners ? 2 * o * ein + eout : 2 * o * ein;
    const near = Math.min(inSize - 1, Math.floor(num / den));
    return { lo: near, hi: near, frac: 0 };
  }
  // src = ein / eout * o (or ein / eout * (o + 1/2) - 1/2); below 0 reads row 0 only.
  const num = p.halfPixelCenters ? (2 * o + 1) * ein - eout : 2 * o * ein;
  if (num <= 0) return { lo: 0, hi: 0, frac: 0 };
  const lo = Math.floor(num / den);
  const rem = num - lo * den;
  return { lo, hi: Math.min(inSize - 1, rem > 0 ? lo + 1 : lo), frac: rem / den };
}

function samples(inSize: number, outSize: number, p: ResizeParams): Sample[] {
  return Array.from({ length: outSize }, (_, o) => resizeSample(o, inSize, outSize, p));
}

export function resize(x: Tensor, p: ResizeParams): Tensor {
  const [n, h, w, c] = x.shape;
  const [oh, ow] = p.size;
  const xv = vals(x);
  const rows = samples(h, oh, p);
  const cols = samples(w, ow, p);
  const y = new Float32Array(n * oh * ow * c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (const r of rows) {
      for (const s of cols) {
        const at = (i: number, j: number, ch: number) => xv[((b * h + i) * w + j) * c + ch];
        for (let ch = 0; ch < c; ch++) {
          const top = at(r.lo, s.lo, ch) + (at(r.lo, s.hi, ch) - at(r.lo, s.lo, ch)) * s.frac;
          const bottom = at(r.hi, s.lo, ch) + (at(r.hi, s.hi, ch) - at(r.hi, s.lo, ch)) * s.frac;
          y[o++] = top + (bottom - top) * r.frac;
        }
      }
    }
  }
  return cpuTensor(y, [n, oh, ow, c]);
}

/** The adjoint of resize: each output's dy scattered onto the (up to four) pixels it read, with its weights. */
export function resizeBackward(dy: Tensor, xShape: Shape, p: ResizeParams): Tensor {
  const [n, h, w, c] = xShape;
  const [oh, ow] = p.size;
  const dv = vals(dy);
  const rows = samples(h, oh, p);
  const cols = samples(w, ow, p);
  const dx = new Float32Array(n * h * w * c);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (const r of rows) {
      for (const s of cols) {
        const add = (i: number, j: number, ch: number, v: number) => { dx[((b * h + i) * w + j) * c + ch] += v; };
        for (let ch = 0; ch < c; ch++) {
          const g = dv[o++];
          add(r.lo, s.lo, ch, g * (1 - r.frac) * (1 - s.frac));
          add(r.lo, s.hi, ch, g * (1 - r.frac) * s.frac);
          add(r.hi, s.lo, ch, g * r.frac * (1 - s.frac));
          add(r.hi, s.hi, ch, g * r.frac * s.frac);
        }
      }
    }
  }
  return cpuTensor(dx, xShape);
}

/** A crop position snapped to the nearest half pixel when within float32's error of it (the shader computes it in float32). */
export function cropCoord(v: number): number {
  const half = Math.round(2 * v) / 2;
  return Math.abs(v - half) <= 2e-6 * Math.max(1, Math.abs(v)) ? half : v;
}

/** Box b's sample positions along one axis: null where outside the image (extrapolated). */
function cropSamples(lo: number, hi: number, size: number, crop: number, p: CropAndResizeParams): (Sample | null)[] {
  const scale = crop > 1 ? ((hi - lo) * (size - 1)) / (crop - 1) : 0;
  return Array.from({ length: crop }, (_, k) => {
    const v = cropCoord(crop > 1 ? lo * (size - 1) + k * scale : 0.5 * (lo + hi) * (size - 1));
    if (v < 0 || v > size - 1) return null;
    if (p.method === 'nearest') {
      const near = Math.floor(v + 0.5);
      return { lo: near, hi: near, frac: 0 };
    }
    const f = Math.floor(v);
    return { lo: f, hi: Math.ceil(v), frac: v - f };
  });
}

export interface Box { image: number; rows: (Sample | null)[]; cols: (Sample | null)[] }

/**
 * Each box's image (-1 when boxInd is outside [0, n): TF.js leaves such crops 0)
 * and sample positions, from the values of boxes [numBoxes, 4] and boxInd.
 */
export function boxSamples(bv: Float32Array, iv: Float32Array, imageShape: Shape, p: CropAndResizeParams): Box[] {
  const [n, h, w] = imageShape;
  return Array.from({ length: iv.length }, (_, k) => {
    const image = iv[k] >= 0 && iv[k] < n ? Math.floor(iv[k]) : -1;
    return {
      image,
      rows: cropSamples(bv[4 * k], bv[4 * k + 2], h, p.cropSize[0], p),
      cols: cropSamples(bv[4 * k + 1], bv[4 * k + 3], w, p.cropSize[1], p),
    };
  });
}

function boxesOf(boxes: Tensor, boxInd: Tensor, imageShape: Shape, p: CropAndResizeParams): Box[] {
  return boxSamples(vals(boxes), vals(boxInd), imageShape, p);
}

export function cropAndResize(image: Tensor, boxes: Tensor, boxInd: Tensor, p: CropAndResizeParams): Tensor {
  const [, h, w, c] = image.shape;
  const [ch0, cw] = p.cropSize;
  const xv = vals(image);
  const y = new Float32Array(boxes.shape[0] * ch0 * cw * c);
  let o = 0;
  for (const box of boxesOf(boxes, boxInd, image.shape, p)) {
    const at = (i: number, j: number, ch: number) => xv[((box.image * h + i) * w + j) * c + ch];
    for (const r of box.rows) {
      for (const s of box.cols) {
        for (let ch = 0; ch < c; ch++, o++) {
          if (box.image < 0) continue;
          if (!r || !s) { y[o] = p.extrapolationValue; continue; }
          const top = at(r.lo, s.lo, ch) + (at(r.lo, s.hi, ch) - at(r.lo, s.lo, ch)) * s.frac;
          const bottom = at(r.hi, s.lo, ch) + (at(r.hi, s.hi, ch) - at(r.hi, s.lo, ch)) * s.frac;
          y[o] = top + (bottom - top) * r.frac;
        }
      }
    }
  }
  return cpuTensor(y, [boxes.shape[0], ch0, cw, c]);
}

/** dImage: each sample's dy scattered onto the pixels it read (extrapolated samples and boxes off the batch give nothing). */
export function cropAndResizeBackward(dy: Tensor, boxes: Tensor, boxInd: Tensor, imageShape: Shape, p: CropAndResizeParams): Tensor {
  const [n, h, w, c] = imageShape;
  const dv = vals(dy);
  const dx = new Float32Array(n * h * w * c);
  let o = 0;
  for (const box of boxesOf(boxes, boxInd, imageShape, p)) {
    const add = (i: number, j: number, ch: number, v: number) => { dx[((box.image * h + i) * w + j) * c + ch] += v; };
    for (const r of box.rows) {
      for (const s of box.cols) {
        for (let ch = 0; ch < c; ch++, o++) {
          if (box.image < 0 || !r || !s) continue;
          const g = dv[o];
          add(r.lo, s.lo, ch, g * (1 - r.frac) * (1 - s.frac));
          add(r.lo, s.hi, ch, g * (1 - r.frac) * s.frac);
          add(r.hi, s.lo, ch, g * r.frac * (1 - s.frac));
          add(r.hi, s.hi, ch, g * r.frac * s.frac);
        }
      }
    }
  }
  return cpuTensor(dx, imageShape);
}
