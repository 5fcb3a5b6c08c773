// UpSampling2D by whole factors and its backward, in place of
// src/kernels/decoder/cpu.ts. Legend: x [n, h, w, c], y [n, h*sh, w*sw, c].
// Output row oi reads source rows top = oi / sh and bottom = min(top + 1, h - 1)
// with bottom's weight frac = (oi - top*sh) / sh (columns alike). Nearest
// copies and sums in float32, which is the CPU's f64 rounded once; bilinear
// blends in f64 in the CPU's order (two lanes, four channels per pass), so
// both are bit-exact.

import { at, demote, promoteHigh } from './lanes';

@inline function fracOf(o: i32, s: i32): f64 {
  return <f64>(o - (o / s) * s) / <f64>s;
}

/** a + (b - a) * t in f64, as the CPU reference writes it. */
@inline function lerp(a: v128, b: v128, t: v128): v128 {
  return f64x2.add(a, f64x2.mul(f64x2.sub(b, a), t));
}

/** Nearest: each output pixel is its source pixel's channels. */
function nearest(x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32): void {
  const oh = h * sh;
  const ow = w * sw;
  const pixel = <usize>c << 2;
  let dst = y;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++) {
      const row = at(x, (b * h + oi / sh) * w * c);
      for (let oj = 0; oj < ow; oj++, dst += pixel) memory.copy(dst, row + <usize>(oj / sw) * pixel, pixel);
    }
}

/** Bilinear: along the row first, then between the rows (TF.js's order). */
function bilinear(x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32): void {
  const oh = h * sh;
  const ow = w * sw;
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++) {
      const top = oi / sh;
      const rf = fracOf(oi, sh);
      const rfv = f64x2.splat(rf);
      const topRow = (b * h + top) * w;
      const bottomRow = (b * h + min(top + 1, h - 1)) * w;
      for (let oj = 0; oj < ow; oj++, o += c) {
        const left = oj / sw;
        const right = min(left + 1, w - 1);
        const qf = fracOf(oj, sw);
        const qfv = f64x2.splat(qf);
        const tl = at(x, (topRow + left) * c);
        const tr = at(x, (topRow + right) * c);
        const bl = at(x, (bottomRow + left) * c);
        const br = at(x, (bottomRow + right) * c);
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          const k = <usize>ch << 2;
          const vtl = v128.load(tl + k);
          const vtr = v128.load(tr + k);
          const vbl = v128.load(bl + k);
          const vbr = v128.load(br + k);
          const topLo = lerp(f64x2.promote_low_f32x4(vtl), f64x2.promote_low_f32x4(vtr), qfv);
          const topHi = lerp(promoteHigh(vtl), promoteHigh(vtr), qfv);
          const bottomLo = lerp(f64x2.promote_low_f32x4(vbl), f64x2.promote_low_f32x4(vbr), qfv);
          const bottomHi = lerp(promoteHigh(vbl), promoteHigh(vbr), qfv);
          v128.store(at(y, o + ch), demote(lerp(topLo, bottomLo, rfv), lerp(topHi, bottomHi, rfv)));
        }
        for (; ch < c; ch++) {
          const k = <usize>ch << 2;
          const a = <f64>load<f32>(tl + k);
          const bb = <f64>load<f32>(bl + k);
          const t = a + (<f64>load<f32>(tr + k) - a) * qf;
          const u = bb + (<f64>load<f32>(br + k) - bb) * qf;
          store<f32>(at(y, o + ch), <f32>(t + (u - t) * rf));
        }
      }
    }
}

/** y [n, h*sh, w*sw, c]; bilinear 0 (nearest) or 1. */
export function upSampling2d(x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32, bilinearMode: i32): void {
  if (bilinearMode) bilinear(x, y, n, h, w, c, sh, sw);
  else nearest(x, y, n, h, w, c, sh, sw);
}

