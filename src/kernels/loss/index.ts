// Losses (the batch mean of TF.js's per-sample loss, as a scalar), their
// gradients, metrics, the sparse-label check and weight penalties.

import type { LossKind, MetricKind } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { shapeToString } from '../../tensor.js';
import { expectSameShape } from '../checks.js';
import { defineKernel, op } from '../kernel.js';
import * as cpu from './cpu.js';
import * as gpu from './webgpu.js';
import * as wasm from './wasm.js';

export { pipelines } from './webgpu.js';

export const LOSS_KINDS: readonly LossKind[] = [
  'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError',
  'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError',
];

export const METRIC_KINDS: readonly MetricKind[] = [
  'categoricalAccuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy', 'meanSquaredError', 'meanAbsoluteError',
  'topKCategoricalAccuracy', 'sparseTopKCategoricalAccuracy', 'precision', 'recall',
];

/** Keras's k for the top-k accuracies. */
export const DEFAULT_TOP_K = 5;

function expectKind<K extends string>(name: string, kind: K, valid: readonly K[]): void {
  if (!valid.includes(kind)) {
    throw new Error(`${name}: expected kind to be one of ${valid.map((k) => `'${k}'`).join(', ')}, got '${String(kind)}'`);
  }
}

/**
 * Sparse targets hold one class index per row of yPred: shape yPred.shape
 * without its last axis, or that with a trailing 1 ([b] or [b, 1] for [b, k]).
 */
function expectSparseTargets(name: string, yTrue: Tensor, yPred: Tensor): void {
  if (yPred.rank < 1) throw new Error(`${name}: expected yPred of rank >= 1 (classes on the last axis), got a scalar`);
  const rows = yPred.shape.slice(0, -1);
  const ok = (s: readonly number[]): boolean => s.length === yTrue.rank && s.every((d, i) => d === yTrue.shape[i]);
  if (!ok(rows) && !ok([...rows, 1])) {
    throw new Error(`${name}: expected sparse yTrue of shape ${shapeToString(rows)} or ${shapeToString([...rows, 1])} (class indices for yPred ${shapeToString(yPred.shape)}), got ${shapeToString(yTrue.shape)}`);
  }
}

function expectTargets(name: string, sparse: boolean, yTrue: Tensor, yPred: Tensor): void {
  if (sparse) expectSparseTargets(name, yTrue, yPred);
  else {
    if (yPred.rank < 1) throw new Error(`${name}: expected yPred of rank >= 1 (the loss reduces the last axis), got a scalar`);
    expectSameShape(name, yTrue, 'yTrue', yPred, 'yPred');
  }
}

function expectFactors(name: string, l1: number, l2: number): void {
  if (!(Number.isFinite(l1) && l1 >= 0 && Number.isFinite(l2) && l2 >= 0)) {
    throw new Error(`${name}: expected finite l1 >= 0 and l2 >= 0, got l1 ${l1} and l2 ${l2}`);
  }
}

/** The checks of a loss or its gradient: a known kind and targets that fit yPred. */
const lossCheck = (name: string) => (kind: LossKind, yTrue: Tensor, yPred: Tensor): void => {
  expectKind(name, kind, LOSS_KINDS);
  expectTargets(name, kind === 'sparseCategoricalCrossentropy', yTrue, yPred);
};

/** The checks of a penalty or its gradient: finite, non-negative factors. */
const penaltyCheck = (name: string) => (_w: Tensor, l1: number, l2: number): void => expectFactors(name, l1, l2);

export const lossKernel = defineKernel({ name: 'loss', check: lossCheck('loss'), cpu: cpu.loss, webgpu: gpu.loss, wasm: wasm.loss });

export const lossBackwardKernel = defineKernel({
  name: 'lossBackward', check: lossCheck('lossBackward'), cpu: cpu.lossBackward, webgpu: gpu.lossBackward, wasm: wasm.lossBackward,
});

export const softmaxCrossEntropyBackwardKernel = defineKernel({
  name: 'softmaxCrossEntropyBackward',
  check(yTrue: Tensor, probs: Tensor, sparse: boolean) {
    expectTargets('softmaxCrossEntropyBackward', sparse, yTrue, probs);
  },
  cpu: cpu.softmaxCrossEntropyBackward,
  webgpu: gpu.softmaxCrossEntropyBackward, wasm: wasm.softmaxCrossEntropyBackward,
});

export const metricKernel = defineKernel({
  name: 'metric',
  check(kind: MetricKind, yTrue: Tensor, yPred: Tensor, k: number = DEFAULT_TOP_K) {
    expectKind('metric', kind, METRIC_KINDS);
    expectTargets('metric', kind === 'sparseCategoricalAccuracy' || kind === 'sparseTopKCategoricalAccuracy', yTrue, yPred);
    if (!(Number.isInteger(k) && k >= 1 && k <= 0xffffffff)) throw new Error(`metric: expected k (of the top-k accuracies) to be a positive integer, got ${k}`);
  },
  cpu: cpu.metric,
  webgpu: gpu.metric, wasm: wasm.metric,
});

export const sparseLabelCheckKernel = defineKernel({
  name: 'sparseLabelCheck',
  check(_labels: Tensor, classes: number) {
    if (!(Number.isInteger(classes) && classes >= 1)) throw new Error(`sparseLabelCheck: expected a class count >= 1, got ${classes}`);
  },
  cpu: cpu.sparseLabelCheck,
  webgpu: gpu.sparseLabelCheck, wasm: wasm.sparseLabelCheck,
});

export const penaltyKernel = defineKernel({ name: 'penalty', check: penaltyCheck('penalty'), cpu: cpu.penalty, webgpu: gpu.penalty, wasm: wasm.penalty });

export const penaltyBackwardKernel = defineKernel({
  name: 'penaltyBackward', check: penaltyCheck('penaltyBackward'), cpu: cpu.penaltyBackward, webgpu: gpu.penaltyBackward, wasm: wasm.penaltyBackward,
});

/** The batch mean of TF.js's per-sample loss, as a scalar (shape []). */
export const loss = op(lossKernel);
/** Gradient of loss(kind, yTrue, yPred) with respect to yPred. */
export const lossBackward = op(lossBackwardKernel);
/**
 * Gradient of categorical cross-entropy with respect to the logits of the
 * softmax that gave probs: (probs * sum(t) - t) / batch, stable for large
 * logits. sparse: yTrue holds class indices, shape [batch] or [batch, 1].
 */
export const softmaxCrossEntropyBackward = op(softmaxCrossEntropyBackwardKernel);
/**
 * The batch mean of a metric, as a scalar. k (default 5) is the top-k
 * accuracies' k; the other kinds ignore it. precision and recall are the
 * batch's ratio (not a mean of rows): TP / (TP + FP) and TP / (TP + FN), a
 * prediction > 0.5 positive, a label != 0 positive, 0 when the denominator is 0.
 */
export const metric = op(metricKernel);
/**
 * How many values of labels are not class indices for `classes` classes
 * (integers in [0, classes); NaN and infinities are not), as a scalar.
 */
export const sparseLabelCheck = op(sparseLabelCheckKernel);
/** l1 * sum|w| + l2 * sum w^2, as a scalar. */
export const penalty = op(penaltyKernel);
/** l1 * abs'(w) + 2 * l2 * w, with abs'(0) = -1 as in TF.js. */
export const penaltyBackward = op(penaltyBackwardKernel);
