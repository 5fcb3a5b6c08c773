// Pooling layers. Global pools are plain pools whose window is the whole
// image, reshaped from [n, 1, 1, c] to [n, c]. Min, sum and L2-norm pooling
// (and their global forms) are webcnn extras with no TF.js or Keras layer:
// their configs are MaxPooling2D's (GlobalMaxPooling2D's), so webcnn saves and
// loads them, but TF.js's loadLayersModel does not know their class names.

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

type Kind = 'max' | 'avg' | 'min' | 'sum' | 'l2';

/** max, min: backward needs x to find each window's extreme; avg, sum: only x's shape; l2: x and y (the norms). */
interface Saved { x: Tensor; y: Tensor }

/** Each kind's forward and backward kernels. */
const POOL_OPS: Readonly<Record<Kind, {
  forward: (x: Tensor, p: Pool2dParams) => Tensor;
  backward: (dy: Tensor, x: Tensor, y: Tensor, p: Pool2dParams) => Tensor;
}>> = {
  // dy goes to the first maximum of each window
  max: { forward: ops.maxPool2d, backward: (dy, x, _y, p) => ops.maxPool2dBackward(dy, x, p) },
  // spread evenly over it
  avg: { forward: ops.avgPool2d, backward: (dy, x, _y, p) => ops.avgPool2dBackward(dy, x.shape, p) },
  // to the first minimum
  min: { forward: ops.minPool2d, backward: (dy, x, _y, p) => ops.minPool2dBackward(dy, x, p) },
  // whole to every pixel of it
  sum: { forward: ops.sumPool2d, backward: (dy, x, _y, p) => ops.sumPool2dBackward(dy, x.shape, p) },
  // dy * x / norm, 0 where the norm is 0
  l2: { forward: ops.l2Pool2d, backward: ops.l2Pool2dBackward },
};

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
    const y = POOL_OPS[this.kind].forward(x, this.params());
    return [y, { x, y }];
  }

  override backward(dy: Tensor, { x, y }: Saved, opts: BackwardOptions): LayerGrads {
    if (!opts.needInputGrads) return { dxs: [null], dWeights: [] };
    const dx = POOL_OPS[this.kind].backward(dy, x, y, this.params());
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
    const y = POOL_OPS[this.kind].forward(x, this.params(x));
    return [y.reshape([n, c]), { x, y }];
  }

  override backward(dy: Tensor, { x, y }: Saved, opts: BackwardOptions): LayerGrads {
    if (!opts.needInputGrads) return { dxs: [null], dWeights: [] };
    const dy4 = dy.reshape([x.shape[0], 1, 1, x.shape[3]]);
    const dx = POOL_OPS[this.kind].backward(dy4, x, y, this.params(x));
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

// webcnn extras: no TF.js or Keras layer has these names (see the file's head).

/** Min pooling: the minimum of each window (webcnn's; the gradient goes to the first minimum). */
export class MinPooling2D extends Pooling2D {
  override readonly className = 'MinPooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 'min_pooling2d', 'min');
  }
}

/** Sum pooling: the sum of each window's real pixels (webcnn's; the gradient is one). */
export class SumPooling2D extends Pooling2D {
  override readonly className = 'SumPooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 'sum_pooling2d', 'sum');
  }
}

/** L2-norm pooling: sqrt of the sum of squares of each window (webcnn's; the gradient is x / norm, 0 where the norm is 0). */
export class L2Pooling2D extends Pooling2D {
  override readonly className = 'L2Pooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 'l2_pooling2d', 'l2');
  }
}

/** The minimum of each channel over the whole image: [n, h, w, c] -> [n, c] (webcnn's). */
export class GlobalMinPooling2D extends GlobalPooling2D {
  override readonly className = 'GlobalMinPooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'global_min_pooling2d', 'min');
  }
}

/** The sum of each channel over the whole image: [n, h, w, c] -> [n, c] (webcnn's). */
export class GlobalSumPooling2D extends GlobalPooling2D {
  override readonly className = 'GlobalSumPooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'global_sum_pooling2d', 'sum');
  }
}

/** The L2 norm of each channel over the whole image: [n, h, w, c] -> [n, c] (webcnn's). */
export class GlobalL2Pooling2D extends GlobalPooling2D {
  override readonly className = 'GlobalL2Pooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'global_l2_pooling2d', 'l2');
  }
}
