// Optimizers, with TF.js's defaults and update rules. Every update runs
// through an in-place backend kernel, so weights and slots stay on the
// device; slots (accumulators) are created on a weight's first update.

import type { Tensor } from '../tensor.js';
import { keep } from '../tensor.js';
import * as ops from '../ops/index.js';
import type { LayerConfig } from '../layers/layer.js';
import { Tensor as TensorClass } from '../tensor.js';
import { variableGrads, type VariableLike } from '../autodiff/gradients.js';
import { trainableNamed } from '../autodiff/trainables.js';
import { describeValue } from '../tensorLike.js';
import { numberIn } from '../layers/args.js';
import { tensor } from '../engine.js';

/** A tensor with its name, as TF.js's NamedTensor. */
export interface NamedTensor { name: string; tensor: Tensor }

/** An optimizer's step count and how many weights had slots, at a point (Optimizer.mark). */
interface OptimizerMark { readonly iterations: number; readonly slots: number }

/** What an optimizer updates in place: a layer's weight, or a wc.variable (through its adapter). */
export interface OptimizerTarget {
  readonly name: string;
  readonly value: Tensor;
  readonly shape: readonly number[];
}

export abstract class Optimizer {
  abstract readonly className: string;
  /** Steps taken (applyGradients calls): Adam's bias correction counts these, as TF.js does. */
  iterations = 0;
  private readonly slots = new Map<OptimizerTarget, { names: readonly string[]; tensors: Tensor[] }>();
  private rate = 0;

  /**
   * The step size the next update uses. Settable between steps (a schedule:
   * wc.callbacks.learningRateScheduler); the kernels take it as a uniform, so
   * a change costs nothing and keeps the slots.
   */
  get learningRate(): number {
    return this.rate;
  }
  set learningRate(v: number) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`${this.className}: learningRate must be a finite number >= 0, got ${String(v)}`);
    }
    this.rate = v;
  }

  /**
   * One step over every (weight, gradient) pair: fit's update of a model's
   * weights. With a guard (a training step's, src/train/guard.ts) the kernels
   * skip their work on the device once it is set; `iterations` still counts
   * the step, and fit puts it back when it reads the guard.
   */
  applyUpdates(grads: Iterable<readonly [OptimizerTarget, Tensor]>, guard: Tensor | null = null): void {
    this.iterations++;
    for (const [v, g] of grads) this.update(v, g, guard);
  }

  /**
   * TF.js's applyGradients: one step for each named variable (wc.variable, or
   * a layer's weight) by its gradient, given as { name: gradient } or
   * [{ name, tensor }] (what variableGrads returns).
   */
  applyGradients(variableGradients: Readonly<Record<string, Tensor>> | readonly NamedTensor[]): void {
    const where = `${this.className}.applyGradients`;
    const entries: [string, unknown][] = Array.isArray(variableGradients)
      ? variableGradients.map((e: unknown) => {
        if (!e || typeof e !== 'object' || typeof (e as NamedTensor).name !== 'string') throw new Error(`${where}: expected { name, tensor } entries, got ${describeValue(e)}`);
        return [(e as NamedTensor).name, (e as NamedTensor).tensor];
      })
      : variableGradients && typeof variableGradients === 'object'
        ? Object.entries(variableGradients)
        : (() => { throw new Error(`${where}: expected a map of variable names to gradients, got ${describeValue(variableGradients)}`); })();
    const pairs = entries.map(([name, g]): [OptimizerTarget, Tensor] => {
      const v = trainableNamed(name);
      if (!v) throw new Error(`${where}: no variable or layer weight named '${name}' (make it with wc.variable, and keep it undisposed)`);
      if (!(g instanceof TensorClass)) throw new Error(`${where}: the gradient of '${name}' is ${describeValue(g)}, not a Tensor`);
      g.assertUsable(where);
      if (g.rank !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
        throw new Error(`${where}: variable '${name}' has shape [${v.shape.join(', ')}], its gradient [${g.shape.join(', ')}]`);
      }
      return [v, g];
    });
    this.applyUpdates(pairs);
  }

  /**
   * TF.js's minimize: differentiates f (a function returning a scalar loss)
   * with respect to the trainable variables and layer weights it uses (or
   * varList), applies one step
   * and disposes the gradients; returns the loss if returnCost, else null.
   */
  minimize(f: () => Tensor, returnCost = false, varList?: readonly VariableLike[]): Tensor | null {
    const { value, grads } = variableGrads(f, varList);
    try {
      this.applyGradients(grads);
    } finally {
      for (const g of Object.values(grads)) g.dispose();
    }
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  protected abstract update(v: OptimizerTarget, g: Tensor, guard: Tensor | null): void;

  /** The step count and slot count now: what rewind() goes back to. */
  mark(): OptimizerMark {
    return { iterations: this.iterations, slots: this.slots.size };
  }

  /**
   * Back to a mark, after steps whose updates a guard skipped on the device
   * (fit's NaN guard): the step count, and the slots made since, which no
   * applied update touched, disposed.
   */
  rewind(mark: OptimizerMark): void {
    this.iterations = mark.iterations;
    [...this.slots.entries()].slice(mark.slots).forEach(([v, s]) => {
      for (const t of s.tensors) t.dispose();
      this.slots.delete(v);
    });
  }

  /** The weight's slots, zero-filled on first use; `names` are TF.js's slot names ('m', 'v', ...). */
  protected slotsFor(v: OptimizerTarget, names: readonly string[]): Tensor[] {
    let s = this.slots.get(v);
    if (!s) {
      s = { names, tensors: names.map(() => keep(v.value.backend.zeros(v.shape))) };
      this.slots.set(v, s);
    }
    return s.tensors;
  }

  /**
   * The optimizer's state as TF.js's optimizer.getWeights() lists it: 'iter'
   * (the step count, a new scalar tensor the caller owns), then every slot
   * variable, named `<weight>/<slot>` (the live tensors, not copies).
   */
  async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [{ name: 'iter', tensor: tensor([this.iterations], []) }];
    for (const [v, s] of this.slots) s.tensors.forEach((t, i) => out.push({ name: `${v.name}/${s.names[i]}`, tensor: t }));
    return out;
  }

  abstract getConfig(): LayerConfig;

  dispose(): void {
    for (const s of this.slots.values()) for (const t of s.tensors) t.dispose();
    this.slots.clear();
  }
}

