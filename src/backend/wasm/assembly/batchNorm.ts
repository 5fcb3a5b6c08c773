// Batch normalization over every axis but the last, in place of
// src/kernels/batchNorm/cpu.ts. Legend: x is [rows, c], rows = n*h*w, and the
// statistics are per channel c. NHWC puts the channels of a pixel side by
// side, so every pass walks the rows and runs four channels per lane group.
// Sums over the rows accumulate in f64 (two lanes at a time), as the CPU
// reference's do; the element-wise passes run in float32.

import { at, promoteHigh } from './lanes';

@inline function at64(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** acc[k] += v[k] for four channels from k, acc in f64. */
@inline function accumulate(acc: usize, k: i32, v: v128): void {
  const a = at64(acc, k);
  v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v)));
  v128.store(a + 16, f64x2.add(v128.load(a + 16), promoteHigh(v)));
}

/** y = (x - mean) * scale + beta per channel: scale is gamma * invStd. */
function normalize(x: usize, y: usize, rows: i32, c: i32, mean: usize, scale: usize, beta: usize): void {
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * c);
    const yr = at(y, r * c);
    let k = 0;
    for (; k + 4 <= c; k += 4) {
      const centered = f32x4.sub(v128.load(at(xr, k)), v128.load(at(mean, k)));
      v128.store(at(yr, k), f32x4.add(f32x4.mul(centered, v128.load(at(scale, k))), v128.load(at(beta, k))));
    }
    for (; k < c; k++) {
      store<f32>(at(yr, k), (load<f32>(at(xr, k)) - load<f32>(at(mean, k))) * load<f32>(at(scale, k)) + load<f32>(at(beta, k)));
    }
  }
}

/**
 * x [rows, c], gamma [c], beta [c] -> y, mean, variance (biased), invStd.
 * Two passes (mean, then squared deviations) so the variance does not lose
 * precision to cancellation. scratch: 20 * c bytes (two f64 sums per channel
 * and the float32 scale).
 */
export function batchNormTrain(
  x: usize, gamma: usize, beta: usize, y: usize, mean: usize, variance: usize, invStd: usize,
  rows: i32, c: i32, epsilon: f64, scratch: usize,
): void {
  const sum = scratch;
  const sq = at64(scratch, c);
  memory.fill(scratch, 0, <usize>c * 16);
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * c);
    let k = 0;
    for (; k + 4 <= c; k += 4) accumulate(sum, k, v128.load(at(xr, k)));
    for (; k < c; k++) store<f64>(at64(sum, k), load<f64>(at64(sum, k)) + <f64>load<f32>(at(xr, k)));
  }
  for (let k = 0; k < c; k++) store<f64>(at64(sum, k), load<f64>(at64(sum, k)) / <f64>rows);
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * c);
    let k = 0;
    for (; k + 4 <= c; k += 4) {
      const v = v128.load(at(xr, k));
      const m = at64(sum, k);
      const lo = f64x2.sub(f64x2.promote_low_f32x4(v), v128.load(m));
      const hi = f64x2.sub(promoteHigh(v), v128.load(m + 16));
      const s = at64(sq, k);
      v128.store(s, f64x2.add(v128.load(s), f64x2.mul(lo, lo)));
      v128.store(s + 16, f64x2.add(v128.load(s + 16), f64x2.mul(hi, hi)));
    }
    for (; k < c; k++) {
      const d = <f64>load<f32>(at(xr, k)) - load<f64>(at64(sum, k));
      store<f64>(at64(sq, k), load<f64>(at64(sq, k)) + d * d);
    }
  }
  const scale = at64(scratch, 2 * c);
  for (let k = 0; k < c; k++) {
    const m = load<f64>(at64(sum, k));
    const v = load<f64>(at64(sq, k)) / <f64>rows;
    const s = 1 / Math.sqrt(v + epsilon);
    store<f32>(at(mean, k), <f32>m);
    store<f32>(at(variance, k), <f32>v);
    store<f32>(at(invStd, k), <f32>s);
    store<f32>(at(scale, k), <f32>(<f64>load<f32>(at(gamma, k)) * s));
  }
  normalize(x, y, rows, c, mean, scale, beta);
}

/** y with the moving statistics: scale = gamma / sqrt(movingVariance + epsilon). scratch: 4 * c bytes. */
export function batchNormInference(
  x: usize, gamma: usize, beta: usize, movingMean: usize, movingVariance: usize, y: usize,
  rows: i32, c: i32, epsilon: f64, scratch: usize,
): void {
  for (let k = 0; k < c; k++) {
    const s = 1 / Math.sqrt(<f64>load<f32>(at(movingVariance, k)) + epsilon);
    store<f32>(at(scratch, k), <f32>(<f64>load<f32>(at(gamma, k)) * s));
  }
  normalize(x, y, rows, c, movingMean, scratch, beta);
}

