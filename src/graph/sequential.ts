// Sequential: a LayersModel whose graph is a chain. The chain is wired as
// soon as the input shape is known (the first layer's inputShape, or the
// first data fit/predict sees); add() and pop() extend and cut it.

import type { Tensor } from '../tensor.js';
import type { Layer, SymbolicTensor } from '../layers/layer.js';
import { InputLayer, input } from '../layers/input.js';
import { LayersModel } from './model.js';

export interface SequentialArgs {
  layers?: readonly Layer[];
  name?: string;
}

export class Sequential extends LayersModel {
  override readonly className: string = 'Sequential';
  private readonly chain: Layer[] = [];
  /** chainOutputs[i] is the output of chain[i], once the chain is wired. */
  private chainOutputs: SymbolicTensor[] = [];
  private chainInput: SymbolicTensor | null = null;

  constructor(args: SequentialArgs = {}) {
    super(null, 'sequential', args.name);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** The added layers (no InputLayer), in order. */
  override get layers(): Layer[] {
    return [...this.chain];
  }

  add(layer: Layer): void {
    if (layer instanceof LayersModel) throw new Error(`sequential '${this.name}': adding a model as a layer is not supported`);
    if (this.chain.length === 0 && layer instanceof InputLayer && !this.chainInput) {
      this.chainInput = layer.output;
      return;
    }
    if (this.chain.includes(layer)) throw new Error(`sequential '${this.name}': layer '${layer.name}' was already added`);
    if (this.chain.length === 0 && !this.chainInput && layer.batchInputShape) {
      this.chainInput = input({ batchShape: layer.batchInputShape });
    } else if (this.chain.length > 0 && layer.batchInputShape) {
      throw new Error(`sequential '${this.name}': only the first layer may have an inputShape; '${layer.name}' has one`);
    }
    if (this.chainInput) {
      // a layer that cannot take the chain's output is refused before it joins the chain or builds weights
      const end = this.chain.length ? this.chainOutputs[this.chain.length - 1] : this.chainInput;
      layer.computeOutputShape(end.shape);
    }
    this.chain.push(layer);
    if (this.chainInput) this.wire(this.chain.length - 1);
  }

  /** Removes the last layer. */
  pop(): void {
    if (this.chain.length === 0) throw new Error(`sequential '${this.name}': pop() on a model with no layers`);
    this.chain.pop();
    this.chainOutputs = this.chainOutputs.slice(0, this.chain.length);
    if (this.chain.length === 0) this.graph = null;
    else if (this.chainInput) this.setGraph([this.chainInput], [this.chainOutputs[this.chain.length - 1]]);
  }

  /** Applies chain[from..] to the current end of the chain and resets the graph. */
  private wire(from: number): void {
    for (let i = from; i < this.chain.length; i++) {
      const prev = i === 0 ? this.chainInput! : this.chainOutputs[i - 1];
      this.chainOutputs[i] = this.chain[i].apply(prev);
    }
    this.setGraph([this.chainInput!], [this.chainOutputs[this.chain.length - 1]]);
  }

  /** Wires the chain for inputs of this shape (batch axis included, may be null). */
  build(batchInputShape: readonly (number | null)[]): void {
    if (this.graph) return;
    if (this.chain.length === 0) throw new Error(`sequential '${this.name}': build() on a model with no layers`);
    const chainInput = input({ batchShape: [null, ...batchInputShape.slice(1)] });
    // Shapes first, through the whole chain: data of the wrong shape must not build
    // some layers' weights for it and leave the model half-built.
    let shape = chainInput.shape;
    for (const layer of this.chain) shape = layer.computeOutputShape(shape);
    this.chainInput = chainInput;
    this.wire(0);
  }

  override ensureBuilt(feeds: readonly Tensor[]): void {
    if (!this.graph && feeds.length === 1) this.build(feeds[0].shape);
    super.ensureBuilt(feeds);
  }
}

/** wc.sequential({ layers? }). */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}
