// Dense: y = act(x . kernel + bias), kernel [in, units]. Inputs of rank > 2
// are applied over the last axis, as TF.js does (the leading axes are rows).

import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { Layer, singleShape, symShapeToString, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type LayerVariable, type SymShape } from './layer.js';
import { activate, activateBackwardWithBias, fusedActivation, getActivation, type ActivationName } from './activations.js';
import { getInitializer, glorotUniform, serializeInitializer, zeros, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { positiveInt } from './args.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  /** TF.js's shorthand for inputShape: [inputDim]. */
  inputDim?: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

/** x2 is x seen as rows [rows, in]; z2 the pre-activation rows. */
interface Saved { x2: Tensor; z: Tensor; y: Tensor; xShape: readonly number[] }

export class Dense extends Layer<Saved> {
  override readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: DenseArgs) {
    super(args.inputDim !== undefined && !args.inputShape && !args.batchInputShape ? { ...args, inputShape: [args.inputDim] } : args, 'dense');
    const where = `dense '${this.name}'`;
    this.units = positiveInt(where, 'units', args.units);
    this.activation = getActivation(args.activation, where);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, glorotUniform, where);
    this.biasInitializer = getInitializer(args.biasInitializer, zeros, where);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, where);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, where);
  }

  private inputDim(s: SymShape): number {
    const d = s[s.length - 1];
    if (s.length < 2 || d === null) {
      throw new Error(`dense '${this.name}': expected an input of rank >= 2 with a known last axis, got shape ${symShapeToString(s)}`);
    }
    return d;
  }

  protected override buildWeights(shapes: SymShape[]): void {
    const inDim = this.inputDim(singleShape(this, shapes));
    this.kernel = this.createWeight('kernel', [inDim, this.units], this.kernelInitializer, true, this.kernelRegularizer);
    if (this.useBias) this.bias = this.createWeight('bias', [this.units], this.biasInitializer, true, this.biasRegularizer);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    const inDim = this.inputDim(s);
    if (this.kernel && this.kernel.shape[0] !== inDim) {
      throw new Error(`dense '${this.name}': built for inputs with last axis ${this.kernel.shape[0]}, got shape ${symShapeToString(s)}`);
    }
    return [...s.slice(0, -1), this.units];
  }

  // x [..., in] -> y [..., units]
  override forward(xs: Tensor[], _training: boolean): [Tensor, Saved] {
    const x = xs[0];
    const inDim = this.kernel!.shape[0];
    const x2 = x.rank === 2 ? x : x.reshape([-1, inDim]);
    // bias and relu ride in the GEMM's epilogue; relu's gradient needs only y > 0, so y stands in for z
    const fused = fusedActivation(this.activation);
    const z = ops.matmul(x2, this.kernel!.value, false, false, this.bias?.value ?? null, fused);
    const y = fused === 'relu' ? z : activate(z, this.activation);
    const out = x.rank === 2 ? y : y.reshape([...x.shape.slice(0, -1), this.units]);
    return [out, { x2, z, y, xShape: x.shape }];
  }

  override backward(dy: Tensor, { x2, z, y, xShape }: Saved, opts: BackwardOptions): LayerGrads {
    const w = this.kernel!;
    const dy2 = dy.rank === 2 ? dy : dy.reshape([-1, this.units]);
    const { dz, db } = activateBackwardWithBias(dy2, z, y, this.activation, opts.dyIsLogitGrad, this.bias?.trainable === true);
    const dWeights: [LayerVariable, Tensor][] = [];
    // dW = x^T . dz; db = column sums of dz
    if (w.trainable) dWeights.push([w, ops.matmul(x2, dz, true, false)]);
    if (this.bias && db) dWeights.push([this.bias, db]);
    // dx = dz . W^T
    let dx: Tensor | null = null;
    if (opts.needInputGrads) {
      const dx2 = ops.matmul(dz, w.value, false, true);
      dx = xShape.length === 2 ? dx2 : dx2.reshape(xShape);
    }
    return { dxs: [dx], dWeights };
  }

  override endsWithSoftmax(): boolean {
    return this.activation === 'softmax';
  }

  protected override layerConfig(): LayerConfig {
    return {
      units: this.units, activation: this.activation, useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer), biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer), biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: null, kernelConstraint: null, biasConstraint: null,
    };
  }
}