/**
 * dy [rows, c] -> dx, dGamma [c], dBeta [c]. Saved by the forward: mean and
 * invStd. With xhat = (x - mean) * invStd and dxhat = dy * gamma:
 *   dBeta = sum dy, dGamma = sum dy * xhat (over the rows, in f64)
 *   dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
 * where mean(dxhat) = gamma * dBeta / rows, mean(dxhat * xhat) = gamma * dGamma / rows.
 * scratch: 24 * c bytes (two f64 sums per channel and those two means in float32).
 */
export function batchNormBackward(
  dy: usize, x: usize, gamma: usize, mean: usize, invStd: usize, dx: usize, dGamma: usize, dBeta: usize,
  rows: i32, c: i32, scratch: usize,
): void {
  const sumDy = scratch;
  const sumDyXhat = at64(scratch, c);
  memory.fill(scratch, 0, <usize>c * 16);
  for (let r = 0; r < rows; r++) {
    const o = r * c;
    let k = 0;
    for (; k + 4 <= c; k += 4) {
      const g = v128.load(at(dy, o + k));
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(x, o + k)), v128.load(at(mean, k))), v128.load(at(invStd, k)));
      accumulate(sumDy, k, g);
      const p = at64(sumDyXhat, k);
      v128.store(p, f64x2.add(v128.load(p), f64x2.mul(f64x2.promote_low_f32x4(g), f64x2.promote_low_f32x4(xhat))));
      v128.store(p + 16, f64x2.add(v128.load(p + 16), f64x2.mul(promoteHigh(g), promoteHigh(xhat))));
    }
    for (; k < c; k++) {
      const g = <f64>load<f32>(at(dy, o + k));
      const xhat = <f64>((load<f32>(at(x, o + k)) - load<f32>(at(mean, k))) * load<f32>(at(invStd, k)));
      store<f64>(at64(sumDy, k), load<f64>(at64(sumDy, k)) + g);
      store<f64>(at64(sumDyXhat, k), load<f64>(at64(sumDyXhat, k)) + g * xhat);
    }
  }
  const dxhatMean = at64(scratch, 2 * c);
  const dxhatXhatMean = at(dxhatMean, c);
  for (let k = 0; k < c; k++) {
    const gk = <f64>load<f32>(at(gamma, k));
    const b = load<f64>(at64(sumDy, k));
    const g = load<f64>(at64(sumDyXhat, k));
    store<f32>(at(dBeta, k), <f32>b);
    store<f32>(at(dGamma, k), <f32>g);
    store<f32>(at(dxhatMean, k), <f32>((gk * b) / <f64>rows));
    store<f32>(at(dxhatXhatMean, k), <f32>((gk * g) / <f64>rows));
  }
  for (let r = 0; r < rows; r++) {
    const o = r * c;
    let k = 0;
    for (; k + 4 <= c; k += 4) {
      const s = v128.load(at(invStd, k));
      const xhat = f32x4.mul(f32x4.sub(v128.load(at(x, o + k)), v128.load(at(mean, k))), s);
      let d = f32x4.mul(v128.load(at(dy, o + k)), v128.load(at(gamma, k))); // term 1: through xhat directly
      d = f32x4.sub(d, v128.load(at(dxhatMean, k))); // term 2: through the mean
      d = f32x4.sub(d, f32x4.mul(xhat, v128.load(at(dxhatXhatMean, k)))); // term 3: through the variance
      v128.store(at(dx, o + k), f32x4.mul(d, s));
    }
    for (; k < c; k++) {
      const s = load<f32>(at(invStd, k));
      const xhat = (load<f32>(at(x, o + k)) - load<f32>(at(mean, k))) * s;
      const d = load<f32>(at(dy, o + k)) * load<f32>(at(gamma, k)) - load<f32>(at(dxhatMean, k)) - xhat * load<f32>(at(dxhatXhatMean, k));
      store<f32>(at(dx, o + k), d * s);
    }
  }
}

/** In place: v -= (v - value) * decay, decay = 1 - momentum (TF.js's moving average). */
export function movingAverageUpdate(v: usize, value: usize, n: i32, decay: f64): void {
  const d = f32x4.splat(<f32>decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const vi = v128.load(at(v, i));
    v128.store(at(v, i), f32x4.sub(vi, f32x4.mul(f32x4.sub(vi, v128.load(at(value, i))), d)));
  }
  for (; i < n; i++) {
    const vi = load<f32>(at(v, i));
    store<f32>(at(v, i), vi - (vi - load<f32>(at(value, i))) * <f32>decay);
  }
}
