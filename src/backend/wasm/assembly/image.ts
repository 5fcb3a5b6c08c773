// Resizing and crop-and-resize (NHWC) and their backwards, in place of
// src/kernels/image/cpu.ts. The binding passes each axis's sample positions
// as f64 triples (lo, hi, frac) from the CPU reference's own code, lo < 0
// marking a crop sample outside the image. Each output pixel interpolates its
// four taps in f64 with the CPU's operations in the CPU's order (two f64x2
// halves per four channels, a scalar tail), then rounds once, so the results
// are bit-exact; the backwards add each weighted dy into dx the same way.

import { demote, fillF32, promoteHigh } from './lanes';

/** Bytes of one (lo, hi, frac) triple. */
const SAMPLE: usize = 24;

/** a + (b - a) * t: the CPU reference's interpolation, in f64. */
@inline function lerp(a: v128, b: v128, t: v128): v128 {
  return f64x2.add(a, f64x2.mul(f64x2.sub(b, a), t));
}

@inline function lerp1(a: f64, b: f64, t: f64): f64 {
  return a + (b - a) * t;
}

/** One output pixel's c channels at y from the tap pixels p00 p01 (top row) and p10 p11. */
function interpolate(p00: usize, p01: usize, p10: usize, p11: usize, y: usize, c: i32, sf: f64, rf: f64): void {
  const bytes = <usize>c << 2;
  const s = f64x2.splat(sf);
  const r = f64x2.splat(rf);
  let ch: usize = 0;
  for (; ch + 16 <= bytes; ch += 16) {
    const a = v128.load(p00 + ch);
    const b = v128.load(p01 + ch);
    const d = v128.load(p10 + ch);
    const e = v128.load(p11 + ch);
    const topLo = lerp(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b), s);
    const topHi = lerp(promoteHigh(a), promoteHigh(b), s);
    const bottomLo = lerp(f64x2.promote_low_f32x4(d), f64x2.promote_low_f32x4(e), s);
    const bottomHi = lerp(promoteHigh(d), promoteHigh(e), s);
    v128.store(y + ch, demote(lerp(topLo, bottomLo, r), lerp(topHi, bottomHi, r)));
  }
  for (; ch < bytes; ch += 4) {
    const top = lerp1(<f64>load<f32>(p00 + ch), <f64>load<f32>(p01 + ch), sf);
    const bottom = lerp1(<f64>load<f32>(p10 + ch), <f64>load<f32>(p11 + ch), sf);
    store<f32>(y + ch, <f32>lerp1(top, bottom, rf));
  }
}

/** dx at p += t per channel, in f64 rounded once (the CPU's `dx[i] += v` on a Float32Array). */
@inline function addInto(p: usize, lo: v128, hi: v128): void {
  const v = v128.load(p);
  v128.store(p, demote(f64x2.add(f64x2.promote_low_f32x4(v), lo), f64x2.add(promoteHigh(v), hi)));
}

@inline function addInto1(p: usize, t: f64): void {
  store<f32>(p, <f32>(<f64>load<f32>(p) + t));
}

/**
 * The adjoint of interpolate: each channel of dy at g added to the four taps
 * as g * (1 - rf) * (1 - sf), g * (1 - rf) * sf, g * rf * (1 - sf), g * rf * sf,
 * in that order (taps may coincide: each add reads the previous one's result).
 */
