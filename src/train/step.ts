// One training step and one evaluation step on a batch, all on the device:
// each returns scalars [loss, per-output losses (several outputs only),
// metrics...] as tensors, and nothing is read back here.

import type { Tensor } from '../tensor.js';
import type { LossKind } from '../backend/types.js';
import * as ops from '../ops/index.js';
import type { LayerVariable, SymbolicTensor } from '../layers/layer.js';
import type { Compiled, LossFunction, ResolvedMetric, TrainableModel } from './types.js';
import { backprop, recordTape, withoutTape } from '../autodiff/tape.js';
import { run } from '../kernels/kernel.js';
import { addKernel } from '../kernels/structure/index.js';
import { shapeToString } from '../tensor.js';
import { backwardGraph } from '../graph/executor.js';

function requireCompiled(model: TrainableModel, where: string): Compiled {
  if (!model.compiled) throw new Error(`${model.className}.${where}: compile the model first (model.compile({ optimizer, loss }))`);
  return model.compiled;
}

/** Sum of scalars (the total loss over outputs). */
function total(xs: readonly Tensor[]): Tensor {
  return xs.reduce((a, b) => ops.add(a, b));
}

/**
 * Outputs whose loss is a cross-entropy right after a softmax that nothing
 * else consumes: their gradient is taken at the logits, fused and stable.
 */
function fusedOutputs(model: TrainableModel, c: Compiled): Set<SymbolicTensor> {
  const consumed = new Set<SymbolicTensor>();
  for (const n of model.nodes) for (const x of n.inputs) consumed.add(x);
  const fused = new Set<SymbolicTensor>();
  model.outputs.forEach((y, i) => {
    const ce = c.losses[i] === 'categoricalCrossentropy' || c.losses[i] === 'sparseCategoricalCrossentropy';
    if (ce && y.sourceLayer.endsWithSoftmax() && !consumed.has(y)) fused.add(y);
  });
  return fused;
}

/** Regularization penalties of every regularized weight, and their gradients for the trainable ones. */
function regularization(model: TrainableModel): { penalties: Tensor[]; grads: [LayerVariable, Tensor][] } {
  const penalties: Tensor[] = [];
  const grads: [LayerVariable, Tensor][] = [];
  for (const v of model.weights) {
    if (!v.regularizer) continue;
    penalties.push(v.regularizer.penalty(v.value));
    if (v.trainable) grads.push([v, v.regularizer.penaltyBackward(v.value)]);
  }
  return { penalties, grads };
}

/** The mean of what a loss or metric function returned (a scalar stays as it is), as a scalar. */
function meanOf(where: string, v: unknown): Tensor {
  if (!v || typeof (v as Tensor).assertUsable !== 'function') throw new Error(`${where}: the function must return a Tensor`);
  const t = v as Tensor;
  if (t.size === 0) throw new Error(`${where}: the function returned an empty tensor (shape ${shapeToString(t.shape)})`);
  return t.rank === 0 ? t : ops.scale(ops.sum(t), 1 / t.size);
}

/** A loss function's mean value, and with grad, its gradient with respect to yPred (through the tape). */
function functionLoss(fn: LossFunction, yTrue: Tensor, yPred: Tensor, grad: boolean): { loss: Tensor; dPred: Tensor | null } {
  const where = 'fit: the loss function';
  if (!grad) return { loss: meanOf(where, withoutTape(() => fn(yTrue, yPred))), dPred: null };
  const { result, nodes } = recordTape(where, () => fn(yTrue, yPred));
  const loss = meanOf(where, result);
  // d mean / d value = 1/n everywhere
  const dy = result.backend.fromValues(new Float32Array(result.size).fill(1 / result.size), result.shape);
  const [dPred] = backprop(nodes, result, dy, [yPred], (a, b) => run(addKernel, a, b));
  return { loss, dPred: dPred ?? yPred.backend.zeros(yPred.shape) };
}

function metricValue(m: ResolvedMetric, y: Tensor, p: Tensor): Tensor {
  if (m.fn) return meanOf(`metric '${m.key}'`, withoutTape(() => m.fn!(y, p)));
  return ops.metric(m.kind!, y, p);
}

export interface StepResult {
  /** [loss, per-output losses (several outputs only), metrics...] as scalars. */
  values: Tensor[];
  /** d loss / d w for every trainable weight the loss depends on. */
  grads: Map<LayerVariable, Tensor>;
}

/** Forward in training mode, the loss, and the backward: a step without its update (src/train/guard.ts adds it). */
export function lossAndGradients(model: TrainableModel, xs: readonly Tensor[], ys: readonly Tensor[]): StepResult {
  const c = requireCompiled(model, 'fit');
  const fused = fusedOutputs(model, c);
  // forward: training mode (batch statistics, dropout on)
  const { outputs, tape } = model.forwardPass(xs, true);
  // loss: the mean loss of each output, summed, plus the weight penalties
  // a loss function's gradient comes from its tape, taken with its value
  const functionLosses = outputs.map((p, i) => {
    const l = c.losses[i];
    return typeof l === 'function' ? functionLoss(l, ys[i], p, true) : null;
  });
  const outputLosses = outputs.map((p, i) => functionLosses[i]?.loss ?? ops.loss(c.losses[i] as LossKind, ys[i], p));
  const reg = regularization(model);
  const loss = total([...outputLosses, ...reg.penalties]);
  const metrics = c.metrics.map((m) => metricValue(m, ys[m.output], outputs[m.output]));
  const values = [loss, ...(outputs.length > 1 ? outputLosses : []), ...metrics];
  // backward: d loss / d output (fused at a final softmax), then through the graph
  const dOutputs = outputs.map((p, i) => functionLosses[i]?.dPred ?? (fused.has(model.outputs[i])
    ? ops.softmaxCrossEntropyBackward(ys[i], p, c.losses[i] === 'sparseCategoricalCrossentropy')
    : ops.lossBackward(c.losses[i] as LossKind, ys[i], p)));
  const grads = backwardGraph(tape, model.outputs, dOutputs, fused);
  for (const [v, g] of reg.grads) grads.set(v, grads.has(v) ? ops.add(grads.get(v)!, g) : g);
  return { values, grads };
}

/** Inference-mode loss and metrics, as TF.js's evaluate (no weight penalties). */
export function evalStep(model: TrainableModel, xs: readonly Tensor[], ys: readonly Tensor[]): Tensor[] {
  const c = requireCompiled(model, 'evaluate');
  const { outputs } = model.forwardPass(xs, false);
  const outputLosses = outputs.map((p, i) => {
    const l = c.losses[i];
    return typeof l === 'function' ? functionLoss(l, ys[i], p, false).loss : ops.loss(l, ys[i], p);
  });
  const metrics = c.metrics.map((m) => metricValue(m, ys[m.output], outputs[m.output]));
  return [total(outputLosses), ...(outputs.length > 1 ? outputLosses : []), ...metrics];
}
