// RandomCrop (Keras): in training, a height x width window at a random place
// of each image; in inference, the centre window. An image smaller than the
// window is resized up to it first (bilinear, as Keras does).

import type { Tensor } from '../../tensor.js';
import { transform } from '../../kernels/augment/ops.js';
import { resizeBilinear } from '../../kernels/image/ops.js';
import { expectInputRank, singleShape, type LayerConfig, type SymShape } from '../layer.js';
import { positiveInt } from '../args.js';
import { RandomLayer, transformsTensor, type RandomLayerArgs } from './randomLayer.js';

export interface RandomCropArgs extends RandomLayerArgs {
  height: number;
  width: number;
}

export class RandomCrop extends RandomLayer {
  override readonly className = 'RandomCrop';
  readonly height: number;
  readonly width: number;

  constructor(args: RandomCropArgs) {
    super(args, 'random_crop');
    this.height = positiveInt(this.where, 'height', args.height);
    this.width = positiveInt(this.where, 'width', args.width);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    return [s[0], this.height, this.width, s[3]];
  }

  /** The input, resized up where it is smaller than the window along an axis. */
  private atLeastWindow(x: Tensor): Tensor {
    const [, h, w] = x.shape;
    if (h >= this.height && w >= this.width) return x;
    return resizeBilinear(x, [Math.max(h, this.height), Math.max(w, this.width)], false, true);
  }

  private crop(x: Tensor, offset: (room: number) => number): Tensor {
    const big = this.atLeastWindow(x);
    const [n, h, w] = big.shape;
    const rows = Array.from({ length: n }, () => {
      const top = offset(h - this.height);
      const left = offset(w - this.width);
      return [1, 0, left, 0, 1, top, 0, 0];
    });
    return transform(big, transformsTensor(rows), 'nearest', 'constant', 0, [this.height, this.width]);
  }

  protected augment(x: Tensor): Tensor {
    return this.crop(x, (room) => Math.min(room, Math.floor(this.uniform(0, room + 1))));
  }

  protected override passThrough(x: Tensor): Tensor {
    return this.crop(x, (room) => Math.floor(room / 2));
  }

  protected override layerConfig(): LayerConfig {
    return { height: this.height, width: this.width, ...super.layerConfig() };
  }
}