function scatter(g: usize, p00: usize, p01: usize, p10: usize, p11: usize, c: i32, sf: f64, rf: f64): void {
  const bytes = <usize>c << 2;
  const s = f64x2.splat(sf);
  const s1 = f64x2.splat(1 - sf);
  const r = f64x2.splat(rf);
  const r1 = f64x2.splat(1 - rf);
  let ch: usize = 0;
  for (; ch + 16 <= bytes; ch += 16) {
    const v = v128.load(g + ch);
    const lo = f64x2.promote_low_f32x4(v);
    const hi = promoteHigh(v);
    const topLo = f64x2.mul(lo, r1);
    const topHi = f64x2.mul(hi, r1);
    const bottomLo = f64x2.mul(lo, r);
    const bottomHi = f64x2.mul(hi, r);
    addInto(p00 + ch, f64x2.mul(topLo, s1), f64x2.mul(topHi, s1));
    addInto(p01 + ch, f64x2.mul(topLo, s), f64x2.mul(topHi, s));
    addInto(p10 + ch, f64x2.mul(bottomLo, s1), f64x2.mul(bottomHi, s1));
    addInto(p11 + ch, f64x2.mul(bottomLo, s), f64x2.mul(bottomHi, s));
  }
  for (; ch < bytes; ch += 4) {
    const v = <f64>load<f32>(g + ch);
    const top = v * (1 - rf);
    const bottom = v * rf;
    addInto1(p00 + ch, top * (1 - sf));
    addInto1(p01 + ch, top * sf);
    addInto1(p10 + ch, bottom * (1 - sf));
    addInto1(p11 + ch, bottom * sf);
  }
}

@inline function lo(sample: usize): i32 {
  return <i32>load<f64>(sample);
}

@inline function hi(sample: usize): i32 {
  return <i32>load<f64>(sample, 8);
}

@inline function frac(sample: usize): f64 {
  return load<f64>(sample, 16);
}

/**
 * Resize (nearest is bilinear with frac 0 and lo = hi): output rows
 * [r0, r0 + count) of y [n, oh, ow, c] (row r is image r / oh, row r % oh)
 * from x [n, h, w, c]. rows: oh samples, cols: ow samples.
 */
export function resizeImages(x: usize, y: usize, rows: usize, cols: usize, h: i32, w: i32, c: i32, oh: i32, ow: i32, r0: i32, count: i32): void {
  const pixel = <usize>c << 2;
  const rowBytes = <usize>w * pixel;
  for (let r = r0; r < r0 + count; r++) {
    const b = r / oh;
    const row = rows + <usize>(r - b * oh) * SAMPLE;
    const image = x + <usize>b * h * rowBytes;
    const top = image + <usize>lo(row) * rowBytes;
    const bottom = image + <usize>hi(row) * rowBytes;
    const rf = frac(row);
    let dst = y + <usize>r * ow * pixel;
    for (let j = 0; j < ow; j++, dst += pixel) {
      const col = cols + <usize>j * SAMPLE;
      const left = <usize>lo(col) * pixel;
      const right = <usize>hi(col) * pixel;
      interpolate(top + left, top + right, bottom + left, bottom + right, dst, c, frac(col), rf);
    }
  }
}

/**
 * dx [n, h, w, c] of resize for images [b0, b0 + count): zeroed, then each
 * output's dy scattered onto its taps in output order, as the CPU does.
 */
export function resizeImagesBackward(dy: usize, dx: usize, rows: usize, cols: usize, h: i32, w: i32, c: i32, oh: i32, ow: i32, b0: i32, count: i32): void {
  const pixel = <usize>c << 2;
  const rowBytes = <usize>w * pixel;
  const imageBytes = <usize>h * rowBytes;
  memory.fill(dx + <usize>b0 * imageBytes, 0, <usize>count * imageBytes);
  let g = dy + <usize>b0 * oh * ow * pixel;
  for (let b = b0; b < b0 + count; b++) {
    const image = dx + <usize>b * imageBytes;
    for (let i = 0; i < oh; i++) {
      const row = rows + <usize>i * SAMPLE;
      const top = image + <usize>lo(row) * rowBytes;
      const bottom = image + <usize>hi(row) * rowBytes;
      const rf = frac(row);
      for (let j = 0; j < ow; j++, g += pixel) {
        const col = cols + <usize>j * SAMPLE;
        const left = <usize>lo(col) * pixel;
        const right = <usize>hi(col) * pixel;
        scatter(g, top + left, top + right, bottom + left, bottom + right, c, frac(col), rf);
      }
    }
  }
}

