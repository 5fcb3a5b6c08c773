// Sequential: a LayersModel whose graph is a chain. The chain is wired as
// soon as the input shape is known (the first layer's inputShape, or the
// first data fit/predict sees); add() and pop() extend and cut it, each in
// constant time: the topology is built when the model is next used.

import type { Tensor } from '../tensor.js';
import type { Layer, SymbolicTensor } from '../layers/layer.js';
import { InputLayer, input } from '../layers/input.js';
import { LayersModel } from './layersModel.js';
import { checkOutputSize } from '../layers/sizeLimit.js';

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
  /** The chain's layers and their names, so that add() checks a newcomer in constant time. */
  private readonly members = new Set<Layer>();
  private readonly names = new Map<string, number>();

  constructor(args: SequentialArgs = {}) {
    super(null, 'sequential', args.name);
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** The added layers (no InputLayer), in order. */
  override get layers(): Layer[] {
    return [...this.chain];
  }

  /** Appends a layer; constant work: the topology is rebuilt only when the model is next used. */
  add(layer: Layer): void {
    if (layer instanceof LayersModel) throw new Error(`sequential '${this.name}': adding a model as a layer is not supported`);
    if (this.chain.length === 0 && layer instanceof InputLayer && !this.chainInput) {
      this.chainInput = layer.output;
      this.countName(layer.name, 1);
      return;
    }
    if (this.members.has(layer)) throw new Error(`sequential '${this.name}': layer '${layer.name}' was already added`);
    if ((this.names.get(layer.name) ?? 0) > 0) {
      throw new Error(`sequential '${this.name}': the layer name '${layer.name}' is used 2 times; layer names must be unique in a model`);
    }
    if (this.chain.length === 0 && !this.chainInput && layer.batchInputShape) {
      this.chainInput = input({ batchShape: layer.batchInputShape });
      this.countName(this.chainInput.sourceLayer.name, 1);
    } else if (this.chain.length > 0 && layer.batchInputShape && !this.receivesItsInputShape(layer.batchInputShape)) {
      throw new Error(`sequential '${this.name}': only the first layer may have an inputShape (or one equal to the shape it receives); '${layer.name}' has one`);
    }
    if (this.chainInput) {
      // applied before it joins the chain: a layer that cannot take the chain's output
      // (its shape, or an output too large) is refused before it builds weights
      const end = this.chain.length ? this.chainOutputs[this.chain.length - 1] : this.chainInput;
      this.chainOutputs[this.chain.length] = layer.apply(end);
    }
    this.chain.push(layer);
    this.members.add(layer);
    this.countName(layer.name, 1);
    if (this.chainInput) this.setGraph([this.chainInput], [this.chainOutputs[this.chain.length - 1]], true);
  }

  /** Removes the last layer. */
  pop(): void {
    if (this.chain.length === 0) throw new Error(`sequential '${this.name}': pop() on a model with no layers`);
    const layer = this.chain.pop()!;
    this.members.delete(layer);
    this.countName(layer.name, -1);
    this.chainOutputs.length = Math.min(this.chainOutputs.length, this.chain.length);
    if (this.chain.length === 0) this.graph = null;
    else if (this.chainInput) this.setGraph([this.chainInput], [this.chainOutputs[this.chain.length - 1]], true);
  }

  /** A later layer's inputShape is allowed when it states what the chain gives it (a zoo model's layers behind augmentation, say). */
  private receivesItsInputShape(batchInputShape: readonly (number | null)[]): boolean {
    if (!this.chainInput) return false;
    const end = this.chainOutputs[this.chain.length - 1].shape;
    return end.length === batchInputShape.length && end.every((d, i) => i === 0 || d === batchInputShape[i]);
  }

  private countName(name: string, delta: number): void {
    this.names.set(name, (this.names.get(name) ?? 0) + delta);
  }

  /** Applies chain[from..] to the current end of the chain; the topology follows on first use. */
  private wire(from: number): void {
    for (let i = from; i < this.chain.length; i++) {
      const prev = i === 0 ? this.chainInput! : this.chainOutputs[i - 1];
      this.chainOutputs[i] = this.chain[i].apply(prev);
    }
    this.setGraph([this.chainInput!], [this.chainOutputs[this.chain.length - 1]], true);
  }

  /** Wires the chain for inputs of this shape (batch axis included, may be null). */
  build(batchInputShape: readonly (number | null)[]): void {
    if (this.graph) return;
    if (this.chain.length === 0) throw new Error(`sequential '${this.name}': build() on a model with no layers`);
    const chainInput = input({ batchShape: [null, ...batchInputShape.slice(1)] });
    // Shapes first, through the whole chain: data of the wrong shape must not build
    // some layers' weights for it and leave the model half-built.
    let shape = chainInput.shape;
    for (const layer of this.chain) {
      shape = layer.computeOutputShape(shape);
      checkOutputSize(`${layer.className} '${layer.name}'`, shape);
    }
    this.chainInput = chainInput;
    this.countName(chainInput.sourceLayer.name, 1);
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
