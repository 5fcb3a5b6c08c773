// Losses, their gradients, metrics, the sparse-label check and weight
// penalties, in place of src/kernels/loss/cpu.ts, whose formulas (TF.js's)
// each function here follows line for line, in f64. yPred is [rows, k].
// These run once per batch on [batch, classes]: plain loops, no SIMD.

import { at } from './lanes';

// The kind codes, in the order of LOSS_KINDS and METRIC_KINDS (src/kernels/loss/index.ts).
const CATEGORICAL = 0;
const SPARSE_CATEGORICAL = 1;
const BINARY_CE = 2;
const MSE = 3;
const MAE = 4;
const MAPE = 5;
const MSLE = 6;

const CATEGORICAL_ACCURACY = 0;
const SPARSE_CATEGORICAL_ACCURACY = 1;
const BINARY_ACCURACY = 2;
const METRIC_MSE = 3;
const METRIC_MAE = 4;
const TOP_K = 5;
const SPARSE_TOP_K = 6;
const PRECISION = 7;
const RECALL = 8;

/** TF.js's backend epsilon, rounded to float32 as TF.js's clip bounds are. */
const EPS: f64 = <f64><f32>1e-7;
const ONE_MINUS_EPS: f64 = <f64><f32>(1 - 1e-7);

@inline function get(p: usize, i: i32): f64 {
  return <f64>load<f32>(at(p, i));
}

@inline function clip(x: f64): f64 {
  return Math.min(Math.max(x, EPS), ONE_MINUS_EPS);
}

@inline function inside(x: f64): f64 {
  return x >= EPS && x <= ONE_MINUS_EPS ? 1 : 0;
}

/** TF.js's abs' is step(x, -1): abs'(0) = -1. */
@inline function absGrad(x: f64): f64 {
  return x > 0 ? 1 : -1;
}

/** Target j of row r: the one-hot of a sparse label (floored; out of range is all zeros), or t itself. */
@inline function target(t: usize, sparse: bool, r: i32, k: i32, j: i32): f64 {
  if (!sparse) return get(t, r * k + j);
  const c = Math.floor(get(t, r));
  return c == <f64>j ? 1 : 0;
}

/** p itself, or clipped first (the sparse loss clips p before the categorical one normalizes and clips again). */
@inline function pred(p: usize, sparse: bool, i: i32): f64 {
  return sparse ? clip(get(p, i)) : get(p, i);
}

/** The per-element loss term of the element-wise kinds. */
function elementValue(kind: i32, t: f64, p: f64): f64 {
  if (kind == BINARY_CE) {
    const c = clip(p);
    const z = Math.log(c / (1 - c));
    return Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
  }
  if (kind == MSE) return (p - t) * (p - t);
  if (kind == MAE) return Math.abs(p - t);
  if (kind == MAPE) return 100 * Math.abs((t - p) / Math.max(Math.abs(t), EPS));
  // MSLE
  const d = Math.log1p(Math.max(p, EPS)) - Math.log1p(Math.max(t, EPS));
  return d * d;
}

/** d elementValue / dp, clips included. */
function elementGrad(kind: i32, t: f64, p: f64): f64 {
  if (kind == BINARY_CE) {
    const c = clip(p);
    return (inside(p) * (c - t)) / (c * (1 - c));
  }
  if (kind == MSE) return 2 * (p - t);
  if (kind == MAE) return absGrad(p - t);
  if (kind == MAPE) {
    const ct = Math.max(Math.abs(t), EPS);
    return (-100 * absGrad((t - p) / ct)) / ct;
  }
  const cp = Math.max(p, EPS);
  const d = Math.log1p(cp) - Math.log1p(Math.max(t, EPS));
  return (2 * d * (p >= EPS ? 1 : 0)) / (1 + cp);
}

/** out[0] = the batch mean of the per-row loss (NaN for no rows). */
export function loss(kind: i32, t: usize, p: usize, out: usize, rows: i32, k: i32): void {
  let total: f64 = 0;
  if (kind == CATEGORICAL || kind == SPARSE_CATEGORICAL) {
    const sparse = kind == SPARSE_CATEGORICAL;
    // q = p / sum(p) over the row, L_row = -sum(t * log clip(q)).
    for (let r = 0; r < rows; r++) {
      const o = r * k;
      let s: f64 = 0;
      for (let j = 0; j < k; j++) s += pred(p, sparse, o + j);
      let l: f64 = 0;
      for (let j = 0; j < k; j++) l -= target(t, sparse, r, k, j) * Math.log(clip(pred(p, sparse, o + j) / s));
      total += l;
    }
  } else {
    for (let i = 0, size = rows * k; i < size; i++) total += elementValue(kind, get(t, i), get(p, i));
    total /= k;
  }
  store<f32>(out, rows == 0 ? NaN : <f32>(total / rows));
}

/** dp [rows, k] = d loss / d yPred. */
export function lossBackward(kind: i32, t: usize, p: usize, dp: usize, rows: i32, k: i32): void {
  if (kind != CATEGORICAL && kind != SPARSE_CATEGORICAL) {
    for (let i = 0, size = rows * k; i < size; i++) {
      store<f32>(at(dp, i), <f32>(elementGrad(kind, get(t, i), get(p, i)) / (<f64>k * rows)));
    }
    return;
  }
  const sparse = kind == SPARSE_CATEGORICAL;
  const scale: f64 = 1 / <f64>rows;
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    let s: f64 = 0;
    for (let j = 0; j < k; j++) s += pred(p, sparse, o + j);
    // dL/dp_j = (g_j - sum_k g_k q_k) / s with g = dL/dq = -t / clip(q) where q is unclipped.
    let gq: f64 = 0;
    for (let j = 0; j < k; j++) {
      const q = pred(p, sparse, o + j) / s;
      gq += inside(q) * (-target(t, sparse, r, k, j) / clip(q)) * q;
    }
    for (let j = 0; j < k; j++) {
      const q = pred(p, sparse, o + j) / s;
      const g = inside(q) * (-target(t, sparse, r, k, j) / clip(q));
      let d = (scale * (g - gq)) / s;
      // The sparse loss's first clip: zero gradient where p itself was clipped.
      if (sparse) d *= inside(get(p, o + j));
      store<f32>(at(dp, o + j), <f32>d);
    }
  }
}

