// Resizing (Keras, TF.js 4.22): images to height x width, bilinear or
// nearest. As TF.js 4.22 computes it (so models move between the two with
// the same predictions): alignCorners is !cropToAspectRatio, and
// cropToAspectRatio crops nothing.

import type { Tensor } from '../../tensor.js';
import { resizeBilinear, resizeNearestNeighbor } from '../../kernels/image/ops.js';
import { Layer, expectInputRank, singleShape, type LayerArgs, type LayerConfig, type SymShape } from '../layer.js';
import type { CallArgs } from '../tapeLayer.js';
import { oneOf, positiveInt } from '../args.js';

export interface ResizingArgs extends LayerArgs {
  height: number;
  width: number;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: 'bilinear' | 'nearest';
  /** Default false (TF.js then aligns the corners). */
  cropToAspectRatio?: boolean;
}

export class Resizing extends Layer<null> {
  override readonly className = 'Resizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly cropToAspectRatio: boolean;

  constructor(args: ResizingArgs) {
    super(args, 'resizing');
    const where = `resizing '${this.name}'`;
    this.height = positiveInt(where, 'height', args?.height);
    this.width = positiveInt(where, 'width', args?.width);
    this.interpolation = oneOf(where, 'interpolation', args.interpolation, ['bilinear', 'nearest'], 'bilinear');
    this.cropToAspectRatio = Boolean(args.cropToAspectRatio);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    return [s[0], this.height, this.width, s[3]];
  }

  override call(inputs: Tensor | Tensor[], _kwargs: CallArgs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const resize = this.interpolation === 'bilinear' ? resizeBilinear : resizeNearestNeighbor;
    return resize(x, [this.height, this.width], !this.cropToAspectRatio);
  }

  protected override layerConfig(): LayerConfig {
    return { height: this.height, width: this.width, interpolation: this.interpolation, cropToAspectRatio: this.cropToAspectRatio };
  }
}
