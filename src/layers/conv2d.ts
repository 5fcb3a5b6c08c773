// Conv2D: y = act(conv2d(x, kernel) + bias), kernel [kh, kw, cin, cout].

import type { Conv2dParams, ExplicitPadding, FusedActivation } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { windowGeometry } from '../kernels/geometry.js';
import { conv2dFilterGrad, conv2dForTraining, type Conv2dSaved } from '../kernels/conv2d/index.js';
import { Layer, expectInputRank, singleShape, type LayerArgs, type LayerConfig, type LayerGrads, type BackwardOptions, type LayerVariable, type SymShape } from './layer.js';
import { activate, activateBackwardWithBias, fusedActivation, type ActivationName } from './activations.js';
import { getInitializer, glorotUniform, serializeInitializer, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { positiveInt } from './args.js';
import { biasAndActivation, convWindow } from './convArgs.js';

export interface Conv2DArgs extends LayerArgs {
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast';
  dilationRate?: number | readonly number[];
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

/** conv: what the convolution's training forward kept for its filter gradient. */
interface Saved { x: Tensor; z: Tensor; y: Tensor; conv: Conv2dSaved | null }

export class Conv2D extends Layer<Saved> {
  override readonly className = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: Conv2DArgs) {
    super(args, 'conv2d');
    const where = `conv2d '${this.name}'`;
    this.filters = positiveInt(where, 'filters', args.filters);
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate } = convWindow(where, args));
    ({ activation: this.activation, useBias: this.useBias, biasInitializer: this.biasInitializer, biasRegularizer: this.biasRegularizer } = biasAndActivation(where, args));
    this.kernelInitializer = getInitializer(args.kernelInitializer, glorotUniform, where);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, where);
  }

  private params(): Conv2dParams {
    return { strides: this.strides, padding: this.padding, dilations: this.dilationRate };
  }

  protected override buildWeights(shapes: SymShape[]): void {
    const s = singleShape(this, shapes);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const cin = s[3] as number;
    this.kernel = this.createWeight('kernel', [...this.kernelSize, cin, this.filters], this.kernelInitializer, true, this.kernelRegularizer);
    if (this.useBias) this.bias = this.createWeight('bias', [this.filters], this.biasInitializer, true, this.biasRegularizer);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const g = windowGeometry(`conv2d '${this.name}'`, [1, s[1] as number, s[2] as number, s[3] as number], this.kernelSize, this.strides, this.dilationRate, this.padding);
    return [s[0], g.oh, g.ow, this.filters];
  }

  // x [n, h, w, cin] -> y [n, oh, ow, filters]
  override forward(xs: Tensor[], training: boolean): [Tensor, Saved] {
    const x = xs[0];
    const w = this.kernel!;
    // bias and relu ride in the kernel's epilogue; relu's gradient needs only y > 0, so y stands in for z
    const fused = fusedActivation(this.activation);
    const p = this.params();
    const bias = this.bias?.value ?? null;
    let z: Tensor;
    let conv: Conv2dSaved | null = null;
    if (training && w.trainable) ({ y: z, saved: conv } = conv2dForTraining(x, w.value, bias, p, fused));
    else z = ops.conv2d(x, w.value, bias, p, fused);
    const y = fused === 'relu' ? z : activate(z, this.activation);
    return [y, { x, z, y, conv }];
  }

  /**
   * Inference with this layer's geometry but another kernel and bias (a batch
   * norm folded into them, src/graph/inferenceFusion.ts) and a fused activation.
   */
  convolveWith(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation, padding: ExplicitPadding | null = null): Tensor {
    const p = this.params();
    return ops.conv2d(x, kernel, bias, padding ? { ...p, padding } : p, activation);
  }

  override backward(dy: Tensor, { x, z, y, conv }: Saved, opts: BackwardOptions): LayerGrads {
    const p = this.params();
    const w = this.kernel!;
    const { dz, db } = activateBackwardWithBias(dy, z, y, this.activation, opts.dyIsLogitGrad, this.bias?.trainable === true);
    const dWeights: [LayerVariable, Tensor][] = [];
    // dW = im2col(x)^T . dz; db = sum of dz over n, oh, ow
    if (w.trainable) dWeights.push([w, conv2dFilterGrad(dz, conv ?? { x, columns: null }, w.shape, p)]);
    if (this.bias && db) dWeights.push([this.bias, db]);
    // dx = col2im(dz . W^T)
    const dx = opts.needInputGrads ? ops.conv2dBackwardInput(dz, w.value, x.shape, p) : null;
    return { dxs: [dx], dWeights };
  }

  override endsWithSoftmax(): boolean {
    return this.activation === 'softmax';
  }

  protected override layerConfig(): LayerConfig {
    return {
      filters: this.filters, kernelSize: [...this.kernelSize], strides: [...this.strides], padding: this.padding,
      dataFormat: 'channelsLast', dilationRate: [...this.dilationRate], activation: this.activation, useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer), biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer), biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: null, kernelConstraint: null, biasConstraint: null,
    };
  }
}
