// Runs a layer graph forward (recording a tape of call sites) and backward
// (reverse order, summing gradients where a tensor fans out and where a
// shared layer's weight is used at several call sites).

import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import * as ops from '../ops/index.js';
import type { LayerVariable, Node, SymbolicTensor } from '../layers/layer.js';
import { symShapeToString } from '../layers/layer.js';
import { InputLayer } from '../layers/input.js';
import { inferencePlan, runChain, type InferenceStep } from './inferenceFusion.js';
import { isRecording } from '../autodiff/tape.js';
import { forwardRecorded } from '../layers/recorded.js';

export interface TapeEntry {
  node: Node;
  saved: unknown;
}

export interface ForwardPass {
  outputs: Tensor[];
  tape: TapeEntry[];
  /** Every symbolic tensor's value in this pass. */
  values: Map<SymbolicTensor, Tensor>;
}

/** Checks the fed tensors against the model's inputs (count and non-batch axes). */
export function checkFeeds(where: string, inputs: readonly SymbolicTensor[], feeds: readonly Tensor[]): void {
  if (feeds.length !== inputs.length) {
    throw new Error(`${where}: the model has ${inputs.length} input(s), got ${feeds.length} tensor(s)`);
  }
  feeds.forEach((t, i) => {
    const want = inputs[i].shape;
    const ok = t.rank === want.length && want.every((d, k) => k === 0 || d === null || d === t.shape[k]);
    if (!ok) {
      throw new Error(`${where}: input ${i} ('${inputs[i].sourceLayer.name}') expects shape ${symShapeToString(want)}, got ${shapeToString(t.shape)}`);
    }
  });
}

/** Inference plans per graph (a topology's node list is fixed once built). */
const plans = new WeakMap<readonly Node[], InferenceStep[]>();

export function forwardGraph(nodes: readonly Node[], inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], feeds: readonly Tensor[], training: boolean): ForwardPass {
  const values = new Map<SymbolicTensor, Tensor>();
  inputs.forEach((x, i) => values.set(x, feeds[i]));
  const tape: TapeEntry[] = [];
  // Inside a gradient call every layer runs alone, so that each records its gradient.
  if (!training && !isRecording()) {
    // Inference records no tape; (pad ->) conv -> batch norm (-> relu / relu6) chains run as one conv.
    let plan = plans.get(nodes);
    if (!plan) plans.set(nodes, (plan = inferencePlan(nodes, outputs)));
    for (const step of plan) {
      if ('chain' in step) {
        const last = step.chain.relu ?? step.chain.bn;
        const first = step.chain.pad ?? step.chain.conv;
        values.set(last.output, runChain(step.chain, values.get(first.inputs[0])!));
        continue;
      }
      if (step.node.layer instanceof InputLayer) continue;
      const [y] = step.node.layer.forward(step.node.inputs.map((x) => values.get(x)!), false);
      values.set(step.node.output, y);
    }
    return { outputs: outputs.map((y) => values.get(y)!), tape, values };
  }
  for (const node of nodes) {
    if (node.layer instanceof InputLayer) continue;
    const xs = node.inputs.map((x) => values.get(x)!);
    const [y, saved] = forwardRecorded(node.layer, xs, training);
    values.set(node.output, y);
    tape.push({ node, saved });
  }
  return { outputs: outputs.map((y) => values.get(y)!), tape, values };
}

/**
 * Symbolic tensors whose value depends on a trainable weight: only those need
 * a gradient, so a model's first layer skips its (costly) input gradient.
 */
function tensorsNeedingGrad(tape: readonly TapeEntry[]): Set<SymbolicTensor> {
  const need = new Set<SymbolicTensor>();
  for (const { node } of tape) {
    if (node.layer.trainableWeights.length > 0 || node.inputs.some((x) => need.has(x))) need.add(node.output);
  }
  return need;
}

/**
 * Gradients of the trainable weights, given the gradients at the outputs.
 * `logitGrads` holds the outputs whose gradient is already taken at the
 * logits of their final softmax (fused softmax + cross-entropy).
 */
export function backwardGraph(tape: readonly TapeEntry[], outputs: readonly SymbolicTensor[], dOutputs: readonly Tensor[], logitGrads: ReadonlySet<SymbolicTensor>): Map<LayerVariable, Tensor> {
  const grads = new Map<SymbolicTensor, Tensor>();
  const accumulate = <K>(map: Map<K, Tensor>, key: K, g: Tensor): void => {
    const prev = map.get(key);
    map.set(key, prev ? ops.add(prev, g) : g);
  };
  outputs.forEach((y, i) => accumulate(grads, y, dOutputs[i]));
  const need = tensorsNeedingGrad(tape);
  const weightGrads = new Map<LayerVariable, Tensor>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const { node, saved } = tape[i];
    const dy = grads.get(node.output);
    if (!dy || !need.has(node.output)) continue;
    const needInputGrads = node.inputs.some((x) => need.has(x));
    const { dxs, dWeights } = node.layer.backward(dy, saved, { needInputGrads, dyIsLogitGrad: logitGrads.has(node.output) });
    node.inputs.forEach((x, k) => {
      const dx = dxs[k];
      if (dx && need.has(x)) accumulate(grads, x, dx);
    });
    for (const [v, g] of dWeights) accumulate(weightGrads, v, g);
  }
  return weightGrads;
}
