// Shape and element-wise layers without weights: Flatten, Reshape,
// Activation (and ReLU, LeakyReLU, ELU, Softmax), Dropout.

import { tidy, type Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { logSumExp, sum } from '../kernels/reduce/ops.js';
import { Layer, singleShape, symShapeToString, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type SymShape } from './layer.js';
import { activate, activateBackward, getActivation, type ActivationName } from './activations.js';
import { nextSeed, seededRandom } from './initializers.js';
import { numberIn, shown } from './args.js';
import { exp, greaterEqual, minimum, mul, sub, where } from '../kernels/elementwise/ops.js';
import { zerosLike } from '../creation.js';
import { backwardByTape, forwardByTape, type TapeSaved } from './tapeLayer.js';

const passThrough = (dx: Tensor | null): LayerGrads => ({ dxs: [dx], dWeights: [] });

/** Flatten: [n, ...] -> [n, product of the rest] (a view, no copy). */
export class Flatten extends Layer<readonly number[]> {
  override readonly className = 'Flatten';
  constructor(args: LayerArgs = {}) {
    super(args, 'flatten');
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    if (s.length < 2 || s.slice(1).some((d) => d === null)) {
      throw new Error(`flatten '${this.name}': expected an input of rank >= 2 with known non-batch axes, got shape ${symShapeToString(s)}`);
    }
    return [s[0], (s.slice(1) as number[]).reduce((a, b) => a * b, 1)];
  }
  override forward(xs: Tensor[], _training: boolean): [Tensor, readonly number[]] {
    const x = xs[0];
    return [x.reshape([x.shape[0], -1]), x.shape];
  }
  override backward(dy: Tensor, xShape: readonly number[], opts: BackwardOptions): LayerGrads {
    return passThrough(opts.needInputGrads ? dy.reshape(xShape) : null);
  }
  protected override layerConfig(): LayerConfig {
    return { dataFormat: 'channelsLast' };
  }
}

/** Reshape to targetShape (per sample; one -1 is inferred). */
export class Reshape extends Layer<readonly number[]> {
  override readonly className = 'Reshape';
  readonly targetShape: number[];
  constructor(args: LayerArgs & { targetShape: readonly number[] }) {
    super(args, 'reshape');
    const ts = args.targetShape;
    if (!Array.isArray(ts) || ts.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)) || ts.filter((d) => d === -1).length > 1) {
      throw new Error(`reshape '${this.name}': targetShape must be positive integers with at most one -1, got ${shown(ts)}`);
    }
    this.targetShape = [...ts];
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    const size = (s.slice(1) as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.reduce((a, b) => (b === -1 ? a : a * b), 1);
    const out = this.targetShape.map((d) => (d === -1 ? size / known : d));
    if (out.some((d) => !Number.isInteger(d)) || out.reduce((a, b) => a * b, 1) !== size) {
      throw new Error(`reshape '${this.name}': cannot reshape input of shape ${symShapeToString(s)} to targetShape ${shown(this.targetShape)}`);
    }
    return [s[0], ...out];
  }
  override forward(xs: Tensor[], _training: boolean): [Tensor, readonly number[]] {
    const x = xs[0];
    return [x.reshape([x.shape[0], ...this.targetShape]), x.shape];
  }
  override backward(dy: Tensor, xShape: readonly number[], opts: BackwardOptions): LayerGrads {
    return passThrough(opts.needInputGrads ? dy.reshape(xShape) : null);
  }
  protected override layerConfig(): LayerConfig {
    return { targetShape: [...this.targetShape] };
  }
}

interface ActSaved { x: Tensor; y: Tensor }

/** y = f(x) element-wise (softmax over the last axis); the subclasses fix f and alpha. */
abstract class ElementWise extends Layer<ActSaved> {
  protected abstract readonly fn: ActivationName;
  protected abstract readonly alpha: number;
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    return singleShape(this, inputShape);
  }
  override forward(xs: Tensor[], _training: boolean): [Tensor, ActSaved] {
    const x = xs[0];
    const y = activate(x, this.fn, this.alpha);
    return [y, { x, y }];
  }
  override backward(dy: Tensor, { x, y }: ActSaved, opts: BackwardOptions): LayerGrads {
    return passThrough(opts.needInputGrads ? activateBackward(dy, x, y, this.fn, opts.dyIsLogitGrad, this.alpha) : null);
  }
  override endsWithSoftmax(): boolean {
    return this.fn === 'softmax';
  }
  /** The function this layer applies ('relu', 'tanh', ...). */
  get activationName(): ActivationName {
    return this.fn;
  }
}

