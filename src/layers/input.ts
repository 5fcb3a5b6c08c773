// InputLayer and wc.input(): the entry points of a functional graph.

import type { Tensor } from '../tensor.js';
import { Layer, Node, SymbolicTensor, type BackwardOptions, type LayerConfig, type LayerGrads, type SymShape } from './layer.js';
import { shown } from './args.js';

export interface InputLayerArgs {
  name?: string;
  inputShape?: readonly number[];
  batchInputShape?: SymShape;
  batchSize?: number;
  dtype?: 'float32';
  sparse?: false;
}

export class InputLayer extends Layer<null> {
  override readonly className = 'InputLayer';

  constructor(args: InputLayerArgs) {
    if (!args.inputShape && !args.batchInputShape) throw new Error('input: give a shape (per sample, e.g. [28, 28, 1]) or a batchShape');
    super(args, 'input');
    const shape = this.batchInputShape!;
    if (shape.slice(1).some((d) => d === null || !Number.isInteger(d) || d < 1)) {
      throw new Error(`input '${this.name}': every non-batch dimension must be a positive integer, got ${shown(shape)}`);
    }
    this.built = true;
    // the symbolic tensor this layer feeds into the graph: its output (and, as in TF.js, its input)
    const out = new SymbolicTensor(shape, this.name);
    const node = new Node(this, [], out);
    out.node = node;
    this.inboundNodes.push(node);
  }

  override get input(): SymbolicTensor {
    return this.output;
  }

  override computeOutputShape(): SymShape {
    return this.batchInputShape!;
  }
  override forward(xs: Tensor[], _training: boolean): [Tensor, null] {
    return [xs[0], null];
  }
  override backward(dy: Tensor, _saved: null, _opts: BackwardOptions): LayerGrads {
    return { dxs: [], dWeights: [] };
  }
  protected override layerConfig(): LayerConfig {
    return { sparse: false };
  }
}

/** wc.input({ shape }): a symbolic tensor to build a functional model from. */
export function input(args: { shape?: readonly number[]; batchShape?: SymShape; name?: string; dtype?: 'float32' }): SymbolicTensor {
  if (!args.shape && !args.batchShape) throw new Error('input: give shape (per sample, e.g. [28, 28, 1]) or batchShape');
  return new InputLayer({ name: args.name, inputShape: args.shape, batchInputShape: args.batchShape, dtype: args.dtype }).output;
}
