// CPU reference: losses, metrics and weight penalties, with TF.js's exact
// formulas (tfjs-layers losses.ts and metrics.ts). yPred is viewed as [rows, k],
// k its last dimension; each loss is computed per row over k, then averaged over
// the rows into a scalar. Each backward is that scalar's exact gradient with
// respect to yPred, clips included: TF.js's clipByValue passes the gradient where
// min <= x <= max and zeroes it elsewhere; its abs' is step(x, -1), so abs'(0) = -1.

import type { Tensor } from '../../tensor.js';
import type { LossKind, MetricKind } from '../../backend/types.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';

/** TF.js's backend epsilon, rounded to float32 as TF.js's clip bounds are. */
const EPS = Math.fround(1e-7);
const ONE_MINUS_EPS = Math.fround(1 - 1e-7);

const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);
const inside = (x: number, lo: number, hi: number): number => (x >= lo && x <= hi ? 1 : 0);
const absGrad = (x: number): number => (x > 0 ? 1 : -1);

interface Rows { rows: number; k: number }

function rowsOf(yPred: Tensor): Rows {
  const k = yPred.rank === 0 ? 1 : yPred.shape[yPred.rank - 1];
  return { rows: k === 0 ? 0 : yPred.size / k, k };
}

/** Sparse labels are class indices stored as floats; TF.js floors them, and oneHot of an out-of-range index is all zeros. */
function oneHot(labels: Float32Array, rows: number, k: number): Float32Array {
  const t = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const c = Math.floor(labels[r]);
    if (c >= 0 && c < k) t[r * k + c] = 1;
  }
  return t;
}

// ---- categorical cross-entropy ---------------------------------------------
// q = p / sum(p) over the row, c = clip(q, eps, 1 - eps), L_row = -sum(t * log c).

function categoricalRow(t: Float32Array, p: ArrayLike<number>, o: number, k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) s += p[o + j];
  let l = 0;
  for (let j = 0; j < k; j++) l -= t[o + j] * Math.log(clip(p[o + j] / s, EPS, ONE_MINUS_EPS));
  return l;
}

/**
 * dL/dp_j = (g_j - sum_k g_k q_k) / s with g = dL/dq = -t / c where unclipped:
 * the second term is the path through the row sum s that normalizes p.
 */
function categoricalRowGrad(t: Float32Array, p: ArrayLike<number>, o: number, k: number, scale: number, out: Float64Array): void {
  let s = 0;
  for (let j = 0; j < k; j++) s += p[o + j];
  let gq = 0;
  for (let j = 0; j < k; j++) {
    const q = p[o + j] / s;
    const g = inside(q, EPS, ONE_MINUS_EPS) * (-t[o + j] / clip(q, EPS, ONE_MINUS_EPS));
    out[o + j] = g;
    gq += g * q;
  }
  for (let j = 0; j < k; j++) out[o + j] = (scale * (out[o + j] - gq)) / s;
}

// ---- the per-element losses ---------------------------------------------------
// Each gives the element's term and its derivative with respect to p; the row
// value is the mean of the terms over k (MAPE: times 100).

type ElementLoss = (t: number, p: number) => [value: number, grad: number];

const elementLosses: Record<'binaryCrossentropy' | 'meanSquaredError' | 'meanAbsoluteError' | 'meanAbsolutePercentageError' | 'meanSquaredLogarithmicError', ElementLoss> = {
  // c = clip(p, eps, 1 - eps), z = log(c / (1 - c)), then sigmoidCrossEntropyWithLogits:
  // max(z, 0) - z * t + log1p(exp(-|z|)); its z-derivative is sigmoid(z) - t = c - t,
  // and dz/dc = 1 / (c (1 - c)).
  binaryCrossentropy: (t, p) => {
    const c = clip(p, EPS, ONE_MINUS_EPS);
    const z = Math.log(c / (1 - c));
    const value = Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
    return [value, (inside(p, EPS, ONE_MINUS_EPS) * (c - t)) / (c * (1 - c))];
  },
  // (p - t)^2
  meanSquaredError: (t, p) => [(p - t) * (p - t), 2 * (p - t)],
  // |p - t|, abs'(0) = -1
  meanAbsoluteError: (t, p) => [Math.abs(p - t), absGrad(p - t)],
  // 100 * |(t - p) / max(|t|, eps)|; d/dp = 100 * abs'(u) * (-1 / max(|t|, eps))
  meanAbsolutePercentageError: (t, p) => {
    const ct = Math.max(Math.abs(t), EPS);
    const u = (t - p) / ct;
    return [100 * Math.abs(u), (-100 * absGrad(u)) / ct];
  },
  // (log(1 + max(p, eps)) - log(1 + max(t, eps)))^2
  meanSquaredLogarithmicError: (t, p) => {
    const cp = Math.max(p, EPS);
    const d = Math.log1p(cp) - Math.log1p(Math.max(t, EPS));
    return [d * d, (2 * d * (p >= EPS ? 1 : 0)) / (1 + cp)];
  },
};

