// RandomWidth and RandomHeight (Keras, TF.js 4.22): in training, the batch is
// resized along one axis by 1 + a draw from factor (one size for the whole
// batch, since a batch is one tensor), bilinear or nearest, as TF.js resizes
// (alignCorners and halfPixelCenters false); in inference it passes through
// (TF.js 4.22 resizes in inference too; Keras does not). The configs are
// TF.js's (factor, interpolation, seed), so files load both ways.

import type { Tensor } from '../../tensor.js';
import { resizeBilinear, resizeNearestNeighbor } from '../../kernels/image/ops.js';
import { expectInputRank, singleShape, type LayerConfig, type SymShape } from '../layer.js';
import { oneOf } from '../args.js';
import { RandomLayer, factorConfig, factorRange, type Factor, type RandomLayerArgs } from './randomLayer.js';

export interface RandomResizeArgs extends RandomLayerArgs {
  /** f for [-f, f], or [lower, upper], each above -1: the size becomes round(size · (1 + draw)). */
  factor: Factor;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: 'bilinear' | 'nearest';
}

/** Resizes one axis (1: height, 2: width) by a random factor. */
abstract class RandomResize extends RandomLayer {
  readonly factor: Factor;
  readonly interpolation: 'bilinear' | 'nearest';
  private readonly range: [number, number];
  protected abstract readonly axis: 1 | 2;

  constructor(args: RandomResizeArgs, prefix: string) {
    super(args, prefix);
    this.range = factorRange(this.where, 'factor', args.factor, -1, Infinity);
    if (this.range[0] <= -1) throw new Error(`${this.where}: factor must stay above -1 (a size of 1 + factor > 0), got ${JSON.stringify(args.factor)}`);
    this.factor = args.factor;
    this.interpolation = oneOf(this.where, 'interpolation', args.interpolation, ['bilinear', 'nearest'], 'bilinear');
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    // the size is drawn per training call
    return s.map((d, i) => (i === this.axis ? null : d));
  }

  override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    this.computeOutputShape([null, ...x.shape.slice(1)]);
    return kwargs.training ? this.augment(x) : x;
  }

  protected augment(x: Tensor): Tensor {
    const size: [number, number] = [x.shape[1], x.shape[2]];
    size[this.axis - 1] = Math.max(1, Math.round(size[this.axis - 1] * (1 + this.uniform(this.range[0], this.range[1]))));
    return (this.interpolation === 'bilinear' ? resizeBilinear : resizeNearestNeighbor)(x, size);
  }

  protected override layerConfig(): LayerConfig {
    return { factor: factorConfig(this.factor), interpolation: this.interpolation, ...super.layerConfig() };
  }
}

export class RandomWidth extends RandomResize {
  override readonly className = 'RandomWidth';
  protected readonly axis = 2;
  constructor(args: RandomResizeArgs) {
    super(args, 'random_width');
  }
}

export class RandomHeight extends RandomResize {
  override readonly className = 'RandomHeight';
  protected readonly axis = 1;
  constructor(args: RandomResizeArgs) {
    super(args, 'random_height');
  }
}
