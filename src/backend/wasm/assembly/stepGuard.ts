// The training step's non-finite guard, in place of
// src/kernels/stepGuard/cpu.ts. guard = [flag, batch, loss, 0]; updates that
// take a guard check its flag in JS before they call in (stepGuard/wasm.ts).

import { at } from './lanes';

/** At the first NaN or infinite loss (flag still 0): guard = [1, batch, loss, 0]. */
export function lossGuard(loss: usize, guard: usize, batch: i32): void {
  const l = load<f32>(loss);
  if (load<f32>(guard) != 0 || isFinite<f32>(l)) return;
  store<f32>(guard, 1);
  store<f32>(guard, <f32>batch, 4);
  store<f32>(guard, l, 8);
}

@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

/** sums += weight * value over n elements, in f64 as the CPU computes it (weight unrounded): four elements as two f64x2. */
export function guardedAccumulate(sums: usize, value: usize, n: i32, weight: f64): void {
  const w = f64x2.splat(weight);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const s = v128.load(at(sums, i));
    const v = v128.load(at(value, i));
    const lo = f32x4.demote_f64x2_zero(f64x2.add(low(s), f64x2.mul(w, low(v))));
    const hi = f32x4.demote_f64x2_zero(f64x2.add(high(s), f64x2.mul(w, high(v))));
    v128.store(at(sums, i), v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
  }
  for (; i < n; i++) store<f32>(at(sums, i), <f32>(<f64>load<f32>(at(sums, i)) + weight * <f64>load<f32>(at(value, i))));
}
