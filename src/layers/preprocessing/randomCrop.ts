// RandomCrop (Keras): in training, a height x width window at a random place
// of each image; in inference, and in training for an image smaller than the
// window, Keras's smart_resize: the largest centred box of the window's
// aspect ratio, resized to the window (bilinear, half-pixel centres, as
// tf.image.resize).

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

/** Each image's window of size [h, w] from (top, left), read exactly (whole-pixel moves, nearest). */
function windows(x: Tensor, size: [number, number], offsets: [number, number][]): Tensor {
  const rows = offsets.map(([top, left]) => [1, 0, left, 0, 1, top, 0, 0]);
  return transform(x, transformsTensor(rows), 'nearest', 'constant', 0, size);
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

  /** Keras's smart_resize: the centred box of the window's aspect ratio, resized to the window. */
  private smartResize(x: Tensor): Tensor {
    const [n, h, w] = x.shape;
    if (h === this.height && w === this.width) return x;
    const ch = Math.min(h, Math.floor(Math.fround((w * this.height) / this.width)));
    const cw = Math.min(w, Math.floor(Math.fround((h * this.width) / this.height)));
    const box: [number, number] = [Math.floor((h - ch) / 2), Math.floor((w - cw) / 2)];
    const crop = ch === h && cw === w ? x : windows(x, [ch, cw], Array.from({ length: n }, () => box));
    return resizeBilinear(crop, [this.height, this.width], false, true);
  }

  protected augment(x: Tensor): Tensor {
    const [n, h, w] = x.shape;
    if (h < this.height || w < this.width) return this.smartResize(x);
    const offset = (room: number) => Math.min(room, Math.floor(this.uniform(0, room + 1)));
    return windows(x, [this.height, this.width], Array.from({ length: n }, () => [offset(h - this.height), offset(w - this.width)]));
  }

  protected override passThrough(x: Tensor): Tensor {
    return this.smartResize(x);
  }

  protected override layerConfig(): LayerConfig {
    return { height: this.height, width: this.width, ...super.layerConfig() };
  }
}
