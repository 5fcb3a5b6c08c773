// ZeroPadding2D: zero rows/columns around each image.

import type { ExplicitPadding } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { Layer, expectInputRank, singleShape, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type SymShape } from './layer.js';
import { channelsLast, shown } from './args.js';

export interface ZeroPadding2DArgs extends LayerArgs {
  /** n, [rows, cols] or [[top, bottom], [left, right]]; default 1. */
  padding?: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  dataFormat?: 'channelsLast';
}

export class ZeroPadding2D extends Layer<null> {
  override readonly className = 'ZeroPadding2D';
  readonly padding: ExplicitPadding;
  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'zero_padding2d');
    const where = `zeroPadding2d '${this.name}'`;
    channelsLast(where, args.dataFormat);
    const p = args.padding ?? 1;
    let pads: [[number, number], [number, number]];
    if (typeof p === 'number') pads = [[p, p], [p, p]];
    else if (p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'number') pads = [[p[0], p[0]], [p[1], p[1]]];
    else if (p.length === 2 && Array.isArray(p[0]) && Array.isArray(p[1])) pads = [[p[0][0], p[0][1]], [p[1][0], p[1][1]]];
    else throw new Error(`${where}: padding must be n, [rows, cols] or [[top, bottom], [left, right]], got ${shown(p)}`);
    if (pads.flat().some((v) => !Number.isInteger(v) || v < 0)) {
      throw new Error(`${where}: padding must hold non-negative integers, got ${shown(p)}`);
    }
    this.padding = pads;
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, '[batch, height, width, channels]');
    const [[t, b], [l, r]] = this.padding;
    return [s[0], (s[1] as number) + t + b, (s[2] as number) + l + r, s[3]];
  }
  override forward(xs: Tensor[], _training: boolean): [Tensor, null] {
    return [ops.zeroPad2d(xs[0], this.padding), null];
  }
  // dx is dy with the padded border cropped off
  override backward(dy: Tensor, _saved: null, opts: BackwardOptions): LayerGrads {
    return { dxs: [opts.needInputGrads ? ops.zeroPad2dBackward(dy, this.padding) : null], dWeights: [] };
  }
  protected override layerConfig(): LayerConfig {
    return { padding: this.padding.map((p) => [...p]), dataFormat: 'channelsLast' };
  }
}
