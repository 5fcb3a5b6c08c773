// RandomContrast (Keras): each training image's channels are pulled towards
// or pushed from their mean by a factor drawn from [1 - lower, 1 + upper]
// (tf.image.adjust_contrast), then clipped to valueRange.

import type { Tensor } from '../../tensor.js';
import { tensor } from '../../engine.js';
import type { LayerConfig } from '../layer.js';
import { shown } from '../args.js';
import { RandomLayer, factorConfig, type Factor, type RandomLayerArgs } from './randomLayer.js';

export interface RandomContrastArgs extends RandomLayerArgs {
  /** f in [0, 1] for contrast factors in [1 - f, 1 + f], or [lower, upper] for [1 - lower, 1 + upper]. */
  factor: Factor;
  /** The range outputs are clipped to; default [0, 255]. */
  valueRange?: readonly [number, number];
}

export function valueRangeOf(where: string, v: unknown): [number, number] {
  if (v === undefined || v === null) return [0, 255];
  if (!Array.isArray(v) || v.length !== 2 || v.some((d) => typeof d !== 'number' || !Number.isFinite(d)) || v[0] >= v[1]) {
    throw new Error(`${where}: valueRange must be [low, high] with low < high, got ${shown(v)}`);
  }
  return [v[0], v[1]];
}

/** Keras's contrast factor: f for [1 - f, 1 + f], or [lower, upper] for [1 - lower, 1 + upper]; lower within [0, 1], upper >= 0. */
function contrastRange(where: string, f: unknown): [number, number] {
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  const pair = ok(f) ? [f, f] : Array.isArray(f) && f.length === 2 && ok(f[0]) && ok(f[1]) ? [f[0], f[1]] : null;
  if (!pair) throw new Error(`${where}: factor must be a non-negative number or a [lower, upper] pair of them, got ${shown(f)}`);
  if (pair[0] > 1) throw new Error(`${where}: factor's lower part must lie in [0, 1] (contrast 1 - lower >= 0), got ${shown(f)}`);
  return [1 - pair[0], 1 + pair[1]];
}

export class RandomContrast extends RandomLayer {
  override readonly className = 'RandomContrast';
  readonly factor: Factor;
  readonly valueRange: [number, number];
  private readonly range: [number, number];

  constructor(args: RandomContrastArgs) {
    super(args, 'random_contrast');
    this.range = contrastRange(this.where, args.factor);
    this.factor = args.factor;
    this.valueRange = valueRangeOf(this.where, args.valueRange);
  }

  protected augment(x: Tensor): Tensor {
    const n = x.shape[0];
    const f = tensor(Array.from({ length: n }, () => this.uniform(this.range[0], this.range[1])), [n, 1, 1, 1]);
    const mean = x.mean([1, 2], true);
    return x.sub(mean).mul(f).add(mean).clipByValue(this.valueRange[0], this.valueRange[1]);
  }

  protected override layerConfig(): LayerConfig {
    return { factor: factorConfig(this.factor), valueRange: [...this.valueRange], ...super.layerConfig() };
  }
}
