// Pooling layers. Global pools are plain pools whose window is the whole
// image, reshaped from [n, 1, 1, c] to [n, c].

import type { Pool2dParams } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { windowGeometry } from '../kernels/geometry.js';
import { Layer, expectInputRank, singleShape, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type SymShape } from './layer.js';
import { channelsLast, oneOf, positivePair } from './args.js';

export interface Pooling2DArgs extends LayerArgs {
  /** Default [2, 2]. */
  poolSize?: number | readonly number[];
  /** Default: poolSize. */
  strides?: number | readonly number[];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast';
}

type Kind = 'max' | 'avg';

/** max: backward needs x to find each window's maximum; avg: only x's shape. */
interface Saved { x: Tensor }

abstract class Pooling2D extends Layer<Saved> {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';

  constructor(args: Pooling2DArgs, prefix: string, private readonly kind: Kind) {
    super(args, prefix);
    const where = `${prefix} '${this.name}'`;
    this.poolSize = positivePair(where, 'poolSize', args.poolSize, [2, 2]);
    this.strides = positivePair(where, 'strides', args.strides, this.poolSize);
    this.padding = oneOf(where, 'padding', args.padding, ['valid', 'same'], 'valid');
    channelsLast(where, args.dataFormat);
  }

  private params(): Pool2dParams {
    return { poolSize: this.poolSize, strides: this.strides, padding: this.padding };
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const g = windowGeometry(`${this.className} '${this.name}'`, [1, s[1] as number, s[2] as number, s[3] as number], this.poolSize, this.strides, [1, 1], this.padding);
    return [s[0], g.oh, g.ow, s[3]];
  }

  // x [n, h, w, c] -> y [n, oh, ow, c]
  override forward(xs: Tensor[], _training: boolean): [Tensor, Saved] {
    const x = xs[0];
    const y = this.kind === 'max' ? ops.maxPool2d(x, this.params()) : ops.avgPool2d(x, this.params());
    return [y, { x }];
  }

  override backward(dy: Tensor, { x }: Saved, opts: BackwardOptions): LayerGrads {
    if (!opts.needInputGrads) return { dxs: [null], dWeights: [] };
    // max: dy goes to the first maximum of each window; avg: spread evenly over it
    const dx = this.kind === 'max' ? ops.maxPool2dBackward(dy, x, this.params()) : ops.avgPool2dBackward(dy, x.shape, this.params());
    return { dxs: [dx], dWeights: [] };
  }

  protected override layerConfig(): LayerConfig {
    return { poolSize: [...this.poolSize], padding: this.padding, strides: [...this.strides], dataFormat: 'channelsLast' };
  }
}

export class MaxPooling2D extends Pooling2D {
  override readonly className = 'MaxPooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 'max_pooling2d', 'max');
  }
}

export class AveragePooling2D extends Pooling2D {
  override readonly className = 'AveragePooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 'average_pooling2d', 'avg');
  }
}

export interface GlobalPooling2DArgs extends LayerArgs {
  dataFormat?: 'channelsLast';
}

abstract class GlobalPooling2D extends Layer<Saved> {
  constructor(args: GlobalPooling2DArgs, prefix: string, private readonly kind: Kind) {
    super(args, prefix);
    channelsLast(`${prefix} '${this.name}'`, args.dataFormat);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    return [s[0], s[3]];
  }

  private params(x: Tensor): Pool2dParams {
    const window: [number, number] = [x.shape[1], x.shape[2]];
    return { poolSize: window, strides: window, padding: 'valid' };
  }

  // x [n, h, w, c] -> y [n, c]
  override forward(xs: Tensor[], _training: boolean): [Tensor, Saved] {
    const x = xs[0];
    const [n, , , c] = x.shape;
    expectInputRank(this, x.shape, 4, '[batch, height, width, channels]');
    const y = this.kind === 'max' ? ops.maxPool2d(x, this.params(x)) : ops.avgPool2d(x, this.params(x));
    return [y.reshape([n, c]), { x }];
  }

  override backward(dy: Tensor, { x }: Saved, opts: BackwardOptions): LayerGrads {
    if (!opts.needInputGrads) return { dxs: [null], dWeights: [] };
    const dy4 = dy.reshape([x.shape[0], 1, 1, x.shape[3]]);
    const dx = this.kind === 'max' ? ops.maxPool2dBackward(dy4, x, this.params(x)) : ops.avgPool2dBackward(dy4, x.shape, this.params(x));
    return { dxs: [dx], dWeights: [] };
  }

  protected override layerConfig(): LayerConfig {
    return { dataFormat: 'channelsLast' };
  }
}

export class GlobalAveragePooling2D extends GlobalPooling2D {
  override readonly className = 'GlobalAveragePooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'global_average_pooling2d', 'avg');
  }
}

export class GlobalMaxPooling2D extends GlobalPooling2D {
  override readonly className = 'GlobalMaxPooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'global_max_pooling2d', 'max');
  }
}
