// Public loss, metric and penalty ops: validate, then run on the tensors' backend.

import type { LossKind, MetricKind } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import { backendFor, expectSameShape } from './dispatch.js';

export const LOSS_KINDS: readonly LossKind[] = [
  'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError',
  'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError',
];

export const METRIC_KINDS: readonly MetricKind[] = [
  'categoricalAccuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy', 'meanSquaredError', 'meanAbsoluteError',
];

function expectKind<K extends string>(op: string, kind: K, valid: readonly K[]): void {
  if (!valid.includes(kind)) {
    throw new Error(`${op}: expected kind to be one of ${valid.map((k) => `'${k}'`).join(', ')}, got '${String(kind)}'`);
  }
}

/**
 * Sparse targets hold one class index per row of yPred: shape yPred.shape
 * without its last axis, or that with a trailing 1 ([b] or [b, 1] for [b, k]).
 */
function expectSparseTargets(op: string, yTrue: Tensor, yPred: Tensor): void {
  if (yPred.rank < 1) throw new Error(`${op}: expected yPred of rank >= 1 (classes on the last axis), got a scalar`);
  const rows = yPred.shape.slice(0, -1);
  const ok = (s: readonly number[]): boolean => s.length === yTrue.rank && s.every((d, i) => d === yTrue.shape[i]);
  if (!ok(rows) && !ok([...rows, 1])) {
    throw new Error(`${op}: expected sparse yTrue of shape ${shapeToString(rows)} or ${shapeToString([...rows, 1])} (class indices for yPred ${shapeToString(yPred.shape)}), got ${shapeToString(yTrue.shape)}`);
  }
}

function expectTargets(op: string, sparse: boolean, yTrue: Tensor, yPred: Tensor): void {
  if (sparse) expectSparseTargets(op, yTrue, yPred);
  else {
    if (yPred.rank < 1) throw new Error(`${op}: expected yPred of rank >= 1 (the loss reduces the last axis), got a scalar`);
    expectSameShape(op, yTrue, 'yTrue', yPred, 'yPred');
  }
}

/** The batch mean of TF.js's per-sample loss, as a scalar (shape []). */
export function loss(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor {
  expectKind('loss', kind, LOSS_KINDS);
  expectTargets('loss', kind === 'sparseCategoricalCrossentropy', yTrue, yPred);
  return backendFor('loss', yTrue, yPred).loss(kind, yTrue, yPred);
}

/** Gradient of loss(kind, yTrue, yPred) with respect to yPred. */
export function lossBackward(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor {
  expectKind('lossBackward', kind, LOSS_KINDS);
  expectTargets('lossBackward', kind === 'sparseCategoricalCrossentropy', yTrue, yPred);
  return backendFor('lossBackward', yTrue, yPred).lossBackward(kind, yTrue, yPred);
}

/** Gradient of categorical cross-entropy with respect to the logits of the softmax that gave probs. */
export function softmaxCrossEntropyBackward(yTrue: Tensor, probs: Tensor, sparse: boolean): Tensor {
  expectTargets('softmaxCrossEntropyBackward', sparse, yTrue, probs);
  return backendFor('softmaxCrossEntropyBackward', yTrue, probs).softmaxCrossEntropyBackward(yTrue, probs, sparse);
}

/** The batch mean of a metric, as a scalar. */
export function metric(kind: MetricKind, yTrue: Tensor, yPred: Tensor): Tensor {
  expectKind('metric', kind, METRIC_KINDS);
  expectTargets('metric', kind === 'sparseCategoricalAccuracy', yTrue, yPred);
  return backendFor('metric', yTrue, yPred).metric(kind, yTrue, yPred);
}

function expectFactors(op: string, l1: number, l2: number): void {
  if (!(Number.isFinite(l1) && l1 >= 0 && Number.isFinite(l2) && l2 >= 0)) {
    throw new Error(`${op}: expected finite l1 >= 0 and l2 >= 0, got l1 ${l1} and l2 ${l2}`);
  }
}

/** l1 * sum|w| + l2 * sum w^2, as a scalar. */
export function penalty(w: Tensor, l1: number, l2: number): Tensor {
  expectFactors('penalty', l1, l2);
  return backendFor('penalty', w).penalty(w, l1, l2);
}

/** l1 * abs'(w) + 2 * l2 * w, with abs'(0) = -1 as in TF.js. */
export function penaltyBackward(w: Tensor, l1: number, l2: number): Tensor {
  expectFactors('penaltyBackward', l1, l2);
  return backendFor('penaltyBackward', w).penaltyBackward(w, l1, l2);
}
