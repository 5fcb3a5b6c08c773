// RandomTranslation (Keras): each training image shifts by fractions of its
// height and width drawn from heightFactor and widthFactor.

import { RandomTransformLayer, factorConfig, factorRange, type Factor, type FillArgs, type RandomLayerArgs } from './randomLayer.js';
import type { LayerConfig } from '../layer.js';

export interface RandomTranslationArgs extends RandomLayerArgs, FillArgs {
  /** Fraction of the height: f for [-f, f], or [lower, upper]; positive moves the image down. */
  heightFactor: Factor;
  /** Fraction of the width: f for [-f, f], or [lower, upper]; positive moves the image right. */
  widthFactor: Factor;
}

export class RandomTranslation extends RandomTransformLayer {
  override readonly className = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly hRange: [number, number];
  private readonly wRange: [number, number];

  constructor(args: RandomTranslationArgs) {
    super(args, 'random_translation');
    this.hRange = factorRange(this.where, 'heightFactor', args.heightFactor, -1, 1);
    this.wRange = factorRange(this.where, 'widthFactor', args.widthFactor, -1, 1);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
  }

  protected matrix(h: number, w: number): number[] {
    const dy = this.uniform(this.hRange[0], this.hRange[1]) * h;
    const dx = this.uniform(this.wRange[0], this.wRange[1]) * w;
    return [1, 0, -dx, 0, 1, -dy, 0, 0];
  }

  protected override layerConfig(): LayerConfig {
    return { heightFactor: factorConfig(this.heightFactor), widthFactor: factorConfig(this.widthFactor), ...super.layerConfig() };
  }
}
