// Rescaling (Keras, TF.js 4.22): x · scale + offset (e.g. scale 1/255 for pixels).

import type { Tensor } from '../../tensor.js';
import { Layer, singleShape, type LayerArgs, type LayerConfig, type SymShape } from '../layer.js';
import type { CallArgs } from '../tapeLayer.js';
import { shown } from '../args.js';

export interface RescalingArgs extends LayerArgs {
  scale: number;
  /** Default 0. */
  offset?: number;
}

export class Rescaling extends Layer<null> {
  override readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    super(args, 'rescaling');
    const num = (what: string, v: unknown, fallback?: number): number => {
      if (v === undefined && fallback !== undefined) return fallback;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`rescaling '${this.name}': ${what} must be a finite number, got ${shown(v)}`);
      return v;
    };
    this.scale = num('scale', args?.scale);
    this.offset = num('offset', args?.offset ?? undefined, 0);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    return singleShape(this, inputShape);
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallArgs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return x.mul(this.scale).add(this.offset);
  }

  protected override layerConfig(): LayerConfig {
    return { scale: this.scale, offset: this.offset };
  }
}