/** The batch mean of the per-row loss, as a scalar tensor of shape []. */
export function loss(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor {
  const { rows, k } = rowsOf(yPred);
  const p = vals(yPred);
  let total = 0;
  if (kind === 'categoricalCrossentropy' || kind === 'sparseCategoricalCrossentropy') {
    const sparse = kind === 'sparseCategoricalCrossentropy';
    const t = sparse ? oneHot(vals(yTrue), rows, k) : vals(yTrue);
    // TF.js's sparse loss clips p before the categorical one normalizes and clips again.
    const pp = sparse ? p.map((v) => clip(v, EPS, ONE_MINUS_EPS)) : p;
    for (let r = 0; r < rows; r++) total += categoricalRow(t, pp, r * k, k);
  } else {
    const f = elementLosses[kind];
    const t = vals(yTrue);
    for (let i = 0; i < p.length; i++) total += f(t[i], p[i])[0];
    total /= k;
  }
  return cpuTensor(new Float32Array([rows === 0 ? NaN : total / rows]), []);
}

/** d loss(kind, yTrue, yPred) / d yPred, same shape as yPred. */
export function lossBackward(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor {
  const { rows, k } = rowsOf(yPred);
  const p = vals(yPred);
  const out = new Float64Array(p.length);
  if (kind === 'categoricalCrossentropy' || kind === 'sparseCategoricalCrossentropy') {
    const sparse = kind === 'sparseCategoricalCrossentropy';
    const t = sparse ? oneHot(vals(yTrue), rows, k) : vals(yTrue);
    const pp = sparse ? p.map((v) => clip(v, EPS, ONE_MINUS_EPS)) : p;
    for (let r = 0; r < rows; r++) categoricalRowGrad(t, pp, r * k, k, 1 / rows, out);
    // The sparse loss's first clip: zero gradient where p itself was clipped.
    if (sparse) for (let i = 0; i < p.length; i++) out[i] *= inside(p[i], EPS, ONE_MINUS_EPS);
  } else {
    const f = elementLosses[kind];
    const t = vals(yTrue);
    for (let i = 0; i < p.length; i++) out[i] = f(t[i], p[i])[1] / (k * rows);
  }
  return cpuTensor(Float32Array.from(out), yPred.shape);
}

/**
 * d CE(t, softmax(z)) / dz = (probs * sum(t) - t) / rows, from the softmax
 * output probs: no division by a probability, so large logits stay finite.
 */
export function softmaxCrossEntropyBackward(yTrue: Tensor, probs: Tensor, sparse: boolean): Tensor {
  const { rows, k } = rowsOf(probs);
  const p = vals(probs);
  const t = sparse ? oneHot(vals(yTrue), rows, k) : vals(yTrue);
  const dz = new Float32Array(p.length);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    let st = 0;
    for (let j = 0; j < k; j++) st += t[o + j];
    for (let j = 0; j < k; j++) dz[o + j] = (p[o + j] * st - t[o + j]) / rows;
  }
  return cpuTensor(dz, probs.shape);
}

/** Index of the first maximum, as tf.argMax picks it. */
function argMax(v: Float32Array, o: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (v[o + j] > v[o + best]) best = j;
  return best;
}

/**
 * tf.math.in_top_k, which Keras's top-k accuracies call: the target class is in
 * the top `top` when fewer than `top` classes score strictly higher than it (so
 * ties at the boundary count as in), and never when any score in the row (the
 * target's included) is NaN or infinite, or the target is not a class.
 */
function inTopK(p: Float32Array, o: number, k: number, target: number, top: number): boolean {
  if (!(target >= 0 && target < k)) return false;
  const v = p[o + target];
  if (!Number.isFinite(v)) return false;
  let higher = 0;
  for (let j = 0; j < k; j++) {
    const q = p[o + j];
    if (!Number.isFinite(q)) return false;
    if (q > v) higher++;
  }
  return higher < top;
}

/**
 * Keras's precision (TP / (TP + FP)) or recall (TP / (TP + FN)) of the whole
 * batch, threshold 0.5: a prediction > 0.5 is positive (tf.greater), a label
 * is positive when it is not 0 (Keras casts it to bool); 0 when the
 * denominator is 0 (divide_no_nan).
 */
function ratio(kind: 'precision' | 'recall', t: Float32Array, p: Float32Array): number {
  let tp = 0;
  let other = 0;
  for (let i = 0; i < p.length; i++) {
    const predicted = p[i] > 0.5;
    const actual = t[i] !== 0;
    if (predicted && actual) tp++;
    else if (kind === 'precision' ? predicted : actual) other++;
  }
  return tp + other > 0 ? tp / (tp + other) : 0;
}

/** The batch mean of a metric (precision, recall: the batch's ratio), as a scalar tensor of shape []. */
export function metric(kind: MetricKind, yTrue: Tensor, yPred: Tensor, top = 5): Tensor {
  const { rows, k } = rowsOf(yPred);
  const p = vals(yPred);
  const t = vals(yTrue);
  if (kind === 'precision' || kind === 'recall') return cpuTensor(new Float32Array([ratio(kind, t, p)]), []);
  let total = 0;
  switch (kind) {
    case 'topKCategoricalAccuracy':
      for (let r = 0; r < rows; r++) total += inTopK(p, r * k, k, argMax(t, r * k, k), top) ? 1 : 0;
      break;
    case 'sparseTopKCategoricalAccuracy':
      // Keras casts the float label to an integer (truncation).
      for (let r = 0; r < rows; r++) total += inTopK(p, r * k, k, Math.trunc(t[r]), top) ? 1 : 0;
      break;
    case 'categoricalAccuracy':
      for (let r = 0; r < rows; r++) total += argMax(t, r * k, k) === argMax(p, r * k, k) ? 1 : 0;
      break;
    case 'sparseCategoricalAccuracy':
      // The float label must equal the predicted index exactly (tf.equal after a cast).
      for (let r = 0; r < rows; r++) total += t[r] === argMax(p, r * k, k) ? 1 : 0;
      break;
    case 'binaryAccuracy':
      // Strictly greater than 0.5 counts as 1 (tf.greater), then compared with t for equality.
      for (let i = 0; i < p.length; i++) total += t[i] === (p[i] > 0.5 ? 1 : 0) ? 1 : 0;
      total /= k;
      break;
    case 'meanSquaredError':
    case 'meanAbsoluteError': {
      const f = elementLosses[kind];
      for (let i = 0; i < p.length; i++) total += f(t[i], p[i])[0];
      total /= k;
      break;
    }
  }
  return cpuTensor(new Float32Array([rows === 0 ? NaN : total / rows]), []);
}

/** How many labels are not integers in [0, classes) (NaN and infinities included), as a scalar. */
export function sparseLabelCheck(labels: Tensor, classes: number): Tensor {
  let bad = 0;
  for (const v of vals(labels)) if (!(v >= 0 && v < classes && v === Math.floor(v))) bad++;
  return cpuTensor(new Float32Array([bad]), []);
}

/** l1 * sum|w| + l2 * sum w^2, as a scalar (TF.js's l1l2 regularizer). */
export function penalty(w: Tensor, l1: number, l2: number): Tensor {
  let a = 0;
  let s = 0;
  for (const v of vals(w)) {
    a += Math.abs(v);
    s += v * v;
  }
  return cpuTensor(new Float32Array([l1 * a + l2 * s]), []);
}

/** l1 * abs'(w) + 2 * l2 * w, with abs'(0) = -1 as TF.js's Abs gradient has it. */
export function penaltyBackward(w: Tensor, l1: number, l2: number): Tensor {
  const wv = vals(w);
  const g = new Float32Array(wv.length);
  for (let i = 0; i < wv.length; i++) g[i] = l1 * absGrad(wv[i]) + 2 * l2 * wv[i];
  return cpuTensor(g, w.shape);
}
