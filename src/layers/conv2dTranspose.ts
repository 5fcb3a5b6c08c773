// Conv2DTranspose (Keras/TF.js): y = act(conv2dTranspose(x, kernel) + bias),
// kernel [kh, kw, filters, inChannels] as Keras stores it. The transposed
// convolution is the input gradient of the convolution from y's shape to x's,
// so its forward runs conv2dBackwardInput, its input gradient conv2d and its
// kernel gradient conv2dBackwardFilter with dy in x's place.
// Output size per axis, as TF.js's deconvLength (Keras's deconv_output_length
// without output padding): 'valid' in * stride + max(k - stride, 0), 'same'
// in * stride, where k is the dilated kernel extent.

import type { Conv2dParams } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { effectiveKernel } from '../kernels/geometry.js';
import { Layer, expectInputRank, singleShape, symShapeToString, type LayerArgs, type LayerConfig, type LayerGrads, type BackwardOptions, type LayerVariable, type SymShape } from './layer.js';
import { activate, activateBackwardWithBias, type ActivationName } from './activations.js';
import { getInitializer, glorotUniform, serializeInitializer, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { positiveInt, shown } from './args.js';
import { biasAndActivation, convWindow } from './convArgs.js';

export interface Conv2DTransposeArgs extends LayerArgs {
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast';
  /** Keras's dilation (with strides 1). TF.js's Conv2DTranspose ignores it and drops it from its config. */
  dilationRate?: number | readonly number[];
  /** Keras's output_padding: only null (the size TF.js computes) is supported. */
  outputPadding?: null;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

interface Saved { x: Tensor; z: Tensor; y: Tensor }

/** One axis of the output: TF.js's deconvLength with the dilated kernel (Keras's deconv_output_length). */
export function deconvLength(size: number, stride: number, k: number, dilation: number, padding: 'valid' | 'same'): number {
  const ek = effectiveKernel(k, dilation);
  return padding === 'same' ? size * stride : size * stride + Math.max(ek - stride, 0);
}

export class Conv2DTranspose extends Layer<Saved> {
  override readonly className = 'Conv2DTranspose';
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

  constructor(args: Conv2DTransposeArgs) {
    super(args, 'conv2d_transpose');
    const where = `conv2dTranspose '${this.name}'`;
    this.filters = positiveInt(where, 'filters', args.filters);
    // Keras: a dilated transposed convolution (atrous_conv2d_transpose) takes strides 1 only.
    ({ kernelSize: this.kernelSize, strides: this.strides, padding: this.padding, dilationRate: this.dilationRate } = convWindow(where, args));
    const outputPadding = (args as { outputPadding?: unknown }).outputPadding;
    if (outputPadding !== undefined && outputPadding !== null) {
      throw new Error(`${where}: outputPadding is not supported (TF.js has none), got ${shown(outputPadding)}; leave it null`);
    }
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
    if (s[3] === null) throw new Error(`${this.className} '${this.name}': the channel dimension of the input must be known, got shape ${symShapeToString(s)}`);
    this.kernel = this.createWeight('kernel', [...this.kernelSize, this.filters, s[3]], this.kernelInitializer, true, this.kernelRegularizer);
    if (this.useBias) this.bias = this.createWeight('bias', [this.filters], this.biasInitializer, true, this.biasRegularizer);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const axis = (d: number | null, i: 0 | 1): number | null =>
      d === null ? null : deconvLength(d, this.strides[i], this.kernelSize[i], this.dilationRate[i], this.padding);
    return [s[0], axis(s[1], 0), axis(s[2], 1), this.filters];
  }

  // x [n, h, w, cin] -> y [n, oh, ow, filters]
  override forward(xs: Tensor[], _training: boolean): [Tensor, Saved] {
    const x = xs[0];
    const [n, h, w] = x.shape;
    const outShape = this.computeOutputShape([n, h, w, x.shape[3]]) as number[];
    const conv = ops.conv2dBackwardInput(x, this.kernel!.value, outShape, this.params());
    const z = this.bias ? ops.biasAdd(conv, this.bias.value) : conv;
    const y = activate(z, this.activation);
    return [y, { x, z, y }];
  }

  override backward(dy: Tensor, { x, z, y }: Saved, opts: BackwardOptions): LayerGrads {
    const p = this.params();
    const w = this.kernel!;
    const { dz, db } = activateBackwardWithBias(dy, z, y, this.activation, opts.dyIsLogitGrad, this.bias?.trainable === true);
    const dWeights: [LayerVariable, Tensor][] = [];
    // the kernel's gradient: the filter gradient of the convolution from dz to x
    if (w.trainable) dWeights.push([w, ops.conv2dBackwardFilter(dz, x, w.shape, p)]);
    if (this.bias && db) dWeights.push([this.bias, db]);
    // dx: that convolution itself, applied to dz
    const dx = opts.needInputGrads ? ops.conv2d(dz, w.value, null, p) : null;
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
