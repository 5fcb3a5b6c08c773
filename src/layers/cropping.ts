// Cropping2D (Keras/TF.js): rows and columns cut off each image's border,
// the inverse of ZeroPadding2D: its forward is zero padding's backward (the
// crop) and its backward is zero padding (dy placed back, zeros around it).

import type { ExplicitPadding } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { Layer, expectInputRank, singleShape, symShapeToString, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type SymShape } from './layer.js';
import { channelsLast, shown } from './args.js';

export interface Cropping2DArgs extends LayerArgs {
  /** n, [rows, cols] (symmetric) or [[top, bottom], [left, right]]. */
  cropping: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  dataFormat?: 'channelsLast';
}

export class Cropping2D extends Layer<null> {
  override readonly className = 'Cropping2D';
  readonly cropping: ExplicitPadding;

  constructor(args: Cropping2DArgs) {
    super(args, 'cropping2d');
    const where = `cropping2d '${this.name}'`;
    channelsLast(where, args?.dataFormat);
    const c = args?.cropping as unknown;
    const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
    const isPair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(isInt);
    let crops: [[number, number], [number, number]];
    if (isInt(c)) crops = [[c, c], [c, c]];
    else if (isPair(c)) crops = [[c[0], c[0]], [c[1], c[1]]];
    else if (Array.isArray(c) && c.length === 2 && isPair(c[0]) && isPair(c[1])) crops = [[c[0][0], c[0][1]], [c[1][0], c[1][1]]];
    else throw new Error(`${where}: cropping must be a non-negative integer n, [rows, cols] or [[top, bottom], [left, right]] of them, got ${shown(c)}`);
    this.cropping = crops;
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const [[t, b], [l, r]] = this.cropping;
    const keep = (d: number | null, cut: number, axis: string): number | null => {
      if (d === null) return null;
      if (d - cut < 1) {
        throw new Error(`${this.className} '${this.name}': cropping ${shown(this.cropping)} removes ${cut} of the ${d} ${axis} of the input ${symShapeToString(s)}; at least one must remain`);
      }
      return d - cut;
    };
    return [s[0], keep(s[1], t + b, 'rows'), keep(s[2], l + r, 'columns'), s[3]];
  }

  override forward(xs: Tensor[], _training: boolean): [Tensor, null] {
    const x = xs[0];
    this.computeOutputShape([null, x.shape[1], x.shape[2], x.shape[3]]);
    return [ops.zeroPad2dBackward(x, this.cropping), null];
  }

  // dx is dy with the cropped border put back as zeros
  override backward(dy: Tensor, _saved: null, opts: BackwardOptions): LayerGrads {
    return { dxs: [opts.needInputGrads ? ops.zeroPad2d(dy, this.cropping) : null], dWeights: [] };
  }

  protected override layerConfig(): LayerConfig {
    return { cropping: this.cropping.map((p) => [...p]), dataFormat: 'channelsLast' };
  }
}