const where = (name: string) => `optimizers.${name}`;

/** momentum 0: w -= lr * g; else TF.js's MomentumOptimizer (optionally Nesterov). */
export class SGD extends Optimizer {
  readonly className: string;
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(args: { learningRate?: number; momentum?: number; nesterov?: boolean } = {}) {
    super();
    this.learningRate = numberIn(where('sgd'), 'learningRate', args.learningRate, 0.01, 0, Infinity);
    this.momentum = numberIn(where('sgd'), 'momentum', args.momentum, 0, 0, Infinity);
    this.nesterov = args.nesterov ?? false;
    this.className = this.momentum === 0 ? 'SGD' : 'Momentum';
  }
  protected update(v: OptimizerTarget, g: Tensor, guard: Tensor | null): void {
    if (this.momentum === 0) return ops.sgdUpdate(v.value, g, { learningRate: this.learningRate }, guard);
    const [accum] = this.slotsFor(v, ['momentum']);
    ops.momentumUpdate(v.value, g, accum, { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov }, guard);
  }
  getConfig(): LayerConfig {
    return this.momentum === 0
      ? { learningRate: this.learningRate }
      : { learningRate: this.learningRate, momentum: this.momentum, useNesterov: this.nesterov };
  }
}

export interface AdamArgs { learningRate?: number; beta1?: number; beta2?: number; epsilon?: number }

