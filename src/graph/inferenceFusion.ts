// Inference-only rewrite of a layer graph: a conv2d -> batchNormalization
// (-> relu) chain runs as one conv. In inference batch norm is a fixed
// per-channel affine map, so it folds into the conv's kernel and bias (two
// small batchNormInference calls on the weights) and the relu rides in the
// conv's epilogue: batch norm's and relu's passes over the activations go.
// Training never uses this: there batch norm needs the batch's statistics.

import type { Tensor } from '../tensor.js';
import type { Node, SymbolicTensor } from '../layers/layer.js';
import { Conv2D } from '../layers/conv2d.js';
import { BatchNormalization } from '../layers/normalization.js';
import { Activation, ReLU } from '../layers/core.js';

export interface FusedChain {
  conv: Node;
  bn: Node;
  relu: Node | null;
}

/** One step of an inference pass: a node as it is, or a fused chain (run where its conv stands). */
export type InferenceStep = { node: Node } | { chain: FusedChain };

const isRelu = (node: Node): boolean =>
  (node.layer instanceof ReLU && node.layer.activationName === 'relu') || (node.layer instanceof Activation && node.layer.activationName === 'relu');

/** A chain fuses only where nothing else sees its inner tensors: the conv has no activation of its own, each inner output feeds exactly the next layer and is not a model output. */
export function inferencePlan(nodes: readonly Node[], outputs: readonly SymbolicTensor[]): InferenceStep[] {
  const consumers = new Map<SymbolicTensor, Node[]>();
  for (const n of nodes) {
    for (const x of n.inputs) {
      const list = consumers.get(x);
      if (list) list.push(n);
      else consumers.set(x, [n]);
    }
  }
  const isOutput = new Set(outputs);
  // the one node that consumes t, when t is an inner tensor of a chain
  const soleConsumer = (t: SymbolicTensor): Node | null => {
    const c = consumers.get(t);
    return !isOutput.has(t) && c?.length === 1 && c[0].inputs.length === 1 ? c[0] : null;
  };

  const absorbed = new Set<Node>();
  const steps: InferenceStep[] = [];
  for (const node of nodes) {
    if (absorbed.has(node)) continue;
    const bn = node.layer instanceof Conv2D && node.layer.activation === 'linear' ? soleConsumer(node.output) : null;
    if (!bn || !(bn.layer instanceof BatchNormalization)) {
      steps.push({ node });
      continue;
    }
    const next = soleConsumer(bn.output);
    const relu = next && isRelu(next) ? next : null;
    absorbed.add(bn);
    if (relu) absorbed.add(relu);
    steps.push({ chain: { conv: node, bn, relu } });
  }
  return steps;
}

/** Runs a fused chain on x; the result is the value of the chain's last node. */
export function runChain({ conv, bn, relu }: FusedChain, x: Tensor): Tensor {
  const convLayer = conv.layer as Conv2D;
  const folded = (bn.layer as BatchNormalization).foldInto(convLayer.kernel!.value, convLayer.bias?.value ?? null);
  return convLayer.convolveWith(x, folded.kernel, folded.bias, relu ? 'relu' : 'linear');
}
