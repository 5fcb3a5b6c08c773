// Inference-only rewrite of a layer graph: a (zeroPadding2d ->) conv2d or
// depthwiseConv2d -> batchNormalization (-> relu or relu6) chain runs as one
// conv. In inference batch norm is a fixed per-channel affine map, so it folds
// into the conv's kernel and bias (two small batchNormInference calls on the
// weights), the activation rides in the conv's epilogue, and a zero padding in
// front of a 'valid' conv becomes the conv's own padding: the padding's, batch
// norm's and activation's passes over the activations go.
// Training never uses this: there batch norm needs the batch's statistics.

import type { ExplicitPadding, FusedActivation } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import type { Node, SymbolicTensor } from '../layers/layer.js';
import { Conv2D } from '../layers/conv2d.js';
import { DepthwiseConv2D } from '../layers/depthwiseConv.js';
import { BatchNormalization } from '../layers/normalization.js';
import { Activation, ReLU } from '../layers/core.js';
import { ZeroPadding2D } from '../layers/padding.js';

export interface FusedChain {
  /** A ZeroPadding2D in front of a 'valid' conv, folded into the conv's padding. */
  pad: Node | null;
  conv: Node;
  bn: Node;
  relu: Node | null;
}

/** One step of an inference pass: a node as it is, or a fused chain (run where its first node stands). */
export type InferenceStep = { node: Node } | { chain: FusedChain };

/** The activation a node applies when it can ride in a conv's epilogue, else null. */
function fusableActivation(node: Node): FusedActivation | null {
  const { layer } = node;
  if (!(layer instanceof ReLU) && !(layer instanceof Activation)) return null;
  const name = layer.activationName;
  return name === 'relu' || name === 'relu6' ? name : null;
}

/** A conv whose output a batch norm can fold into: plain Conv2D or DepthwiseConv2D with no activation of its own. */
const isFoldableConv = (node: Node): boolean =>
  (node.layer instanceof Conv2D || node.layer instanceof DepthwiseConv2D) && node.layer.activation === 'linear';

/** A chain fuses only where nothing else sees its inner tensors: each inner output feeds exactly the next layer and is not a model output. */
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
  const batchNormAfter = (conv: Node): Node | null => {
    const bn = isFoldableConv(conv) ? soleConsumer(conv.output) : null;
    return bn && bn.layer instanceof BatchNormalization ? bn : null;
  };

  const absorbed = new Set<Node>();
  const steps: InferenceStep[] = [];
  for (const node of nodes) {
    if (absorbed.has(node)) continue;
    let pad: Node | null = null;
    let conv = node;
    if (node.layer instanceof ZeroPadding2D) {
      const next = soleConsumer(node.output);
      const valid = next && (next.layer instanceof Conv2D || next.layer instanceof DepthwiseConv2D) && next.layer.padding === 'valid';
      if (!next || !valid) {
        steps.push({ node });
        continue;
      }
      pad = node;
      conv = next;
    }
    const bn = batchNormAfter(conv);
    if (!bn) {
      steps.push({ node });
      continue;
    }
    const next = soleConsumer(bn.output);
    const relu = next && fusableActivation(next) ? next : null;
    for (const n of [conv, bn, relu]) if (n && n !== node) absorbed.add(n);
    steps.push({ chain: { pad, conv, bn, relu } });
  }
  return steps;
}

/** Runs a fused chain on x (the input of its first node); the result is the value of the chain's last node. */
export function runChain({ pad, conv, bn, relu }: FusedChain, x: Tensor): Tensor {
  const layer = conv.layer as Conv2D | DepthwiseConv2D;
  const norm = bn.layer as BatchNormalization;
  const activation = relu ? fusableActivation(relu)! : 'linear';
  const padding: ExplicitPadding | null = pad ? (pad.layer as ZeroPadding2D).padding : null;
  if (layer instanceof DepthwiseConv2D) {
    // batch norm's channels are the output channels c·m: the kernel [kh, kw, c, m] read as [kh, kw, c·m]
    const k = layer.depthwiseKernel!.value;
    const folded = norm.foldInto(k.reshape([k.shape[0], k.shape[1], k.shape[2] * k.shape[3]]), layer.bias?.value ?? null);
    return layer.convolveWith(x, folded.kernel.reshape(k.shape), folded.bias, activation, padding);
  }
  const folded = norm.foldInto(layer.kernel!.value, layer.bias?.value ?? null);
  return layer.convolveWith(x, folded.kernel, folded.bias, activation, padding);
}
