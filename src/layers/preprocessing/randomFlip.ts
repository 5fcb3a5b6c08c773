// RandomFlip (Keras): each training image flips left-right and/or upside
// down, each with probability 1/2, by mode.

import type { Tensor } from '../../tensor.js';
import { transform } from '../../kernels/augment/ops.js';
import type { LayerConfig } from '../layer.js';
import { oneOf } from '../args.js';
import { RandomLayer, transformsTensor, type RandomLayerArgs } from './randomLayer.js';

export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

export interface RandomFlipArgs extends RandomLayerArgs {
  /** 'horizontal_and_vertical' (default), 'horizontal' or 'vertical'. */
  mode?: FlipMode;
}

export class RandomFlip extends RandomLayer {
  override readonly className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(args: RandomFlipArgs = {}) {
    super(args, 'random_flip');
    // model.json's reader camel-cases string values, as TF.js's does: 'horizontal_and_vertical' arrives as 'horizontalAndVertical'
    const mode = (args.mode as string | undefined) === 'horizontalAndVertical' ? 'horizontal_and_vertical' : args.mode;
    this.mode = oneOf(this.where, 'mode', mode, ['horizontal', 'vertical', 'horizontal_and_vertical'], 'horizontal_and_vertical');
  }

  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape;
    const rows = Array.from({ length: n }, () => {
      const fx = this.mode !== 'vertical' && this.uniform(0, 1) < 0.5;
      const fy = this.mode !== 'horizontal' && this.uniform(0, 1) < 0.5;
      return [fx ? -1 : 1, 0, fx ? w - 1 : 0, 0, fy ? -1 : 1, fy ? h - 1 : 0, 0, 0];
    });
    // whole-pixel moves: nearest reads each pixel exactly
    return transform(x, transformsTensor(rows), 'nearest', 'constant', 0);
  }

  protected override layerConfig(): LayerConfig {
    return { mode: this.mode, ...super.layerConfig() };
  }
}