/**
 * Crop-and-resize: output rows [r0, r0 + count) of y [numBoxes, cropH, cropW, c]
 * (row r is box r / cropH). boxes: per box, its image as an f64 (< 0: the crop
 * stays 0), then cropH row samples and cropW column samples; a sample with
 * lo < 0 is outside the image and reads extrapolation.
 */
export function cropAndResize(
  image: usize, y: usize, boxes: usize, h: i32, w: i32, c: i32, cropH: i32, cropW: i32, extrapolation: f64, r0: i32, count: i32,
): void {
  const pixel = <usize>c << 2;
  const rowBytes = <usize>w * pixel;
  const boxBytes = 8 + <usize>(cropH + cropW) * SAMPLE;
  const fill = <f32>extrapolation;
  for (let r = r0; r < r0 + count; r++) {
    const k = r / cropH;
    const box = boxes + <usize>k * boxBytes;
    const b = <i32>load<f64>(box);
    const row = box + 8 + <usize>(r - k * cropH) * SAMPLE;
    let dst = y + <usize>r * cropW * pixel;
    if (b < 0) {
      memory.fill(dst, 0, <usize>cropW * pixel);
      continue;
    }
    if (lo(row) < 0) {
      fillF32(dst, cropW * c, fill);
      continue;
    }
    const src = image + <usize>b * h * rowBytes;
    const top = src + <usize>lo(row) * rowBytes;
    const bottom = src + <usize>hi(row) * rowBytes;
    const rf = frac(row);
    for (let j = 0; j < cropW; j++, dst += pixel) {
      const col = box + 8 + <usize>(cropH + j) * SAMPLE;
      if (lo(col) < 0) {
        fillF32(dst, c, fill);
        continue;
      }
      const left = <usize>lo(col) * pixel;
      const right = <usize>hi(col) * pixel;
      interpolate(top + left, top + right, bottom + left, bottom + right, dst, c, frac(col), rf);
    }
  }
}

/**
 * dImage [n, h, w, c] of crop-and-resize for images [b0, b0 + count): zeroed,
 * then every box of those images (in box order, so each pixel sums as the
 * CPU's does) scatters its in-image samples' dy onto their taps.
 */
export function cropAndResizeBackward(
  dy: usize, dx: usize, boxes: usize, numBoxes: i32, h: i32, w: i32, c: i32, cropH: i32, cropW: i32, b0: i32, count: i32,
): void {
  const pixel = <usize>c << 2;
  const rowBytes = <usize>w * pixel;
  const imageBytes = <usize>h * rowBytes;
  const boxBytes = 8 + <usize>(cropH + cropW) * SAMPLE;
  memory.fill(dx + <usize>b0 * imageBytes, 0, <usize>count * imageBytes);
  for (let k = 0; k < numBoxes; k++) {
    const box = boxes + <usize>k * boxBytes;
    const b = <i32>load<f64>(box);
    if (b < b0 || b >= b0 + count) continue;
    const image = dx + <usize>b * imageBytes;
    for (let i = 0; i < cropH; i++) {
      const row = box + 8 + <usize>i * SAMPLE;
      if (lo(row) < 0) continue;
      const top = image + <usize>lo(row) * rowBytes;
      const bottom = image + <usize>hi(row) * rowBytes;
      const rf = frac(row);
      let g = dy + (<usize>(k * cropH + i) * cropW) * pixel;
      for (let j = 0; j < cropW; j++, g += pixel) {
        const col = box + 8 + <usize>(cropH + j) * SAMPLE;
        if (lo(col) < 0) continue;
        const left = <usize>lo(col) * pixel;
        const right = <usize>hi(col) * pixel;
        scatter(g, top + left, top + right, bottom + left, bottom + right, c, frac(col), rf);
      }
    }
  }
}
