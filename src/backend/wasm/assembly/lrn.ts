// Local response normalization over the channels of NHWC pixels and its
// backward, in place of src/kernels/lrn/cpu.ts. Legend: x [rows, c] (a row is
// a pixel), r the depth radius; the window of channel d is [d - r, d + r]
// clipped to [0, c). Everything runs in f64 in the CPU reference's order, so
// only pow may differ from it (in its last f64 bit): the window sums run two
// channels per f64x2 where the window is whole, one at a time at the edges.

import { at } from './lanes';

@inline function at64(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

@inline function sq(xr: usize, k: i32): f64 {
  const v = <f64>load<f32>(at(xr, k));
  return v * v;
}

/** bias + alpha * (sum of x^2 over channels d - r ... d + r, clipped), summed from the lowest channel up. */
@inline function normAt(xr: usize, c: i32, d: i32, r: i32, bias: f64, alpha: f64): f64 {
  const hi = min(c - 1, d + r);
  let s: f64 = 0;
  for (let k = max(0, d - r); k <= hi; k++) s += sq(xr, k);
  return bias + alpha * s;
}

/**
 * The norms of channels d and d + 1 (both windows whole): two lanes, each
 * summed over its window from the lowest channel up, as normAt does.
 */
@inline function norm2(xr: usize, d: i32, r: i32, bias: v128, alpha: v128): v128 {
  let s = f64x2.splat(0);
  for (let k = d - r; k <= d + r; k++) {
    const v = f64x2.promote_low_f32x4(v128.load64_zero(at(xr, k)));
    s = f64x2.add(s, f64x2.mul(v, v));
  }
  return f64x2.add(bias, f64x2.mul(alpha, s));
}

/**
 * norms[d] = the norm of channel d of row xr: channels [r, c - r - 1) in
 * lane pairs (whole windows), the rest one at a time.
 */
function norms(xr: usize, out: usize, c: i32, r: i32, bias: f64, alpha: f64): void {
  const biasV = f64x2.splat(bias);
  const alphaV = f64x2.splat(alpha);
  let d = 0;
  for (; d < min(r, c); d++) store<f64>(at64(out, d), normAt(xr, c, d, r, bias, alpha));
  for (; d + 1 + r < c; d += 2) v128.store(at64(out, d), norm2(xr, d, r, biasV, alphaV));
  for (; d < c; d++) store<f64>(at64(out, d), normAt(xr, c, d, r, bias, alpha));
}

/** y = x * norm^-beta for rows [r0, r0 + count); scratch: c f64. */
export function lrn(x: usize, y: usize, scratch: usize, c: i32, r0: i32, count: i32, r: i32, bias: f64, alpha: f64, beta: f64): void {
  for (let row = r0; row < r0 + count; row++) {
    const xr = at(x, row * c);
    const yr = at(y, row * c);
    norms(xr, scratch, c, r, bias, alpha);
    for (let d = 0; d < c; d++) {
      store<f32>(at(yr, d), <f32>(<f64>load<f32>(at(xr, d)) * Math.pow(load<f64>(at64(scratch, d)), -beta)));
    }
  }
}

/**
 * One term of dx[k], from output d: (-2 alpha beta x_k y_d) / n_d, plus
 * n_d^-beta where k = d, times dy_d; the CPU reference scatters it with
 * dx[k] += term, rounding to float32 each time.
 */
@inline function term(xk: f64, yd: f64, nd: f64, pd: f64, dyd: f64, same: bool, ab: f64): f64 {
  let g = (ab * xk * yd) / nd;
  if (same) g += pd;
  return g * dyd;
}

/**
 * dx for rows [r0, r0 + count). Per row, scratch holds n_d, n_d^-beta and
 * y_d = x_d n_d^-beta in f64 (3c values); then each dx[k] gathers its
 * window's terms from d = k - r up, the order in which the CPU reference
 * scatters them, rounding to float32 after each (two channels per lane pair
 * where the window is whole).
 */
export function lrnBackward(dy: usize, x: usize, dx: usize, scratch: usize, c: i32, r0: i32, count: i32, r: i32, bias: f64, alpha: f64, beta: f64): void {
  const n = scratch;
  const p = at64(scratch, c);
  const yv = at64(scratch, 2 * c);
  const ab = -2 * alpha * beta;
  const abV = f64x2.splat(ab);
  for (let row = r0; row < r0 + count; row++) {
    const xr = at(x, row * c);
    const dyr = at(dy, row * c);
    const dxr = at(dx, row * c);
    norms(xr, n, c, r, bias, alpha);
    for (let d = 0; d < c; d++) {
      const pd = Math.pow(load<f64>(at64(n, d)), -beta);
      store<f64>(at64(p, d), pd);
      store<f64>(at64(yv, d), <f64>load<f32>(at(xr, d)) * pd);
    }
    let k = 0;
    for (; k < min(r, c); k++) store<f32>(at(dxr, k), gather1(xr, dyr, n, p, yv, c, k, r, ab));
    for (; k + 1 + r < c; k += 2) {
      const xk = f64x2.promote_low_f32x4(v128.load64_zero(at(xr, k)));
      const axk = f64x2.mul(abV, xk);
      let s = f64x2.splat(0);
      for (let d = k - r; d <= k + r; d++) {
        let g = f64x2.div(f64x2.mul(axk, v128.load(at64(yv, d))), v128.load(at64(n, d)));
        if (d == k) g = f64x2.add(g, v128.load(at64(p, d)));
        const t = f64x2.mul(g, f64x2.promote_low_f32x4(v128.load64_zero(at(dyr, d))));
        s = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.add(s, t)));
      }
      v128.store64_lane(at(dxr, k), f32x4.demote_f64x2_zero(s), 0);
    }
    for (; k < c; k++) store<f32>(at(dxr, k), gather1(xr, dyr, n, p, yv, c, k, r, ab));
  }
}

/** dx[k] of one row, its window clipped. */
@inline function gather1(xr: usize, dyr: usize, n: usize, p: usize, yv: usize, c: i32, k: i32, r: i32, ab: f64): f32 {
  const xk = <f64>load<f32>(at(xr, k));
  const hi = min(c - 1, k + r);
  let s: f32 = 0;
  for (let d = max(0, k - r); d <= hi; d++) {
    s = <f32>(<f64>s + term(xk, load<f64>(at64(yv, d)), load<f64>(at64(n, d)), load<f64>(at64(p, d)), <f64>load<f32>(at(dyr, d)), d == k, ab));
  }
  return s;
}
