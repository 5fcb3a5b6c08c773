// Optimizer steps in place on the weight w and its slots, in place of
// src/kernels/optimizer/cpu.ts (TF.js's formulas), in float32 four lanes at a
// time; the last n % 4 elements go through the same lane code one at a time
// (wide false: only lane 0 is loaded and stored). Hyper-parameters arrive as
// f64 and are rounded to float32 once.

import { at } from './lanes';

@inline function ld(p: usize, wide: bool): v128 {
  return wide ? v128.load(p) : v128.load32_zero(p);
}

@inline function st(p: usize, v: v128, wide: bool): void {
  if (wide) v128.store(p, v);
  else v128.store32_lane(p, v, 0);
}

@inline function splat(x: f64): v128 {
  return f32x4.splat(<f32>x);
}

/** w -= lr * g. */
@inline function sgdStep(w: usize, g: usize, rate: v128, wide: bool): void {
  st(w, f32x4.sub(ld(w, wide), f32x4.mul(rate, ld(g, wide))), wide);
}

export function sgdUpdate(w: usize, g: usize, n: i32, lr: f64): void {
  const rate = splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) sgdStep(at(w, i), at(g, i), rate, true);
  for (; i < n; i++) sgdStep(at(w, i), at(g, i), rate, false);
}

/** accum = m * accum + g; w -= lr * accum, or with nesterov w -= lr * (g + m * accum) (the new accum). */
@inline function momentumStep(w: usize, g: usize, accum: usize, rate: v128, m: v128, nesterov: bool, wide: bool): void {
  const gi = ld(g, wide);
  const a = f32x4.add(f32x4.mul(m, ld(accum, wide)), gi);
  st(accum, a, wide);
  const step = nesterov ? f32x4.add(gi, f32x4.mul(m, a)) : a;
  st(w, f32x4.sub(ld(w, wide), f32x4.mul(rate, step)), wide);
}

export function momentumUpdate(w: usize, g: usize, accum: usize, n: i32, lr: f64, momentum: f64, nesterov: bool): void {
  const rate = splat(lr);
  const m = splat(momentum);
  let i = 0;
  for (; i + 4 <= n; i += 4) momentumStep(at(w, i), at(g, i), at(accum, i), rate, m, nesterov, true);
  for (; i < n; i++) momentumStep(at(w, i), at(g, i), at(accum, i), rate, m, nesterov, false);
}

/**
 * Adam, with AdamW's decoupled weight decay first (w -= lr * weightDecay * w):
 *   m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g^2
 *   w -= lr * (m / c1) / (sqrt(v / c2) + epsilon),  c1 = 1 - b1^t, c2 = 1 - b2^t.
 * o1, o2: 1 - b1, 1 - b2; decay: lr * weightDecay.
 */
@inline function adamStep(
  w: usize, g: usize, m: usize, v: usize, wide: bool, decays: bool,
  rate: v128, decay: v128, b1: v128, b2: v128, o1: v128, o2: v128, eps: v128, c1: v128, c2: v128,
): void {
  const gi = ld(g, wide);
  let w0 = ld(w, wide);
  if (decays) w0 = f32x4.sub(w0, f32x4.mul(decay, w0));
  const mi = f32x4.add(f32x4.mul(b1, ld(m, wide)), f32x4.mul(o1, gi));
  const vi = f32x4.add(f32x4.mul(b2, ld(v, wide)), f32x4.mul(f32x4.mul(o2, gi), gi));
  st(m, mi, wide);
  st(v, vi, wide);
  const denom = f32x4.add(f32x4.sqrt(f32x4.div(vi, c2)), eps);
  st(w, f32x4.sub(w0, f32x4.div(f32x4.mul(rate, f32x4.div(mi, c1)), denom)), wide);
}

export function adamUpdate(
  w: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f64, beta1: f64, beta2: f64, epsilon: f64, c1: f64, c2: f64, weightDecay: f64,
): void {
  const rate = splat(lr);
  const decay = splat(lr * weightDecay);
  const b1 = splat(beta1);
  const b2 = splat(beta2);
  const o1 = splat(1 - beta1);
  const o2 = splat(1 - beta2);
  const eps = splat(epsilon);
  const k1 = splat(c1);
  const k2 = splat(c2);
  const decays = weightDecay != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) adamStep(at(w, i), at(g, i), at(m, i), at(v, i), true, decays, rate, decay, b1, b2, o1, o2, eps, k1, k2);
  for (; i < n; i++) adamStep(at(w, i), at(g, i), at(m, i), at(v, i), false, decays, rate, decay, b1, b2, o1, o2, eps, k1, k2);
}

/**
 * RMSprop (decay rho): ms = rho * ms + (1 - rho) * g^2;
 *   plain:    mom = momentum * mom + lr * g / sqrt(ms + epsilon)
 *   centered: mg = rho * mg + (1 - rho) * g; mom = momentum * mom + lr * g / sqrt(ms - (mg^2 + epsilon))
 *   w -= mom.  mg is read only when centered (TF.js's sign of epsilon, kept). o: 1 - rho.
 */
@inline function rmspropStep(
  w: usize, g: usize, ms: usize, mom: usize, mg: usize, wide: bool, centered: bool,
  rate: v128, r: v128, o: v128, mu: v128, eps: v128,
): void {
  const gi = ld(g, wide);
  const si = f32x4.add(f32x4.mul(r, ld(ms, wide)), f32x4.mul(f32x4.mul(o, gi), gi));
  st(ms, si, wide);
  let denom = f32x4.add(si, eps);
  if (centered) {
    const ci = f32x4.add(f32x4.mul(r, ld(mg, wide)), f32x4.mul(o, gi));
    st(mg, ci, wide);
    denom = f32x4.sub(si, f32x4.add(f32x4.mul(ci, ci), eps));
  }
  const oi = f32x4.add(f32x4.mul(mu, ld(mom, wide)), f32x4.div(f32x4.mul(rate, gi), f32x4.sqrt(denom)));
  st(mom, oi, wide);
  st(w, f32x4.sub(ld(w, wide), oi), wide);
}

export function rmspropUpdate(
  w: usize, g: usize, ms: usize, mom: usize, mg: usize, n: i32,
  lr: f64, rho: f64, momentum: f64, epsilon: f64, centered: bool,
): void {
  const rate = splat(lr);
  const r = splat(rho);
  const o = splat(1 - rho);
  const mu = splat(momentum);
  const eps = splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) rmspropStep(at(w, i), at(g, i), at(ms, i), at(mom, i), at(mg, i), true, centered, rate, r, o, mu, eps);
  for (; i < n; i++) rmspropStep(at(w, i), at(g, i), at(ms, i), at(mom, i), at(mg, i), false, centered, rate, r, o, mu, eps);
}
