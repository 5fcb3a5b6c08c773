// Merge layers: Add (element-wise sum of same-shape inputs) and Concatenate
// (along the last axis).

import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { Layer, symShapeToString, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type SymShape } from './layer.js';

function shapeList(layer: Layer, s: SymShape | SymShape[]): SymShape[] {
  const list = (s.length > 0 && Array.isArray(s[0]) ? s : [s]) as SymShape[];
  if (list.length < 2) throw new Error(`${layer.className} '${layer.name}': expects a list of at least 2 inputs, got ${list.length}`);
  return list;
}

export class Add extends Layer<number> {
  override readonly className = 'Add';
  constructor(args: LayerArgs = {}) {
    super(args, 'add');
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const list = shapeList(this, inputShape);
    const first = list[0];
    for (const s of list) {
      if (s.length !== first.length || s.some((d, i) => i > 0 && d !== first[i])) {
        throw new Error(`add '${this.name}': all inputs must have the same shape, got ${list.map(symShapeToString).join(', ')}`);
      }
    }
    return first;
  }
  // y = x0 + x1 + ...
  override forward(xs: Tensor[], _training: boolean): [Tensor, number] {
    let y = ops.add(xs[0], xs[1]);
    for (let i = 2; i < xs.length; i++) y = ops.add(y, xs[i]);
    return [y, xs.length];
  }
  // every input receives dy unchanged
  override backward(dy: Tensor, count: number, opts: BackwardOptions): LayerGrads {
    return { dxs: Array.from({ length: count }, () => (opts.needInputGrads ? dy : null)), dWeights: [] };
  }
  protected override layerConfig(): LayerConfig {
    return {};
  }
}

export class Concatenate extends Layer<number[]> {
  override readonly className = 'Concatenate';
  /** Only the last axis is supported; Keras files often say 3 for NHWC, checked against the inputs. */
  readonly axis: number;
  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args, 'concatenate');
    this.axis = args.axis ?? -1;
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const list = shapeList(this, inputShape);
    const first = list[0];
    if (this.axis !== -1 && this.axis !== first.length - 1) {
      throw new Error(`concatenate '${this.name}': only the last axis (-1 or ${first.length - 1}) is supported, got axis ${this.axis}`);
    }
    for (const s of list) {
      if (s.length !== first.length || s.some((d, i) => i > 0 && i < s.length - 1 && d !== first[i]) || s[s.length - 1] === null) {
        throw new Error(`concatenate '${this.name}': inputs must match on every axis but the last, got ${list.map(symShapeToString).join(', ')}`);
      }
    }
    const last = list.reduce((a, s) => a + (s[s.length - 1] as number), 0);
    return [...first.slice(0, -1), last];
  }
  // y = [x0 | x1 | ...] along the last axis
  override forward(xs: Tensor[], _training: boolean): [Tensor, number[]] {
    return [ops.concat(xs), xs.map((x) => x.shape[x.rank - 1])];
  }
  // dy splits back into the inputs' channel ranges
  override backward(dy: Tensor, sizes: number[], opts: BackwardOptions): LayerGrads {
    if (!opts.needInputGrads) return { dxs: sizes.map(() => null), dWeights: [] };
    return { dxs: ops.concatBackward(dy, sizes), dWeights: [] };
  }
  protected override layerConfig(): LayerConfig {
    return { axis: this.axis };
  }
}