export class Activation extends ElementWise {
  override readonly className = 'Activation';
  protected readonly fn: ActivationName;
  protected readonly alpha: number;
  constructor(args: LayerArgs & { activation: ActivationName }) {
    super(args, 'activation');
    this.fn = getActivation(args.activation, `activation '${this.name}'`);
    this.alpha = this.fn === 'leakyRelu' ? 0.2 : this.fn === 'elu' ? 1 : 0;
  }
  protected override layerConfig(): LayerConfig {
    return { activation: this.fn };
  }
}

export interface ReLUArgs extends LayerArgs {
  /** The ceiling (6 makes relu6, as MobileNet's); null or absent: none. */
  maxValue?: number | null;
  /** Keras's: below it the output is negativeSlope · (x - threshold) (default 0). */
  threshold?: number;
  /** Keras's slope below the threshold (default 0). */
  negativeSlope?: number;
}

/**
 * Keras's and TF.js's ReLU layer: min(x, maxValue) from the threshold up,
 * negativeSlope · (x - threshold) below. Plain relu and relu6 run as one
 * activation kernel; other settings run as call() in the differentiable ops.
 */
export class ReLU extends ElementWise {
  override readonly className = 'ReLU';
  protected readonly fn: ActivationName;
  protected readonly alpha = 0;
  readonly maxValue: number | null;
  readonly threshold: number;
  readonly negativeSlope: number;
  constructor(args: ReLUArgs = {}) {
    super(args, 're_lu');
    const where = `reLU '${this.name}'`;
    this.maxValue = args.maxValue === undefined || args.maxValue === null ? null : numberIn(where, 'maxValue', args.maxValue, 0, 0, Infinity);
    this.threshold = numberIn(where, 'threshold', args.threshold, 0, -Infinity, Infinity);
    this.negativeSlope = numberIn(where, 'negativeSlope', args.negativeSlope, 0, 0, Infinity);
    const plain = this.threshold === 0 && this.negativeSlope === 0;
    this.fn = plain && this.maxValue === null ? 'relu' : plain && this.maxValue === 6 ? 'relu6' : 'linear';
  }
  /** Whether a kernel computes it (relu, relu6), or call()'s ops. */
  private get byKernel(): boolean {
    return this.fn !== 'linear';
  }
  override get differentiatesItself(): boolean {
    return !this.byKernel;
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const below = this.negativeSlope === 0 ? zerosLike(x) : mul(sub(x, this.threshold), this.negativeSlope);
    const y = where(greaterEqual(x, this.threshold), x, below);
    return this.maxValue === null ? y : minimum(y, this.maxValue);
  }
  override forward(xs: Tensor[], training: boolean): [Tensor, ActSaved] {
    return this.byKernel ? super.forward(xs, training) : forwardByTape(this, xs, training) as unknown as [Tensor, ActSaved];
  }
  override backward(dy: Tensor, saved: ActSaved, opts: BackwardOptions): LayerGrads {
    return this.byKernel ? super.backward(dy, saved, opts) : backwardByTape(this, dy, saved as unknown as TapeSaved, opts);
  }
  protected override layerConfig(): LayerConfig {
    // TF.js's ReLU config holds maxValue; Keras's two others only where set
    const config: LayerConfig = { maxValue: this.maxValue };
    if (this.threshold !== 0) config.threshold = this.threshold;
    if (this.negativeSlope !== 0) config.negativeSlope = this.negativeSlope;
    return config;
  }
}

export class LeakyReLU extends ElementWise {
  override readonly className = 'LeakyReLU';
  protected readonly fn = 'leakyRelu';
  protected readonly alpha: number;
  constructor(args: LayerArgs & { alpha?: number } = {}) {
    super(args, 'leaky_re_lu');
    this.alpha = numberIn(`leakyReLU '${this.name}'`, 'alpha', args.alpha, 0.3, -Infinity, Infinity);
  }
  protected override layerConfig(): LayerConfig {
    return { alpha: this.alpha };
  }
}

export class ELU extends ElementWise {
  override readonly className = 'ELU';
  protected readonly fn = 'elu';
  protected readonly alpha: number;
  constructor(args: LayerArgs & { alpha?: number } = {}) {
    super(args, 'elu');
    this.alpha = numberIn(`elu '${this.name}'`, 'alpha', args.alpha, 1, -Infinity, Infinity);
  }
  protected override layerConfig(): LayerConfig {
    return { alpha: this.alpha };
  }
}

