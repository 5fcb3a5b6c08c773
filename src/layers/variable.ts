// A layer's weights and what its backward returns for them: the part of a
// layer that the optimizer, the tape and the recorded-gradient path share,
// kept apart from Layer so they need not import it.

import type { Tensor } from '../tensor.js';
import { shapeToString } from '../tensor.js';
import type { Regularizer } from './regularizers.js';

/** One weight of a layer: a tensor kept alive outside any tidy scope, updated in place. */
export class LayerVariable {
  constructor(
    /** Full name, `<layer>/<weight>`. */
    readonly name: string,
    readonly value: Tensor,
    /** Whether the layer declares it trainable (BN's moving statistics are not). */
    readonly declaredTrainable: boolean,
    readonly regularizer: Regularizer | null = null,
  ) {
    this.trainable = declaredTrainable;
  }

  /** declaredTrainable, unless the layer was frozen. */
  trainable: boolean;

  get shape(): readonly number[] {
    return this.value.shape;
  }

  /** The weight's tensor, as TF.js's LayerVariable.read() (the live values, not a copy). */
  read(): Tensor {
    return this.value;
  }

  /** Copies values in place (same shape), so optimizer slots and references stay valid. */
  write(t: Tensor): void {
    this.checkWrite(t);
    this.value.backend.assign(this.value, t);
  }

  /** What write() needs of t: usable, on this weight's backend, of its shape. setWeights checks every tensor before it writes any. */
  checkWrite(t: Tensor): void {
    t.assertUsable(`setWeights ('${this.name}')`);
    this.value.assertUsable(`setWeights ('${this.name}')`);
    if (t.backend !== this.value.backend) {
      throw new Error(`setWeights ('${this.name}'): got a tensor of the '${t.backend.name}' backend for a weight on ${t.backend.name === this.value.backend.name ? 'another' : `the '${this.value.backend.name}'`} backend; make it with that backend selected`);
    }
    if (t.rank !== this.value.rank || t.shape.some((d, i) => d !== this.value.shape[i])) {
      throw new Error(`setWeights: weight '${this.name}' has shape ${shapeToString(this.value.shape)}, got a tensor of shape ${shapeToString(t.shape)}`);
    }
  }
}

export interface BackwardOptions {
  /** Whether the caller wants gradients for the layer's inputs (false for a model's first layer). */
  needInputGrads: boolean;
  /**
   * The given dy is already the gradient with respect to the logits of a final
   * softmax (fused softmax + cross-entropy), so the softmax's own backward is skipped.
   */
  dyIsLogitGrad: boolean;
}

export interface LayerGrads {
  /** One per input; null where not requested. */
  dxs: (Tensor | null)[];
  /** Gradients of trainable weights only. */
  dWeights: [LayerVariable, Tensor][];
}
