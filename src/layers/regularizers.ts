// Weight regularizers: penalty = l1 * sum|w| + l2 * sum w^2, added to the
// training loss; its gradient joins the weight's gradient. TF.js's defaults:
// l1() is {l1: 0.01, l2: 0}, l2() is {l1: 0, l2: 0.01}, l1l2() is 0.01 each.

import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import type { LayerConfig } from './types.js';
import { clipped, preview } from '../preview.js';

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

/** A name, a regularizer, or the {className, config} form model.json stores. */
export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2' | 'L1L2' | 'L1' | 'L2' | Regularizer | { className: string; config?: LayerConfig };

type Config = Readonly<Record<string, unknown>>;

/** A rate from a config: absent or null takes TF.js's default; anything else must be a non-negative number. */
function rate(config: Config, key: 'l1' | 'l2', where: string): number {
  const v = Object.hasOwn(config, key) ? config[key] : undefined;
  if (v === undefined || v === null) return 0.01;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}: ${key} must be a non-negative number, got ${preview(v)}`);
  return v;
}

/**
 * The class names model.json may store: TF.js's L1L2 (which its l1() and l2()
 * also make) and Keras's L1 and L2. An explicit table: no other name resolves.
 */
const byClassName: Record<string, (config: Config, where: string) => Regularizer> = {
  L1L2: (c, w) => new Regularizer(rate(c, 'l1', w), rate(c, 'l2', w)),
  L1: (c, w) => new Regularizer(rate(c, 'l1', w), 0),
  L2: (c, w) => new Regularizer(0, rate(c, 'l2', w)),
};

/** The string names the layer arguments take. */
const byName: Record<string, () => Regularizer> = { l1, l2, l1l2 };

const listNames = (table: Record<string, unknown>): string => Object.keys(table).map((k) => `'${k}'`).join(', ');


/** A regularizer from its {className, config} form; an unknown class is refused with the known ones listed. */
export function regularizerFromConfig(dict: unknown, where: string): Regularizer {
  const d = dict !== null && typeof dict === 'object' && !Array.isArray(dict) ? dict as Config : null;
  if (!d || typeof d.className !== 'string') throw new Error(`${where}: a regularizer config must be {className, config}, got ${preview(dict)}`);
  const make = Object.hasOwn(byClassName, d.className) ? byClassName[d.className] : undefined;
  if (!make) throw new Error(`${where}: unknown regularizer '${clipped(d.className)}'; expected one of ${listNames(byClassName)}`);
  const config = d.config === undefined || d.config === null ? {} : d.config;
  if (typeof config !== 'object' || Array.isArray(config)) throw new Error(`${where}: the config of regularizer '${d.className}' must be an object, got ${preview(config)}`);
  return make(config as Config, `${where} (regularizer ${d.className})`);
}

export function getRegularizer(id: RegularizerIdentifier | null | undefined, where: string): Regularizer | null {
  if (id === undefined || id === null) return null;
  if (id instanceof Regularizer) return id;
  if (typeof id === 'string') {
    if (Object.hasOwn(byName, id)) return byName[id]();
    if (Object.hasOwn(byClassName, id)) return byClassName[id]({}, where);
  } else if (typeof id === 'object' && !Array.isArray(id) && typeof (id as { className?: unknown }).className === 'string') {
    return regularizerFromConfig(id, where);
  }
  throw new Error(`${where}: unknown regularizer ${typeof id === 'string' ? `'${clipped(id)}'` : preview(id)}; expected one of ${listNames(byName)}, a class name (${listNames(byClassName)}) or wc.regularizers.l1l2({...})`);
}

export function serializeRegularizer(r: Regularizer | null): LayerConfig | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}
