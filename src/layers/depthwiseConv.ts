// DepthwiseConv2D and SeparableConv2D, as TF.js's layers (configs, weight
// names depthwise_kernel / pointwise_kernel / bias, defaults). Their math is
// call() in the differentiable ops (wc.depthwiseConv2d, wc.conv2d, ...), so
// they train through the tape; each op is one kernel with its gradient kernels.

import type { ExplicitPadding, FusedActivation } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import { depthwiseConv2d } from '../kernels/depthwise/ops.js';
import { depthwiseConv2dRaw } from '../kernels/depthwise/index.js';
import { conv2d } from '../kernels/nn/ops.js';
import { add, elu, leakyRelu, relu, relu6, sigmoid, tanh } from '../kernels/elementwise/ops.js';
import { softmax } from '../kernels/reduce/ops.js';
import { windowGeometry } from '../kernels/geometry.js';
import { Layer, expectInputRank, singleShape, type LayerArgs, type LayerConfig, type LayerVariable, type SymShape } from './layer.js';
import { type ActivationName } from './activations.js';
import { getInitializer, glorotNormal, glorotUniform, serializeInitializer, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { positiveInt } from './args.js';
import { biasAndActivation, convWindow } from './convArgs.js';

/** An activation by name as a differentiable op (what call() needs). */
function applyActivation(name: ActivationName, x: Tensor): Tensor {
  switch (name) {
    case 'linear': return x;
    case 'relu': return relu(x);
    case 'relu6': return relu6(x);
    case 'leakyRelu': return leakyRelu(x, 0.2);
    case 'elu': return elu(x);
    case 'sigmoid': return sigmoid(x);
    case 'tanh': return tanh(x);
    case 'softmax': return softmax(x, -1);
  }
}

export interface DepthwiseConv2DArgs extends LayerArgs {
  kernelSize: number | readonly number[];
  depthMultiplier?: number;
  strides?: number | readonly number[];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast';
  dilationRate?: number | readonly number[];
  activation?: ActivationName;
  useBias?: boolean;
  depthwiseInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

/** What DepthwiseConv2D and SeparableConv2D share: the window, the depthwise kernel, the bias and the activation. */
abstract class DepthwiseBase extends Layer {
  readonly kernelSize: [number, number];
  readonly depthMultiplier: number;
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  depthwiseKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: DepthwiseConv2DArgs, prefix: string, defaultInit: () => Initializer) {
    super(args, prefix);
    const where = `${prefix} '${this.name}'`;
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate } = convWindow(where, args));
    this.depthMultiplier = args.depthMultiplier === undefined ? 1 : positiveInt(where, 'depthMultiplier', args.depthMultiplier);
    ({ activation: this.activation, useBias: this.useBias, biasInitializer: this.biasInitializer, biasRegularizer: this.biasRegularizer } = biasAndActivation(where, args));
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer, defaultInit, where);
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer, where);
  }

  protected abstract outChannels(cin: number): number;

  protected buildDepthwise(shapes: SymShape[]): number {
    const s = singleShape(this, shapes);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const cin = s[3] as number;
    this.depthwiseKernel = this.createWeight('depthwise_kernel', [...this.kernelSize, cin, this.depthMultiplier], this.depthwiseInitializer, true, this.depthwiseRegularizer);
    return cin;
  }

  protected addBias(units: number): void {
    if (this.useBias) this.bias = this.createWeight('bias', [units], this.biasInitializer, true, this.biasRegularizer);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const g = windowGeometry(`${this.className} '${this.name}'`, [1, s[1] as number, s[2] as number, s[3] as number], this.kernelSize, this.strides, this.dilationRate, this.padding);
    return [s[0], g.oh, g.ow, this.outChannels(s[3] as number)];
  }

  protected depthwise(x: Tensor): Tensor {
    return depthwiseConv2d(x, this.depthwiseKernel!.read(), this.strides, this.padding, 'NHWC', this.dilationRate);
  }

  protected finish(z: Tensor): Tensor {
    return applyActivation(this.activation, this.bias ? add(z, this.bias.read()) : z);
  }

  protected baseConfig(): LayerConfig {
    return {
      kernelSize: [...this.kernelSize], strides: [...this.strides], padding: this.padding, dataFormat: 'channelsLast',
      dilationRate: [...this.dilationRate], activation: this.activation, useBias: this.useBias,
      biasInitializer: serializeInitializer(this.biasInitializer), biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: null, biasConstraint: null,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer), depthwiseRegularizer: serializeRegularizer(this.depthwiseRegularizer),
      depthwiseConstraint: null,
    };
  }
}