/** dz [rows, k] = (probs * sum(t) - t) / rows: cross-entropy through the softmax that gave probs. */
export function softmaxCrossEntropyBackward(t: usize, probs: usize, dz: usize, rows: i32, k: i32, sparse: bool): void {
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    let st: f64 = 0;
    for (let j = 0; j < k; j++) st += target(t, sparse, r, k, j);
    for (let j = 0; j < k; j++) {
      store<f32>(at(dz, o + j), <f32>((get(probs, o + j) * st - target(t, sparse, r, k, j)) / <f64>rows));
    }
  }
}

/** Index of the first maximum of row o..o+k, as tf.argMax picks it. */
function argMax(v: usize, o: i32, k: i32): i32 {
  let best = 0;
  for (let j = 1; j < k; j++) if (load<f32>(at(v, o + j)) > load<f32>(at(v, o + best))) best = j;
  return best;
}

/**
 * tf.math.in_top_k: fewer than `top` classes score strictly higher than the
 * target; never when a score in the row is not finite or the target is not a class.
 */
function inTopK(p: usize, o: i32, k: i32, targetClass: f64, top: f64): bool {
  if (!(targetClass >= 0 && targetClass < <f64>k)) return false;
  const v = get(p, o + <i32>targetClass);
  if (!isFinite(v)) return false;
  let higher = 0;
  for (let j = 0; j < k; j++) {
    const q = get(p, o + j);
    if (!isFinite(q)) return false;
    if (q > v) higher++;
  }
  return <f64>higher < top;
}

/** Keras's precision or recall of the whole batch, threshold 0.5; 0 when the denominator is 0. */
function ratio(kind: i32, t: usize, p: usize, size: i32): f64 {
  let tp = 0;
  let other = 0;
  for (let i = 0; i < size; i++) {
    const predicted = load<f32>(at(p, i)) > 0.5;
    const actual = load<f32>(at(t, i)) != 0;
    if (predicted && actual) tp++;
    else if (kind == PRECISION ? predicted : actual) other++;
  }
  return tp + other > 0 ? <f64>tp / <f64>(tp + other) : 0;
}

/** out[0] = the batch mean of a metric (precision and recall: the batch's ratio); top: the top-k accuracies' k. */
export function metric(kind: i32, t: usize, p: usize, out: usize, rows: i32, k: i32, top: f64): void {
  if (kind == PRECISION || kind == RECALL) {
    store<f32>(out, <f32>ratio(kind, t, p, rows * k));
    return;
  }
  let total: f64 = 0;
  if (kind == TOP_K) {
    for (let r = 0; r < rows; r++) total += inTopK(p, r * k, k, <f64>argMax(t, r * k, k), top) ? 1 : 0;
  } else if (kind == SPARSE_TOP_K) {
    // Keras casts the float label to an integer (truncation).
    for (let r = 0; r < rows; r++) total += inTopK(p, r * k, k, Math.trunc(get(t, r)), top) ? 1 : 0;
  } else if (kind == CATEGORICAL_ACCURACY) {
    for (let r = 0; r < rows; r++) total += argMax(t, r * k, k) == argMax(p, r * k, k) ? 1 : 0;
  } else if (kind == SPARSE_CATEGORICAL_ACCURACY) {
    // The float label must equal the predicted index exactly.
    for (let r = 0; r < rows; r++) total += get(t, r) == <f64>argMax(p, r * k, k) ? 1 : 0;
  } else if (kind == BINARY_ACCURACY) {
    for (let i = 0, size = rows * k; i < size; i++) total += get(t, i) == (load<f32>(at(p, i)) > 0.5 ? 1 : 0) ? 1 : 0;
    total /= k;
  } else {
    const element = kind == METRIC_MSE ? MSE : MAE;
    for (let i = 0, size = rows * k; i < size; i++) total += elementValue(element, get(t, i), get(p, i));
    total /= k;
  }
  store<f32>(out, rows == 0 ? NaN : <f32>(total / rows));
}

/** out[0] = how many of n labels are not integers in [0, classes). */
export function sparseLabelCheck(labels: usize, out: usize, n: i32, classes: f64): void {
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const v = get(labels, i);
    if (!(v >= 0 && v < classes && v == Math.floor(v))) bad++;
  }
  store<f32>(out, <f32>bad);
}

/** out[0] = l1 * sum|w| + l2 * sum w^2. */
export function penalty(w: usize, out: usize, n: i32, l1: f64, l2: f64): void {
  let a: f64 = 0;
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = get(w, i);
    a += Math.abs(v);
    s += v * v;
  }
  store<f32>(out, <f32>(l1 * a + l2 * s));
}

/** g = l1 * abs'(w) + 2 * l2 * w, abs'(0) = -1. */
export function penaltyBackward(w: usize, g: usize, n: i32, l1: f64, l2: f64): void {
  for (let i = 0; i < n; i++) {
    const v = get(w, i);
    store<f32>(at(g, i), <f32>(l1 * absGrad(v) + 2 * l2 * v));
  }
}
