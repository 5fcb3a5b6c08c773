// RandomZoom (Keras): each training image is scaled about its centre by
// 1 + a draw from heightFactor (and widthFactor; without it the aspect ratio
// stays). A negative draw zooms in, a positive one out.

import { RandomTransformLayer, factorConfig, factorRange, type Factor, type FillArgs, type RandomLayerArgs } from './randomLayer.js';
import type { LayerConfig } from '../layer.js';

export interface RandomZoomArgs extends RandomLayerArgs, FillArgs {
  /** f for [-f, f], or [lower, upper], each above -1: the height's zoom is 1 + a draw (negative zooms in). */
  heightFactor: Factor;
  /** As heightFactor for the width; null or absent: the height's zoom (aspect ratio kept). */
  widthFactor?: Factor | null;
}

export class RandomZoom extends RandomTransformLayer {
  override readonly className = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  private readonly hRange: [number, number];
  private readonly wRange: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    super(args, 'random_zoom');
    this.hRange = factorRange(this.where, 'heightFactor', args.heightFactor, -1, Infinity);
    this.wRange = args.widthFactor === undefined || args.widthFactor === null ? null : factorRange(this.where, 'widthFactor', args.widthFactor, -1, Infinity);
    if (this.hRange[0] <= -1 || (this.wRange && this.wRange[0] <= -1)) throw new Error(`${this.where}: zoom factors must stay above -1 (a zoom of 1 + factor > 0), got ${JSON.stringify([args.heightFactor, args.widthFactor])}`);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor ?? null;
  }

  protected matrix(h: number, w: number): number[] {
    const zy = 1 + this.uniform(this.hRange[0], this.hRange[1]);
    const zx = this.wRange ? 1 + this.uniform(this.wRange[0], this.wRange[1]) : zy;
    return [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy), 0, 0];
  }

  protected override layerConfig(): LayerConfig {
    return {
      heightFactor: factorConfig(this.heightFactor), widthFactor: this.widthFactor === null ? null : factorConfig(this.widthFactor), ...super.layerConfig(),
    };
  }
}
