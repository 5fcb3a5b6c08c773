// RandomBrightness (Keras): each training image gets a delta drawn from
// factor (fractions of valueRange's width) added, then clipped to valueRange.

import type { Tensor } from '../../tensor.js';
import { tensor } from '../../engine.js';
import type { LayerConfig } from '../layer.js';
import { RandomLayer, factorConfig, factorRange, type Factor, type RandomLayerArgs } from './randomLayer.js';
import { valueRangeOf } from './randomContrast.js';

export interface RandomBrightnessArgs extends RandomLayerArgs {
  /** f in [0, 1] for deltas in [-f, f], or [lower, upper] within [-1, 1]: fractions of valueRange's width. */
  factor: Factor;
  /** The pixel range: the deltas' scale and the clip; default [0, 255]. */
  valueRange?: readonly [number, number];
}

export class RandomBrightness extends RandomLayer {
  override readonly className = 'RandomBrightness';
  readonly factor: Factor;
  readonly valueRange: [number, number];
  private readonly range: [number, number];

  constructor(args: RandomBrightnessArgs) {
    super(args, 'random_brightness');
    this.range = factorRange(this.where, 'factor', args.factor, -1, 1);
    this.factor = args.factor;
    this.valueRange = valueRangeOf(this.where, args.valueRange);
  }

  protected augment(x: Tensor): Tensor {
    const n = x.shape[0];
    const span = this.valueRange[1] - this.valueRange[0];
    const d = tensor(Array.from({ length: n }, () => span * this.uniform(this.range[0], this.range[1])), [n, 1, 1, 1]);
    return x.add(d).clipByValue(this.valueRange[0], this.valueRange[1]);
  }

  protected override layerConfig(): LayerConfig {
    return { factor: factorConfig(this.factor), valueRange: [...this.valueRange], ...super.layerConfig() };
  }
}