/**
 * Nearest's dx: each pixel gathers its sh x sw block of dy, row by row from
 * 0, the order in which the CPU reference adds them into it.
 */
function nearestBackward(dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32): void {
  const ow = w * sw;
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++, o += c) {
        const first = ((b * h + i) * sh * ow + j * sw) * c;
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          let s = f32x4.splat(0);
          for (let di = 0; di < sh; di++)
            for (let dj = 0; dj < sw; dj++) s = f32x4.add(s, v128.load(at(dy, first + (di * ow + dj) * c + ch)));
          v128.store(at(dx, o + ch), s);
        }
        for (; ch < c; ch++) {
          let s: f32 = 0;
          for (let di = 0; di < sh; di++)
            for (let dj = 0; dj < sw; dj++) s += load<f32>(at(dy, first + (di * ow + dj) * c + ch));
          store<f32>(at(dx, o + ch), s);
        }
      }
}

/** dx[p] += weight * g over four channels from p and g, in f64 rounded once to float32, as the CPU reference adds. */
@inline function addWeighted(p: usize, weight: v128, lo: v128, hi: v128): void {
  const d = v128.load(p);
  v128.store(p, demote(f64x2.add(f64x2.promote_low_f32x4(d), f64x2.mul(weight, lo)), f64x2.add(promoteHigh(d), f64x2.mul(weight, hi))));
}

@inline function addWeighted1(p: usize, weight: f64, g: f64): void {
  store<f32>(p, <f32>(<f64>load<f32>(p) + weight * g));
}

/**
 * Bilinear's dx: each dy scattered to the four pixels its output read, in
 * the CPU reference's order (outputs row-major; top-left, top-right,
 * bottom-left, bottom-right, which may be the same pixel at the edges).
 */
function bilinearBackward(dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32): void {
  memory.fill(dx, 0, <usize>n * h * w * c * 4);
  const oh = h * sh;
  const ow = w * sw;
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oi = 0; oi < oh; oi++) {
      const top = oi / sh;
      const rf = fracOf(oi, sh);
      const topRow = (b * h + top) * w;
      const bottomRow = (b * h + min(top + 1, h - 1)) * w;
      for (let oj = 0; oj < ow; oj++, o += c) {
        const left = oj / sw;
        const right = min(left + 1, w - 1);
        const qf = fracOf(oj, sw);
        const wtl = (1 - rf) * (1 - qf);
        const wtr = (1 - rf) * qf;
        const wbl = rf * (1 - qf);
        const wbr = rf * qf;
        const tl = at(dx, (topRow + left) * c);
        const tr = at(dx, (topRow + right) * c);
        const bl = at(dx, (bottomRow + left) * c);
        const br = at(dx, (bottomRow + right) * c);
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          const k = <usize>ch << 2;
          const g = v128.load(at(dy, o + ch));
          const lo = f64x2.promote_low_f32x4(g);
          const hi = promoteHigh(g);
          addWeighted(tl + k, f64x2.splat(wtl), lo, hi);
          addWeighted(tr + k, f64x2.splat(wtr), lo, hi);
          addWeighted(bl + k, f64x2.splat(wbl), lo, hi);
          addWeighted(br + k, f64x2.splat(wbr), lo, hi);
        }
        for (; ch < c; ch++) {
          const k = <usize>ch << 2;
          const g = <f64>load<f32>(at(dy, o + ch));
          addWeighted1(tl + k, wtl, g);
          addWeighted1(tr + k, wtr, g);
          addWeighted1(bl + k, wbl, g);
          addWeighted1(br + k, wbr, g);
        }
      }
    }
}

/** dx [n, h, w, c] from dy [n, h*sh, w*sw, c]; bilinear 0 (nearest) or 1. */
export function upSampling2dBackward(dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32, bilinearMode: i32): void {
  if (bilinearMode) bilinearBackward(dy, dx, n, h, w, c, sh, sw);
  else nearestBackward(dy, dx, n, h, w, c, sh, sw);
}
