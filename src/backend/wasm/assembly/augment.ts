// The augmentation samplers (NHWC) and their adjoints, in place of
// src/kernels/augment/cpu.ts: tf.image.transform's projective transform and
// the displacement-field sampler. Every source position, its snap to a half
// pixel, the fill mode's mapping and the tap weights are the CPU reference's
// f64 arithmetic, in its order; the channels run four at a time as two
// f64x2 halves and round once, so the results are bit-exact.

import { demote, fillF32, maddF64, promoteHigh } from './lanes';

// Sources (where an output pixel reads).
const TRANSFORM = 0;
const DISPLACE = 1;

// Interpolations.
const NEAREST = 0;

// Fill modes ('wrap' is 2, the remaining case; CLAMP is 'nearest').
const CONSTANT = 0;
const REFLECT = 1;
const CLAMP = 3;

/** JS's Math.round: halves up, a zero result keeps x's sign. */
@inline function roundJs(x: f64): f64 {
  const f = floor(x);
  const r = x - f >= 0.5 ? f + 1 : f;
  return r == 0 ? copysign<f64>(0, x) : r;
}

/** snapCoord: v snapped to the nearest half pixel when within float32's error of one. */
@inline function snap(v: f64): f64 {
  const half = roundJs(2 * v) / 2;
  return abs(v - half) <= 2e-6 * max(1.0, abs(v)) ? half : v;
}

@inline function clamp(v: f64, lo: f64, hi: f64): f64 {
  return min(max(v, lo), hi);
}

/** mapCoord: where a coordinate outside [0, len - 1] reads, by fill mode (TF.js's, wrap's period included). */
function mapCoord(v: f64, len: i32, mode: i32): f64 {
  const n = <f64>len;
  if (mode == CONSTANT) return v;
  if (mode == CLAMP) return clamp(v, 0, n - 1);
  let c = v;
  if (mode == REFLECT) {
    if (c < 0) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * n;
        if (c < sz2) c = sz2 * trunc(-c / sz2) + c;
        c = c < -n ? c + sz2 : -c - 1;
      }
    } else if (c > n - 1) {
      if (len <= 1) c = 0;
      else {
        const sz2 = 2 * n;
        c -= sz2 * trunc(c / sz2);
        if (c >= n) c = sz2 - c - 1;
      }
    }
  } else {
    if (c < 0) c = len <= 1 ? 0 : c + n * (trunc(-c / (n - 1)) + 1);
    else if (c > n - 1) c = len <= 1 ? 0 : c - n * trunc(c / (n - 1));
  }
  return clamp(c, 0, n - 1);
}

// The source position of the output pixel being visited (locate), and its
// taps (sampleTaps): up to four in-image pixels (i * w + j) with their
// weights, in the CPU's order, and the summed weight of those outside.
let srcY: f64 = 0;
let srcX: f64 = 0;
let taps = 0;
let pixel0 = 0;
let pixel1 = 0;
let pixel2 = 0;
let pixel3 = 0;
let weight0: f64 = 0;
let weight1: f64 = 0;
let weight2: f64 = 0;
let weight3: f64 = 0;
let fillWeight: f64 = 0;

/** Sets srcY, srcX for output (oy, ox) of image b; false where the projection is 0 (the output is fillValue). */
@inline function locate(source: i32, params: usize, stride: i32, b: i32, oy: i32, ox: i32, oh: i32, ow: i32): bool {
  const fy = <f64>oy;
  const fx = <f64>ox;
  if (source == DISPLACE) {
    const at = params + (<usize>((b * oh + oy) * ow + ox) << 3);
    srcY = fy + <f64>load<f32>(at);
    srcX = fx + <f64>load<f32>(at, 4);
    return true;
  }
  const t = params + (<usize>(b * stride) << 2);
  const proj = <f64>load<f32>(t, 24) * fx + <f64>load<f32>(t, 28) * fy + 1;
  if (proj == 0) return false;
  srcY = (<f64>load<f32>(t, 12) * fx + <f64>load<f32>(t, 16) * fy + <f64>load<f32>(t, 20)) / proj;
  srcX = (<f64>load<f32>(t) * fx + <f64>load<f32>(t, 4) * fy + <f64>load<f32>(t, 8)) / proj;
  return true;
}

/** A tap at row i, column j (integers as f64, maybe outside the image or NaN). */
@inline function tap(i: f64, j: f64, weight: f64, h: i32, w: i32): void {
  if (i >= 0 && i < <f64>h && j >= 0 && j < <f64>w) {
    const pixel = <i32>i * w + <i32>j;
    if (taps == 0) { pixel0 = pixel; weight0 = weight; }
    else if (taps == 1) { pixel1 = pixel; weight1 = weight; }
    else if (taps == 2) { pixel2 = pixel; weight2 = weight; }
    else { pixel3 = pixel; weight3 = weight; }
    taps++;
  } else {
    fillWeight += weight;
  }
}

/** The taps of a sample at (srcY, srcX) of an h x w image. */
function sampleTaps(h: i32, w: i32, interpolation: i32, mode: i32): void {
  taps = 0;
  fillWeight = 0;
  const y = mapCoord(snap(srcY), h, mode);
  const x = mapCoord(snap(srcX), w, mode);
  if (interpolation == NEAREST) {
    tap(floor(y + 0.5), floor(x + 0.5), 1, h, w);
    return;
  }
  const yf = floor(y);
  const xf = floor(x);
  tap(yf, xf, (yf + 1 - y) * (xf + 1 - x), h, w);
  tap(yf, xf + 1, (yf + 1 - y) * (x - xf), h, w);
  tap(yf + 1, xf, (y - yf) * (xf + 1 - x), h, w);
  tap(yf + 1, xf + 1, (y - yf) * (x - xf), h, w);
}