/**
 * Softmax along an axis (default -1, the last, as Keras; TF.js's default 1 is
 * the same for rows), or several axes together (a list, as TF.js and Keras 3:
 * exp(x - logSumExp(x, axes))). Any axis works: the last runs the layers'
 * softmax kernel, which fuses with a following cross-entropy; another the
 * strided softmaxAxis kernel; several, reductions.
 */
export class Softmax extends ElementWise {
  override readonly className = 'Softmax';
  protected readonly fn = 'softmax';
  protected readonly alpha = 0;
  readonly axis: number | number[];
  constructor(args: LayerArgs & { axis?: number | readonly number[] } = {}) {
    super(args, 'softmax');
    const a = args.axis ?? -1;
    const ok = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
    if (Array.isArray(a) ? a.length === 0 || !a.every(ok) : !ok(a)) {
      throw new Error(`softmax '${this.name}': axis must be an integer or a non-empty list of integers, got ${shown(a)}`);
    }
    this.axis = Array.isArray(a) ? [...a] : a as number;
  }
  /** The axes, non-negative and sorted, for an input of this rank. */
  private axesOf(rank: number): number[] {
    const given = Array.isArray(this.axis) ? this.axis : [this.axis];
    const axes = given.map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 0 || a >= rank) || new Set(axes).size !== axes.length) {
      throw new Error(`softmax '${this.name}': axis ${shown(this.axis)} is out of range (or repeats an axis) for an input of rank ${rank}`);
    }
    return axes.sort((p, q) => p - q);
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    this.axesOf(s.length);
    return s;
  }
  override forward(xs: Tensor[], training: boolean): [Tensor, ActSaved] {
    const x = xs[0];
    const axes = this.axesOf(x.rank);
    if (axes.length === 1 && axes[0] === x.rank - 1) return super.forward(xs, training);
    const y = axes.length === 1 ? ops.softmaxAxis(x, axes[0], false) : tidy(() => exp(sub(x, logSumExp(x, axes, true))));
    return [y, { x, y }];
  }
  override backward(dy: Tensor, saved: ActSaved, opts: BackwardOptions): LayerGrads {
    const axes = this.axesOf(saved.x.rank);
    if (axes.length === 1 && axes[0] === saved.x.rank - 1) return super.backward(dy, saved, opts);
    if (!opts.needInputGrads) return passThrough(null);
    const { y } = saved;
    // dx = y * (dy - sum(dy * y over the axes))
    return passThrough(axes.length === 1 ? ops.softmaxAxisBackward(dy, y, axes[0], false) : tidy(() => mul(y, sub(dy, sum(mul(dy, y), axes, true)))));
  }
  /** A softmax over the last axis (-1, or the last by number at every call site) fuses with cross-entropy. */
  override endsWithSoftmax(): boolean {
    if (this.axis === -1) return true;
    const a = this.axis;
    return typeof a === 'number' && this.inboundNodes.length > 0
      && this.inboundNodes.every((n) => n.inputs.length === 1 && n.inputs[0].rank - 1 === a);
  }
  protected override layerConfig(): LayerConfig {
    return { axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}

/**
 * Dropout, in training only. Each training call draws a fresh mask seed from
 * the layer's own seeded generator: masks differ from step to step, yet a
 * run with the same seed repeats exactly. The backward recomputes the mask.
 */
export class Dropout extends Layer<number | null> {
  override readonly className = 'Dropout';
  readonly rate: number;
  readonly seed: number | null;
  private readonly seeds: () => number;
  constructor(args: LayerArgs & { rate: number; seed?: number; noiseShape?: null }) {
    super(args, 'dropout');
    if (args.rate === undefined) throw new Error(`dropout '${this.name}': rate is required (a number in [0, 1))`);
    this.rate = numberIn(`dropout '${this.name}'`, 'rate', args.rate, 0, 0, 1, true);
    this.seed = args.seed ?? null;
    this.seeds = seededRandom(args.seed ?? nextSeed());
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    return singleShape(this, inputShape);
  }
  override forward(xs: Tensor[], training: boolean): [Tensor, number | null] {
    const x = xs[0];
    if (!training || this.rate === 0) return [x, null];
    const seed = Math.floor(this.seeds() * 4294967296);
    return [ops.dropout(x, this.rate, seed), seed];
  }
  override backward(dy: Tensor, seed: number | null, opts: BackwardOptions): LayerGrads {
    if (!opts.needInputGrads) return passThrough(null);
    return passThrough(seed === null ? dy : ops.dropoutBackward(dy, this.rate, seed));
  }
  protected override layerConfig(): LayerConfig {
    return { rate: this.rate, noiseShape: null, seed: this.seed };
  }
}
