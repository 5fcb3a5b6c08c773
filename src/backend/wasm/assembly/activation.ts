// Activations forward and backward, and softmax over the last axis, in place
// of src/kernels/activation/cpu.ts. Pointers are byte offsets of float32 data.
// The piecewise-linear kinds run four lanes at a time; the ones with exp or
// tanh run per element in f64, as the CPU reference computes them.

import { at } from './lanes';

// The kind codes, as src/kernels/activation/wasm.ts passes them.
const LINEAR = 0;
const RELU = 1;
const LEAKY_RELU = 2;
const ELU = 3;
const SIGMOID = 4;
const TANH = 5;
const RELU6 = 6;

/** f(x) for the kinds that have no SIMD path. */
function applyScalar(kind: i32, x: f64, alpha: f64): f64 {
  if (kind == ELU) return x < 0 ? alpha * Math.expm1(x) : x;
  // Two branches so that exp never overflows for large |x|.
  if (kind == SIGMOID) return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  if (kind == TANH) return Math.tanh(x);
  return x;
}

/** Four lanes of f(x); relu's strict > sends NaN and -0 to +0, as the CPU's x > 0 ? x : 0. */
@inline function applyLanes(kind: i32, v: v128, alpha: v128): v128 {
  const zero = f32x4.splat(0);
  if (kind == RELU) return v128.and(v, f32x4.gt(v, zero));
  if (kind == RELU6) return v128.and(f32x4.min(v, f32x4.splat(6)), f32x4.gt(v, zero));
  if (kind == LEAKY_RELU) return v128.bitselect(f32x4.mul(v, alpha), v, f32x4.lt(v, zero));
  return v;
}

/** y = f(x) over n elements; alpha: leakyRelu's slope, elu's scale. */
export function activation(x: usize, y: usize, n: i32, kind: i32, alpha: f64): void {
  if (kind == LINEAR || kind == RELU || kind == RELU6 || kind == LEAKY_RELU) {
    const a = f32x4.splat(<f32>alpha);
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(at(y, i), applyLanes(kind, v128.load(at(x, i)), a));
    for (; i < n; i++) {
      const v = f32x4.splat(load<f32>(at(x, i)));
      store<f32>(at(y, i), f32x4.extract_lane(applyLanes(kind, v, a), 0));
    }
    return;
  }
  for (let i = 0; i < n; i++) store<f32>(at(y, i), <f32>applyScalar(kind, <f64>load<f32>(at(x, i)), alpha));
}

/** Four lanes of f'(x) * dy for the kinds that read only x. */
@inline function gradLanes(kind: i32, g: v128, v: v128, alpha: v128): v128 {
  const zero = f32x4.splat(0);
  const positive = f32x4.gt(v, zero);
  if (kind == RELU) return v128.and(g, positive);
  if (kind == RELU6) return v128.and(g, v128.and(positive, f32x4.le(v, f32x4.splat(6))));
  if (kind == LEAKY_RELU) return v128.bitselect(g, f32x4.mul(g, alpha), positive);
  return g;
}

/** dx = dy * f'(x); relu, relu6, leakyRelu and elu read x, elu, sigmoid and tanh read y = f(x). */
export function activationBackward(dy: usize, x: usize, y: usize, dx: usize, n: i32, kind: i32, alpha: f64): void {
  if (kind == LINEAR || kind == RELU || kind == RELU6 || kind == LEAKY_RELU) {
    const a = f32x4.splat(<f32>alpha);
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(at(dx, i), gradLanes(kind, v128.load(at(dy, i)), v128.load(at(x, i)), a));
    for (; i < n; i++) {
      const r = gradLanes(kind, f32x4.splat(load<f32>(at(dy, i))), f32x4.splat(load<f32>(at(x, i))), a);
      store<f32>(at(dx, i), f32x4.extract_lane(r, 0));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = <f64>load<f32>(at(dy, i));
    const yi = <f64>load<f32>(at(y, i));
    let d = g;
    if (kind == ELU) d = load<f32>(at(x, i)) > 0 ? g : g * (yi + alpha);
    else if (kind == SIGMOID) d = g * yi * (1 - yi);
    else if (kind == TANH) d = g * (1 - yi * yi);
    store<f32>(at(dx, i), <f32>d);
  }
}

/** Softmax over rows of c: the row maximum is subtracted so exp never overflows; sums in f64. */
export function softmax(x: usize, y: usize, rows: i32, c: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * c);
    const yr = at(y, r * c);
    let max = -Infinity;
    for (let k = 0; k < c; k++) max = Math.max(max, <f64>load<f32>(at(xr, k)));
    let sum: f64 = 0;
    for (let k = 0; k < c; k++) sum += Math.exp(<f64>load<f32>(at(xr, k)) - max);
    for (let k = 0; k < c; k++) store<f32>(at(yr, k), <f32>(Math.exp(<f64>load<f32>(at(xr, k)) - max) / sum));
  }
}

/** dx = y * (dy - sum(dy * y)) per row of c; the forward saved y. */
export function softmaxBackward(dy: usize, y: usize, dx: usize, rows: i32, c: i32): void {
  for (let r = 0; r < rows; r++) {
    const o = r * c;
    let dot: f64 = 0;
    for (let k = 0; k < c; k++) dot += <f64>load<f32>(at(dy, o + k)) * <f64>load<f32>(at(y, o + k));
    for (let k = 0; k < c; k++) {
      const yk = <f64>load<f32>(at(y, o + k));
      store<f32>(at(dx, o + k), <f32>(yk * (<f64>load<f32>(at(dy, o + k)) - dot)));
    }
  }
}
