// Structural kernels, in place of src/kernels/structure/cpu.ts: add, scale,
// the full sum, zero padding and its crop, concatenation along the last axis
// and its split. Layout NHWC: n h w c. The copies are memory.copy of whole
// runs (a padded row's pixels, a concatenated row's piece).

import { at } from './lanes';

/** c = a + b over n elements. */
export function add(a: usize, b: usize, c: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(c, i), f32x4.add(v128.load(at(a, i)), v128.load(at(b, i))));
  for (; i < n; i++) store<f32>(at(c, i), load<f32>(at(a, i)) + load<f32>(at(b, i)));
}

/** y = x * s over n elements. */
export function scale(x: usize, y: usize, n: i32, s: f64): void {
  const f = <f32>s;
  const v = f32x4.splat(f);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.mul(v128.load(at(x, i)), v));
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(x, i)) * f);
}

/** out[0] = the sum of n elements, accumulated in f64 (four running sums) and rounded once. */
export function sum(x: usize, out: usize, n: i32): void {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(x, i));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
  }
  let s = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (; i < n; i++) s += <f64>load<f32>(at(x, i));
  store<f32>(out, <f32>s);
}

/** y [n, h + top + bottom, w + left + right, c]: x framed in zeros. */
export function zeroPad2d(x: usize, y: usize, n: i32, h: i32, w: i32, c: i32, top: i32, bottom: i32, left: i32, right: i32): void {
  const oh = h + top + bottom;
  const ow = w + left + right;
  memory.fill(y, 0, <usize>n * oh * ow * c * 4);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++) {
      memory.copy(at(y, ((b * oh + i + top) * ow + left) * c), at(x, (b * h + i) * w * c), <usize>w * c * 4);
    }
}

/** dx [n, h, w, c]: dy [n, oh, ow, c] cropped back to the unpadded window. */
export function zeroPad2dBackward(dy: usize, dx: usize, n: i32, oh: i32, ow: i32, c: i32, top: i32, bottom: i32, left: i32, right: i32): void {
  const h = oh - top - bottom;
  const w = ow - left - right;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h; i++) {
      memory.copy(at(dx, (b * h + i) * w * c), at(dy, ((b * oh + i + top) * ow + left) * c), <usize>w * c * 4);
    }
}

/** One input of a concatenation: its rows of width wk go to columns [offset, offset + wk) of y's rows of width total. */
export function concatPart(x: usize, y: usize, rows: i32, wk: i32, total: i32, offset: i32): void {
  for (let r = 0; r < rows; r++) memory.copy(at(y, r * total + offset), at(x, r * wk), <usize>wk * 4);
}

/** The split of concatPart: columns [offset, offset + wk) of dy's rows into part. */
export function splitPart(dy: usize, part: usize, rows: i32, wk: i32, total: i32, offset: i32): void {
  for (let r = 0; r < rows; r++) memory.copy(at(part, r * wk), at(dy, r * total + offset), <usize>wk * 4);
}
