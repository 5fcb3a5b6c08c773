// UpSampling2D (Keras/TF.js): each image enlarged by whole factors [rows, cols],
// 'nearest' (each pixel repeated) or 'bilinear'. Values as TF.js computes them:
// tf.image.resizeNearestNeighbor / resizeBilinear with alignCorners and
// halfPixelCenters false. (Keras in Python resizes bilinearly with half-pixel
// centers, so its 'bilinear' differs from TF.js's and webcnn's at the edges
// of each block; 'nearest' is the same in all three.)

import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import type { Interpolation, UpSampling2dParams } from '../kernels/decoder/index.js';
import { Layer, expectInputRank, singleShape, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type SymShape } from './layer.js';
import { channelsLast, oneOf, positivePair } from './args.js';

export interface UpSampling2DArgs extends LayerArgs {
  /** The factors [rows, cols] (or one for both); default [2, 2]. */
  size?: number | readonly number[];
  /** 'nearest' (the default) or 'bilinear'. */
  interpolation?: Interpolation;
  dataFormat?: 'channelsLast';
}

export class UpSampling2D extends Layer<null> {
  override readonly className = 'UpSampling2D';
  readonly size: [number, number];
  readonly interpolation: Interpolation;

  constructor(args: UpSampling2DArgs = {}) {
    super(args, 'up_sampling2d');
    const where = `upSampling2d '${this.name}'`;
    channelsLast(where, args.dataFormat);
    this.size = positivePair(where, 'size', args.size, [2, 2]);
    this.interpolation = oneOf(where, 'interpolation', args.interpolation, ['nearest', 'bilinear'], 'nearest');
  }

  private params(): UpSampling2dParams {
    return { size: this.size, interpolation: this.interpolation };
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const times = (d: number | null, f: number): number | null => (d === null ? null : d * f);
    return [s[0], times(s[1], this.size[0]), times(s[2], this.size[1]), s[3]];
  }

  override forward(xs: Tensor[], _training: boolean): [Tensor, null] {
    return [ops.upSampling2d(xs[0], this.params()), null];
  }

  override backward(dy: Tensor, _saved: null, opts: BackwardOptions): LayerGrads {
    if (!opts.needInputGrads) return { dxs: [null], dWeights: [] };
    const [n, oh, ow, c] = dy.shape;
    return { dxs: [ops.upSampling2dBackward(dy, [n, oh / this.size[0], ow / this.size[1], c], this.params())], dWeights: [] };
  }

  protected override layerConfig(): LayerConfig {
    return { size: [...this.size], dataFormat: 'channelsLast', interpolation: this.interpolation };
  }
}
