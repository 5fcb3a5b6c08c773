// CenterCrop (Keras, TF.js 4.22): the centre height x width window of each
// image. As TF.js 4.22 computes it (so models move between the two with the
// same predictions): a nearest cropAndResize over the box from
// (floor((H - height) / 2), floor((W - width) / 2)), the column offset at
// least 1 where the widths differ; an image smaller than the window along an
// axis is resized to it (bilinear) instead.

import type { Tensor } from '../../tensor.js';
import { tensor } from '../../engine.js';
import { cropAndResize, resizeBilinear } from '../../kernels/image/ops.js';
import { Layer, expectInputRank, singleShape, type LayerArgs, type LayerConfig, type SymShape } from '../layer.js';
import type { CallArgs } from '../tapeLayer.js';
import { positiveInt } from '../args.js';

export interface CenterCropArgs extends LayerArgs {
  height: number;
  width: number;
}

export class CenterCrop extends Layer<null> {
  override readonly className = 'CenterCrop';
  readonly height: number;
  readonly width: number;

  constructor(args: CenterCropArgs) {
    super(args, 'center_crop');
    const where = `centerCrop '${this.name}'`;
    this.height = positiveInt(where, 'height', args?.height);
    this.width = positiveInt(where, 'width', args?.width);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    return [s[0], this.height, this.width, s[3]];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallArgs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [n, h, w] = x.shape;
    const top = h !== this.height ? Math.floor((h - this.height) / 2) : 0;
    let left = w !== this.width ? Math.floor((w - this.width) / 2) : 0;
    if (w !== this.width && left === 0) left = 1;
    if (top < 0 || left < 0) return resizeBilinear(x, [this.height, this.width]);
    const box = [top / h, left / w, (this.height + top) / h, (this.width + left) / w];
    const boxes = tensor(Array.from({ length: n }, () => box).flat(), [n, 4]);
    const ind = tensor(Array.from({ length: n }, (_, i) => i), [n]);
    return cropAndResize(x, boxes, ind, [this.height, this.width], 'nearest');
  }

  protected override layerConfig(): LayerConfig {
    return { height: this.height, width: this.width };
  }
}