/** tf.layers.depthwiseConv2d: y = act(depthwiseConv2d(x, depthwise_kernel) + bias), kernel [kh, kw, c, depthMultiplier]. */
export class DepthwiseConv2D extends DepthwiseBase {
  override readonly className = 'DepthwiseConv2D';

  constructor(args: DepthwiseConv2DArgs) {
    // TF.js's default for the depthwise kernel is its convolutions' glorotNormal
    super(args, 'depthwise_conv2d', glorotNormal);
  }

  protected outChannels(cin: number): number {
    return cin * this.depthMultiplier;
  }

  protected override buildWeights(shapes: SymShape[]): void {
    const cin = this.buildDepthwise(shapes);
    this.addBias(cin * this.depthMultiplier);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return this.finish(this.depthwise(Array.isArray(inputs) ? inputs[0] : inputs));
  }

  /**
   * Inference on a batch with this layer's window but another kernel and bias (a
   * batch norm folded into them, src/graph/inferenceFusion.ts), a fused
   * activation, and optionally explicit pads in place of its padding.
   */
  convolveWith(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: FusedActivation, padding: ExplicitPadding | null = null): Tensor {
    const p = { strides: this.strides, padding: padding ?? this.padding, dilations: this.dilationRate };
    return depthwiseConv2dRaw(x, kernel, p, bias, activation);
  }

  protected override layerConfig(): LayerConfig {
    return this.baseConfig();
  }
}

export interface SeparableConv2DArgs extends DepthwiseConv2DArgs {
  filters: number;
  pointwiseInitializer?: InitializerIdentifier;
  pointwiseRegularizer?: RegularizerIdentifier;
}

/** tf.layers.separableConv2d: a depthwise convolution, then a 1x1 one to `filters` channels, then bias and activation. */
export class SeparableConv2D extends DepthwiseBase {
  override readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly pointwiseInitializer: Initializer;
  readonly pointwiseRegularizer: Regularizer | null;
  pointwiseKernel: LayerVariable | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args, 'separable_conv2d', glorotUniform);
    const where = `separable_conv2d '${this.name}'`;
    this.filters = positiveInt(where, 'filters', args.filters);
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer, glorotUniform, where);
    this.pointwiseRegularizer = getRegularizer(args.pointwiseRegularizer, where);
  }

  protected outChannels(): number {
    return this.filters;
  }

  protected override buildWeights(shapes: SymShape[]): void {
    const cin = this.buildDepthwise(shapes);
    this.pointwiseKernel = this.createWeight('pointwise_kernel', [1, 1, cin * this.depthMultiplier, this.filters], this.pointwiseInitializer, true, this.pointwiseRegularizer);
    this.addBias(this.filters);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.finish(conv2d(this.depthwise(x), this.pointwiseKernel!.read(), 1, 'valid'));
  }

  protected override layerConfig(): LayerConfig {
    return {
      ...this.baseConfig(), filters: this.filters,
      pointwiseInitializer: serializeInitializer(this.pointwiseInitializer), pointwiseRegularizer: serializeRegularizer(this.pointwiseRegularizer),
      pointwiseConstraint: null,
    };
  }
}