@inline function tapPixel(k: i32): i32 {
  return k == 0 ? pixel0 : k == 1 ? pixel1 : k == 2 ? pixel2 : pixel3;
}

@inline function tapWeight(k: i32): f64 {
  return k == 0 ? weight0 : k == 1 ? weight1 : k == 2 ? weight2 : weight3;
}

/** One output pixel's c channels at y: fillWeight * fillValue, then each tap's weight times the image, added in tap order. */
function gather(image: usize, y: usize, c: i32, fillValue: f64): void {
  const pixel = <usize>c << 2;
  const base = f64x2.splat(fillWeight * fillValue);
  const p0 = image + <usize>pixel0 * pixel;
  const p1 = image + <usize>pixel1 * pixel;
  const p2 = image + <usize>pixel2 * pixel;
  const p3 = image + <usize>pixel3 * pixel;
  const w0 = f64x2.splat(weight0);
  const w1 = f64x2.splat(weight1);
  const w2 = f64x2.splat(weight2);
  const w3 = f64x2.splat(weight3);
  let ch: usize = 0;
  for (; ch + 16 <= pixel; ch += 16) {
    let lo = base;
    let hi = base;
    if (taps > 0) {
      const v = v128.load(p0 + ch);
      lo = maddF64(lo, w0, f64x2.promote_low_f32x4(v));
      hi = maddF64(hi, w0, promoteHigh(v));
    }
    if (taps > 1) {
      const v = v128.load(p1 + ch);
      lo = maddF64(lo, w1, f64x2.promote_low_f32x4(v));
      hi = maddF64(hi, w1, promoteHigh(v));
    }
    if (taps > 2) {
      const v = v128.load(p2 + ch);
      lo = maddF64(lo, w2, f64x2.promote_low_f32x4(v));
      hi = maddF64(hi, w2, promoteHigh(v));
    }
    if (taps > 3) {
      const v = v128.load(p3 + ch);
      lo = maddF64(lo, w3, f64x2.promote_low_f32x4(v));
      hi = maddF64(hi, w3, promoteHigh(v));
    }
    v128.store(y + ch, demote(lo, hi));
  }
  for (; ch < pixel; ch += 4) {
    let v = fillWeight * fillValue;
    for (let k = 0; k < taps; k++) v += tapWeight(k) * <f64>load<f32>(image + <usize>tapPixel(k) * pixel + ch);
    store<f32>(y + ch, <f32>v);
  }
}

/**
 * Output rows [r0, r0 + count) of y [n, oh, ow, c] (row r is image r / oh)
 * sampled from x [n, h, w, c]. source TRANSFORM: params are the transforms,
 * stride 0 ([1, 8]) or 8 ([n, 8]) floats per image; DISPLACE: params are
 * the flow [n, oh, ow, 2]. interpolation: 0 nearest, 1 bilinear; mode: the
 * fill mode's index in FILL_MODES.
 */
export function sampleImages(
  source: i32, x: usize, params: usize, stride: i32, y: usize, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  interpolation: i32, mode: i32, fillValue: f64, r0: i32, count: i32,
): void {
  const pixel = <usize>c << 2;
  for (let r = r0; r < r0 + count; r++) {
    const b = r / oh;
    const oy = r - b * oh;
    const image = x + <usize>b * h * w * pixel;
    let dst = y + <usize>r * ow * pixel;
    for (let ox = 0; ox < ow; ox++, dst += pixel) {
      if (!locate(source, params, stride, b, oy, ox, oh, ow)) {
        fillF32(dst, c, <f32>fillValue);
        continue;
      }
      sampleTaps(h, w, interpolation, mode);
      gather(image, dst, c, fillValue);
    }
  }
}

/**
 * dImage [n, h, w, c] of sampleImages for images [b0, b0 + count): zeroed,
 * then each output's dy times each tap's weight added at the tap, in output
 * then tap order (the CPU's), each add rounded once.
 */
export function sampleImagesBackward(
  source: i32, dy: usize, params: usize, stride: i32, dx: usize, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  interpolation: i32, mode: i32, b0: i32, count: i32,
): void {
  const pixel = <usize>c << 2;
  const imageBytes = <usize>h * w * pixel;
  memory.fill(dx + <usize>b0 * imageBytes, 0, <usize>count * imageBytes);
  let g = dy + <usize>b0 * oh * ow * pixel;
  for (let b = b0; b < b0 + count; b++) {
    const image = dx + <usize>b * imageBytes;
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++, g += pixel) {
        if (!locate(source, params, stride, b, oy, ox, oh, ow)) continue;
        sampleTaps(h, w, interpolation, mode);
        for (let k = 0; k < taps; k++) {
          const to = image + <usize>tapPixel(k) * pixel;
          const wt = tapWeight(k);
          const wv = f64x2.splat(wt);
          let ch: usize = 0;
          for (; ch + 16 <= pixel; ch += 16) {
            const d = v128.load(g + ch);
            const v = v128.load(to + ch);
            const lo = f64x2.add(f64x2.promote_low_f32x4(v), f64x2.mul(wv, f64x2.promote_low_f32x4(d)));
            const hi = f64x2.add(promoteHigh(v), f64x2.mul(wv, promoteHigh(d)));
            v128.store(to + ch, demote(lo, hi));
          }
          for (; ch < pixel; ch += 4) store<f32>(to + ch, <f32>(<f64>load<f32>(to + ch) + wt * <f64>load<f32>(g + ch)));
        }
      }
  }
}
