// The static structure of a layer graph: which call sites (nodes) run, in
// which order, and the model's layer order. Both follow TF.js's Container:
// a depth-first walk from the outputs gives each node a depth (its longest
// distance to an output); nodes run from the deepest, and layers are listed
// by decreasing depth, ties broken by the order the walk first met them. That
// layer order is what getWeights() and the saved model.json follow.

import { Layer, Node, SymbolicTensor, symShapeToString } from '../layers/layer.js';
import { InputLayer } from '../layers/input.js';
import { clipped, listed, preview } from '../preview.js';

export interface Topology {
  /** Every node the outputs need, in an order that runs inputs before their consumers. */
  nodes: Node[];
  /** Every layer, TF.js's order (input layers included). */
  layers: Layer[];
}

/** A model's inputs and outputs, and the topology between them, built once when first needed. */
export class ModelGraph {
  private built: Topology | null = null;
  constructor(readonly inputs: SymbolicTensor[], readonly outputs: SymbolicTensor[], private readonly make: () => Topology) {}
  get topology(): Topology {
    if (!this.built) this.built = this.make();
    return this.built;
  }
}

export function buildTopology(where: string, inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): Topology {
  for (const [i, x] of inputs.entries()) {
    if (!(x instanceof SymbolicTensor) || !(x.sourceLayer instanceof InputLayer)) {
      throw new Error(`${where}: inputs[${i}] must come from wc.input(), got ${x instanceof SymbolicTensor ? `the output of layer '${x.sourceLayer.name}' (${x.sourceLayer.className})` : typeof x === 'string' ? clipped(x) : preview(x)}`);
    }
  }
  for (const [i, y] of outputs.entries()) {
    if (!(y instanceof SymbolicTensor)) throw new Error(`${where}: outputs[${i}] must be a symbolic tensor (the result of layer.apply), got ${typeof y === 'string' ? clipped(y) : preview(y)}`);
  }

  // Post-order walk from the outputs with an explicit stack (a graph may be
  // deeper than the call stack); a node met again while on the stack is a cycle.
  const finished = new Set<Node>();
  const onStack = new Set<Node>();
  const postOrder: Node[] = [];
  const layerIndex = new Map<Layer, number>();
  const stack: { node: Node; next: number }[] = [];
  const enter = (node: Node): void => {
    if (onStack.has(node)) throw new Error(`${where}: the graph has a cycle through layer '${node.layer.name}'`);
    if (finished.has(node)) return;
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    onStack.add(node);
    stack.push({ node, next: 0 });
  };
  for (const y of outputs) {
    enter(y.node);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.node.inputs.length) {
        enter(top.node.inputs[top.next++].node);
        continue;
      }
      stack.pop();
      onStack.delete(top.node);
      finished.add(top.node);
      postOrder.push(top.node);
    }
  }

  // depths: from the outputs (depth 0) back toward the inputs
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const node = postOrder[i];
    // a shared layer sits at the deepest of its call sites
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const x of node.inputs) nodeDepth.set(x.node, Math.max(depth + 1, nodeDepth.get(x.node) ?? 0));
  }

  const byDepthDesc = <T>(depth: Map<T, number>, tie: (a: T, b: T) => number) =>
    [...depth.keys()].sort((a, b) => depth.get(b)! - depth.get(a)! || tie(a, b));
  const nodes = byDepthDesc(nodeDepth, (a, b) => a.id - b.id);
  const layers = byDepthDesc(layerDepth, (a, b) => layerIndex.get(a)! - layerIndex.get(b)!);

  // every node's inputs must be computable from the given inputs
  const computable = new Set<SymbolicTensor>(inputs);
  const reached: string[] = [];
  for (const node of nodes) {
    if (node.layer instanceof InputLayer) {
      if (!computable.has(node.output)) {
        throw new Error(`${where}: graph disconnected: the outputs need input '${node.layer.name}' (shape ${symShapeToString(node.output.shape)}), which is not among the model's inputs [${listed(inputs.map((x) => `'${x.sourceLayer.name}'`))}]`);
      }
      continue;
    }
    for (const x of node.inputs) {
      if (!computable.has(x)) throw new Error(`${where}: graph disconnected: cannot compute the input of layer '${node.layer.name}'; layers reached without trouble: ${listed(reached) || 'none'}`);
    }
    computable.add(node.output);
    reached.push(node.layer.name);
  }

  const names = new Map<string, number>();
  for (const l of layers) names.set(l.name, (names.get(l.name) ?? 0) + 1);
  for (const [name, count] of names) {
    if (count > 1) throw new Error(`${where}: the layer name '${name}' is used ${count} times; layer names must be unique in a model`);
  }
  return { nodes, layers };
}
