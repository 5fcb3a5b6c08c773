// wc.losses: TF.js's tf.losses functions, written in the differentiable math
// ops, with its arguments (labels first, then predictions or logits, weights,
// then the loss's own options and the reduction) and its reductions, so a
// custom training loop that calls tf.losses.* ports unchanged.

import type { Tensor } from '../tensor.js';
import { toTensor, type TensorOrLike } from '../convert.js';
import { abs, add, div, log, log1p, maximum, minimum, mul, neg, notEqual, relu, sub, exp, squaredDifference } from '../kernels/elementwise/ops.js';
import { logSoftmax, mean, sum } from '../kernels/reduce/ops.js';
import { broadcastTo } from '../kernels/layout/ops.js';
import { shapeToString } from '../tensor.js';

/** How a loss's per-element values become the result, as TF.js's tf.Reduction. */
export enum Reduction {
  NONE = 0,
  MEAN = 1,
  SUM = 2,
  SUM_BY_NONZERO_WEIGHTS = 3,
}

function sameShape(op: string, a: Tensor, aName: string, b: Tensor, bName: string): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`losses.${op}: ${aName} and ${bName} must have the same shape, got ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
}

/**
 * TF.js's computeWeightedLoss: the losses times the weights (which broadcast
 * to them), then NONE keeps them, SUM adds them, MEAN divides the sum by the
 * sum of the weights (or takes the mean), and SUM_BY_NONZERO_WEIGHTS (the
 * default) divides it by the number of non-zero weights (of elements, without weights).
 */
export function computeWeightedLoss(losses: TensorOrLike, weights?: TensorOrLike | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const l = toTensor(losses, 'losses.computeWeightedLoss', 'losses');
  const w = weights === undefined || weights === null ? null : toTensor(weights, 'losses.computeWeightedLoss', 'weights', l);
  const weighted = w ? mul(l, w) : l;
  switch (reduction) {
    case Reduction.NONE: return weighted;
    case Reduction.SUM: return sum(weighted);
    case Reduction.MEAN: return w ? div(sum(weighted), sum(broadcastTo(w, l.shape))) : mean(weighted);
    case Reduction.SUM_BY_NONZERO_WEIGHTS: {
      if (!w) return div(sum(weighted), l.size);
      return div(sum(weighted), sum(notEqual(broadcastTo(w, l.shape), 0)));
    }
    default: throw new Error(`losses.computeWeightedLoss: unknown reduction ${String(reduction)}`);
  }
}

function pair(op: string, labels: TensorOrLike, predictions: TensorOrLike, what = 'predictions'): [Tensor, Tensor] {
  const p = toTensor(predictions, `losses.${op}`, what);
  const l = toTensor(labels, `losses.${op}`, 'labels', p);
  sameShape(op, l, 'labels', p, what);
  return [l, p];
}

/** |labels - predictions|. */
export function absoluteDifference(labels: TensorOrLike, predictions: TensorOrLike, weights?: TensorOrLike | null, reduction?: Reduction): Tensor {
  const [l, p] = pair('absoluteDifference', labels, predictions);
  return computeWeightedLoss(abs(sub(l, p)), weights, reduction);
}

/** (labels - predictions)². */
export function meanSquaredError(labels: TensorOrLike, predictions: TensorOrLike, weights?: TensorOrLike | null, reduction?: Reduction): Tensor {
  const [l, p] = pair('meanSquaredError', labels, predictions);
  return computeWeightedLoss(squaredDifference(l, p), weights, reduction);
}

/** 1 - Σ labels · predictions along axis (unit vectors expected, as TF.js). */
export function cosineDistance(labels: TensorOrLike, predictions: TensorOrLike, axis: number, weights?: TensorOrLike | null, reduction?: Reduction): Tensor {
  const [l, p] = pair('cosineDistance', labels, predictions);
  return computeWeightedLoss(sub(1, sum(mul(l, p), axis, true)), weights, reduction);
}

/** max(0, 1 - y · predictions) with labels in {0, 1} mapped to y in {-1, 1}. */
export function hingeLoss(labels: TensorOrLike, predictions: TensorOrLike, weights?: TensorOrLike | null, reduction?: Reduction): Tensor {
  const [l, p] = pair('hingeLoss', labels, predictions);
  const y = sub(mul(2, l), 1);
  return computeWeightedLoss(relu(sub(1, mul(y, p))), weights, reduction);
}

/** Quadratic within delta of the label, linear beyond. */
export function huberLoss(labels: TensorOrLike, predictions: TensorOrLike, weights?: TensorOrLike | null, delta = 1, reduction?: Reduction): Tensor {
  const [l, p] = pair('huberLoss', labels, predictions);
  const error = abs(sub(p, l));
  const quadratic = minimum(error, delta);
  const linear = sub(error, quadratic);
  return computeWeightedLoss(add(mul(0.5, mul(quadratic, quadratic)), mul(delta, linear)), weights, reduction);
}

/** -labels · log(p + ε) - (1 - labels) · log(1 - p + ε). */
export function logLoss(labels: TensorOrLike, predictions: TensorOrLike, weights?: TensorOrLike | null, epsilon = 1e-7, reduction?: Reduction): Tensor {
  const [l, p] = pair('logLoss', labels, predictions);
  const pos = mul(l, log(add(p, epsilon)));
  const negPart = mul(sub(1, l), log(add(sub(1, p), epsilon)));
  return computeWeightedLoss(neg(add(pos, negPart)), weights, reduction);
}

/** Sigmoid cross-entropy on logits, computed stably: max(x, 0) - x·z + log(1 + e^-|x|); labels smoothed toward 0.5. */
export function sigmoidCrossEntropy(multiClassLabels: TensorOrLike, logits: TensorOrLike, weights?: TensorOrLike | null, labelSmoothing = 0, reduction?: Reduction): Tensor {
  const [l0, x] = pair('sigmoidCrossEntropy', multiClassLabels, logits, 'logits');
  const l = labelSmoothing > 0 ? add(mul(l0, 1 - labelSmoothing), 0.5 * labelSmoothing) : l0;
  const perElement = add(sub(maximum(x, 0), mul(x, l)), log1p(exp(neg(abs(x)))));
  return computeWeightedLoss(perElement, weights, reduction);
}

/** Softmax cross-entropy on logits over the last axis, one value per example; labels smoothed toward 1/classes. */
export function softmaxCrossEntropy(onehotLabels: TensorOrLike, logits: TensorOrLike, weights?: TensorOrLike | null, labelSmoothing = 0, reduction?: Reduction): Tensor {
  const [l0, x] = pair('softmaxCrossEntropy', onehotLabels, logits, 'logits');
  const classes = x.shape[x.rank - 1];
  const l = labelSmoothing > 0 ? add(mul(l0, 1 - labelSmoothing), labelSmoothing / classes) : l0;
  const perExample = neg(sum(mul(l, logSoftmax(x, -1)), -1));
  return computeWeightedLoss(perExample, weights, reduction);
}
