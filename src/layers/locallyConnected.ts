// LocallyConnected2D: a convolution whose weights differ at every output
// position. Keras layout (implementation 1): kernel [oh*ow, kh*kw*cin, cout],
// bias [oh, ow, cout]; 'valid' padding only, as in Keras.

import type { LocallyConnected2dParams } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { windowGeometry } from '../kernels/geometry.js';
import { Layer, expectInputRank, singleShape, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type LayerVariable, type SymShape } from './layer.js';
import { activate, activateBackward, type ActivationName } from './activations.js';
import { getInitializer, glorotUniform, serializeInitializer, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { channelsLast, positiveInt, positivePair } from './args.js';
import { biasAndActivation } from './convArgs.js';

export interface LocallyConnected2DArgs extends LayerArgs {
  filters: number;
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: 'valid';
  dataFormat?: 'channelsLast';
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  implementation?: 1;
}

interface Saved { x: Tensor; z: Tensor; y: Tensor }

export class LocallyConnected2D extends Layer<Saved> {
  override readonly className = 'LocallyConnected2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: LocallyConnected2DArgs) {
    super(args, 'locally_connected2d');
    const where = `locallyConnected2d '${this.name}'`;
    this.filters = positiveInt(where, 'filters', args.filters);
    if (args.kernelSize === undefined) throw new Error(`${where}: kernelSize is required (a positive integer or two)`);
    this.kernelSize = positivePair(where, 'kernelSize', args.kernelSize, [1, 1]);
    this.strides = positivePair(where, 'strides', args.strides, [1, 1]);
    if (args.padding !== undefined && args.padding !== 'valid') throw new Error(`${where}: only padding 'valid' is supported (as in Keras), got '${String(args.padding)}'`);
    if (args.implementation !== undefined && args.implementation !== 1) throw new Error(`${where}: only implementation 1 (the Keras weight layout) is supported, got ${String(args.implementation)}`);
    channelsLast(where, args.dataFormat);
    ({ activation: this.activation, useBias: this.useBias, biasInitializer: this.biasInitializer, biasRegularizer: this.biasRegularizer } = biasAndActivation(where, args));
    this.kernelInitializer = getInitializer(args.kernelInitializer, glorotUniform, where);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, where);
  }

  private params(): LocallyConnected2dParams {
    return { kernelSize: this.kernelSize, strides: this.strides };
  }

  private outputSize(s: SymShape): [number, number] {
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const g = windowGeometry(`locallyConnected2d '${this.name}'`, [1, s[1] as number, s[2] as number, s[3] as number], this.kernelSize, this.strides, [1, 1], 'valid');
    return [g.oh, g.ow];
  }

  protected override buildWeights(shapes: SymShape[]): void {
    const s = singleShape(this, shapes);
    const [oh, ow] = this.outputSize(s);
    const [kh, kw] = this.kernelSize;
    const cin = s[3] as number;
    this.kernel = this.createWeight('kernel', [oh * ow, kh * kw * cin, this.filters], this.kernelInitializer, true, this.kernelRegularizer);
    if (this.useBias) this.bias = this.createWeight('bias', [oh, ow, this.filters], this.biasInitializer, true, this.biasRegularizer);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    const [oh, ow] = this.outputSize(s);
    return [s[0], oh, ow, this.filters];
  }

  // x [n, h, w, cin] -> y [n, oh, ow, filters]
  override forward(xs: Tensor[], _training: boolean): [Tensor, Saved] {
    const x = xs[0];
    const z = ops.locallyConnected2d(x, this.kernel!.value, this.bias?.value ?? null, this.params());
    const y = activate(z, this.activation);
    return [y, { x, z, y }];
  }

  override backward(dy: Tensor, { x, z, y }: Saved, opts: BackwardOptions): LayerGrads {
    const w = this.kernel!;
    const dz = activateBackward(dy, z, y, this.activation, opts.dyIsLogitGrad);
    const dWeights: [LayerVariable, Tensor][] = [];
    // dW[p] = patches(x)[p]^T . dz[p] at each output position p
    if (w.trainable) dWeights.push([w, ops.locallyConnected2dBackwardFilter(x, dz, w.shape, this.params())]);
    // db [oh, ow, cout] = sum of dz over the batch only (one bias per position)
    if (this.bias?.trainable) dWeights.push([this.bias, ops.biasAddBackward(dz.reshape([dz.shape[0], -1])).reshape(this.bias.shape)]);
    const dx = opts.needInputGrads ? ops.locallyConnected2dBackwardInput(dz, w.value, x.shape, this.params()) : null;
    return { dxs: [dx], dWeights };
  }

  override endsWithSoftmax(): boolean {
    return this.activation === 'softmax';
  }

  protected override layerConfig(): LayerConfig {
    return {
      filters: this.filters, kernelSize: [...this.kernelSize], strides: [...this.strides], padding: 'valid',
      dataFormat: 'channelsLast', activation: this.activation, useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer), biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer), biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: null, kernelConstraint: null, biasConstraint: null, implementation: 1,
    };
  }
}