/** Adam; AdamW adds Keras's decoupled weight decay (w -= lr * weightDecay * w). */
export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  constructor(args: AdamArgs & { weightDecay?: number } = {}, name = 'adam') {
    super();
    this.learningRate = numberIn(where(name), 'learningRate', args.learningRate, 0.001, 0, Infinity);
    this.beta1 = numberIn(where(name), 'beta1', args.beta1, 0.9, 0, 1, true);
    this.beta2 = numberIn(where(name), 'beta2', args.beta2, 0.999, 0, 1, true);
    this.epsilon = numberIn(where(name), 'epsilon', args.epsilon, 1e-7, 0, Infinity);
    this.weightDecay = numberIn(where(name), 'weightDecay', args.weightDecay, 0, 0, Infinity);
  }
  protected update(v: OptimizerTarget, g: Tensor, guard: Tensor | null): void {
    const [m, s] = this.slotsFor(v, ['m', 'v']);
    const t = this.iterations;
    ops.adamUpdate(v.value, g, m, s, {
      learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon,
      weightDecay: this.weightDecay, beta1Power: this.beta1 ** t, beta2Power: this.beta2 ** t,
    }, guard);
  }
  getConfig(): LayerConfig {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

export class AdamW extends Adam {
  override readonly className = 'AdamW';
  constructor(args: AdamArgs & { weightDecay?: number } = {}) {
    super({ ...args, weightDecay: args.weightDecay ?? 0.004 }, 'adamW');
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}

/** TF.js RMSProp: epsilon inside the square root; centered subtracts the mean gradient squared. */
export class RMSProp extends Optimizer {
  readonly className = 'RMSProp';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  constructor(args: { learningRate?: number; rho?: number; decay?: number; momentum?: number; epsilon?: number; centered?: boolean } = {}) {
    super();
    this.learningRate = numberIn(where('rmsprop'), 'learningRate', args.learningRate, 0.001, 0, Infinity);
    this.rho = numberIn(where('rmsprop'), 'rho', args.rho ?? args.decay, 0.9, 0, 1);
    this.momentum = numberIn(where('rmsprop'), 'momentum', args.momentum, 0, 0, Infinity);
    this.epsilon = numberIn(where('rmsprop'), 'epsilon', args.epsilon, 1e-7, 0, Infinity);
    this.centered = args.centered ?? false;
  }
  protected update(v: OptimizerTarget, g: Tensor, guard: Tensor | null): void {
    const slots = this.slotsFor(v, this.centered ? ['rms', 'momentum', 'mg'] : ['rms', 'momentum']);
    ops.rmspropUpdate(v.value, g, slots[0], slots[1], this.centered ? slots[2] : null, {
      learningRate: this.learningRate, rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered,
    }, guard);
  }
  getConfig(): LayerConfig {
    return { learningRate: this.learningRate, decay: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

export const sgd = (args: { learningRate?: number; momentum?: number; nesterov?: boolean } = {}): SGD => new SGD(args);
/** TF.js's tf.train.momentum(learningRate, momentum, useNesterov). */
export const momentum = (args: { learningRate?: number; momentum?: number; useNesterov?: boolean } = {}): SGD =>
  new SGD({ learningRate: args.learningRate, momentum: args.momentum ?? 0.9, nesterov: args.useNesterov });
export const adam = (args: AdamArgs = {}): Adam => new Adam(args);
export const adamW = (args: AdamArgs & { weightDecay?: number } = {}): AdamW => new AdamW(args);
export const rmsprop = (args: { learningRate?: number; rho?: number; decay?: number; momentum?: number; epsilon?: number; centered?: boolean } = {}): RMSProp => new RMSProp(args);

/** String names, as TF.js's compile() maps them, with TF.js's default learning rates. */
const byName: Record<string, () => Optimizer> = {
  sgd: () => sgd({ learningRate: 0.01 }),
  adam: () => adam({ learningRate: 0.001 }),
  adamw: () => adamW({ learningRate: 0.001 }),
  rmsprop: () => rmsprop({ learningRate: 0.001 }),
};

export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'adamW' | 'rmsprop' | 'SGD' | 'Adam' | 'AdamW' | 'RMSProp';

export function getOptimizer(id: OptimizerName | Optimizer | undefined, where: string): Optimizer {
  if (id instanceof Optimizer) return id;
  const make = typeof id === 'string' && Object.hasOwn(byName, id.toLowerCase()) ? byName[id.toLowerCase()] : undefined;
  if (!make) {
    throw new Error(`${where}: unknown optimizer ${JSON.stringify(id)}; expected one of 'sgd', 'adam', 'adamw', 'rmsprop' or a wc.optimizers.* object`);
  }
  return make();
}
