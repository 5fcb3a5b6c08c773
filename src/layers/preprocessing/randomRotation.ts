// RandomRotation (Keras): each training image turns about its centre by an
// angle drawn from factor · 2π (a number f: [-f, f]; or [lower, upper]).

import { RandomTransformLayer, factorConfig, factorRange, rotationMatrix, type Factor, type FillArgs, type RandomLayerArgs } from './randomLayer.js';
import type { LayerConfig } from '../layer.js';

export interface RandomRotationArgs extends RandomLayerArgs, FillArgs {
  /** Fraction of a full turn: f for [-f, f], or [lower, upper]. */
  factor: Factor;
}

export class RandomRotation extends RandomTransformLayer {
  override readonly className = 'RandomRotation';
  readonly factor: Factor;
  private readonly range: [number, number];

  constructor(args: RandomRotationArgs) {
    super(args, 'random_rotation');
    this.range = factorRange(this.where, 'factor', args.factor);
    this.factor = args.factor;
  }

  protected matrix(h: number, w: number): number[] {
    return rotationMatrix(2 * Math.PI * this.uniform(this.range[0], this.range[1]), h, w);
  }

  protected override layerConfig(): LayerConfig {
    return { factor: factorConfig(this.factor), ...super.layerConfig() };
  }
}
