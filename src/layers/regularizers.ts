// Weight regularizers: penalty = l1 * sum|w| + l2 * sum w^2, added to the
// training loss; its gradient joins the weight's gradient. TF.js's defaults:
// l1() is {l1: 0.01, l2: 0}, l2() is {l1: 0, l2: 0.01}, l1l2() is 0.01 each.

import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import type { LayerConfig } from './layer.js';

export class Regularizer {
  readonly className = 'L1L2';
  constructor(readonly l1: number, readonly l2: number) {
    for (const [k, v] of [['l1', l1], ['l2', l2]] as const) {
      if (!Number.isFinite(v) || v < 0) throw new Error(`regularizers: ${k} must be a non-negative number, got ${v}`);
    }
  }
  /** The scalar penalty for one weight. */
  penalty(w: Tensor): Tensor {
    return ops.penalty(w, this.l1, this.l2);
  }
  /** d penalty / d w. */
  penaltyBackward(w: Tensor): Tensor {
    return ops.penaltyBackward(w, this.l1, this.l2);
  }
  getConfig(): LayerConfig {
    return { l1: this.l1, l2: this.l2 };
  }
}

export const l1 = (args: { l1?: number } = {}): Regularizer => new Regularizer(args.l1 ?? 0.01, 0);
export const l2 = (args: { l2?: number } = {}): Regularizer => new Regularizer(0, args.l2 ?? 0.01);
export const l1l2 = (args: { l1?: number; l2?: number } = {}): Regularizer => new Regularizer(args.l1 ?? 0.01, args.l2 ?? 0.01);

export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2' | Regularizer;

export function getRegularizer(id: RegularizerIdentifier | null | undefined, where: string): Regularizer | null {
  if (id === undefined || id === null) return null;
  if (id instanceof Regularizer) return id;
  if (id === 'l1') return l1();
  if (id === 'l2') return l2();
  if (id === 'l1l2') return l1l2();
  throw new Error(`${where}: unknown regularizer ${typeof id === 'string' ? `'${id}'` : JSON.stringify(id) ?? String(id)}; expected 'l1', 'l2', 'l1l2' or wc.regularizers.l1l2({...})`);
}

export function serializeRegularizer(r: Regularizer | null): LayerConfig | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}
