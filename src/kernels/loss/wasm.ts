// Losses, their gradients, metrics, the sparse-label check and weight
// penalties on the wasm backend. Kernels: src/backend/wasm/assembly/loss.ts.

import type { LossKind, MetricKind } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import type { WasmContext } from '../../backend/wasm/context.js';

/** The kind codes of loss.ts, in the order of LOSS_KINDS and METRIC_KINDS. */
const LOSS: Record<LossKind, number> = {
  categoricalCrossentropy: 0, sparseCategoricalCrossentropy: 1, binaryCrossentropy: 2, meanSquaredError: 3,
  meanAbsoluteError: 4, meanAbsolutePercentageError: 5, meanSquaredLogarithmicError: 6,
};
const METRIC: Record<MetricKind, number> = {
  categoricalAccuracy: 0, sparseCategoricalAccuracy: 1, binaryAccuracy: 2, meanSquaredError: 3, meanAbsoluteError: 4,
  topKCategoricalAccuracy: 5, sparseTopKCategoricalAccuracy: 6, precision: 7, recall: 8,
};

/** yPred viewed as [rows, k], k its last dimension (as the CPU reference's rowsOf). */
function rowsOf(yPred: Tensor): [number, number] {
  const k = yPred.rank === 0 ? 1 : yPred.shape[yPred.rank - 1];
  return [k === 0 ? 0 : yPred.size / k, k];
}

export function loss(ctx: WasmContext, kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor {
  const [rows, k] = rowsOf(yPred);
  const out = ctx.output([], 'loss');
  ctx.exports.loss(LOSS[kind], ctx.ptr(yTrue), ctx.ptr(yPred), ctx.ptr(out), rows, k);
  return out;
}

export function lossBackward(ctx: WasmContext, kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor {
  const [rows, k] = rowsOf(yPred);
  const dp = ctx.output(yPred.shape, 'lossBackward');
  ctx.exports.lossBackward(LOSS[kind], ctx.ptr(yTrue), ctx.ptr(yPred), ctx.ptr(dp), rows, k);
  return dp;
}

export function softmaxCrossEntropyBackward(ctx: WasmContext, yTrue: Tensor, probs: Tensor, sparse: boolean): Tensor {
  const [rows, k] = rowsOf(probs);
  const dz = ctx.output(probs.shape, 'softmaxCrossEntropyBackward');
  ctx.exports.softmaxCrossEntropyBackward(ctx.ptr(yTrue), ctx.ptr(probs), ctx.ptr(dz), rows, k, sparse);
  return dz;
}

/** top: the top-k accuracies' k, Keras's 5 by default as in the CPU reference. */
export function metric(ctx: WasmContext, kind: MetricKind, yTrue: Tensor, yPred: Tensor, top = 5): Tensor {
  const [rows, k] = rowsOf(yPred);
  const out = ctx.output([], 'metric');
  ctx.exports.metric(METRIC[kind], ctx.ptr(yTrue), ctx.ptr(yPred), ctx.ptr(out), rows, k, top);
  return out;
}

export function sparseLabelCheck(ctx: WasmContext, labels: Tensor, classes: number): Tensor {
  const out = ctx.output([], 'sparseLabelCheck');
  ctx.exports.sparseLabelCheck(ctx.ptr(labels), ctx.ptr(out), labels.size, classes);
  return out;
}

export function penalty(ctx: WasmContext, w: Tensor, l1: number, l2: number): Tensor {
  const out = ctx.output([], 'penalty');
  ctx.exports.penalty(ctx.ptr(w), ctx.ptr(out), w.size, l1, l2);
  return out;
}

export function penaltyBackward(ctx: WasmContext, w: Tensor, l1: number, l2: number): Tensor {
  const g = ctx.output(w.shape, 'penaltyBackward');
  ctx.exports.penaltyBackward(ctx.ptr(w), ctx.ptr(g), w.size, l1, l2);
  return g;
}
