// Shape and element-wise layers without weights: Flatten, Reshape,
// Activation (and ReLU, LeakyReLU, ELU, Softmax), Dropout.

import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { Layer, singleShape, symShapeToString, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type SymShape } from './layer.js';
import { activate, activateBackward, getActivation, type ActivationName } from './activations.js';
import { nextSeed, seededRandom } from './initializers.js';
import { numberIn, shown } from './args.js';

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

export class ReLU extends ElementWise {
  override readonly className = 'ReLU';
  protected readonly fn = 'relu';
  protected readonly alpha = 0;
  constructor(args: LayerArgs & { maxValue?: number } = {}) {
    super(args, 're_lu');
    if (args.maxValue !== undefined) throw new Error(`reLU '${this.name}': maxValue is not supported (got ${args.maxValue})`);
  }
  protected override layerConfig(): LayerConfig {
    return { maxValue: null };
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
 * Softmax along one axis (default -1, the last), as TF.js's Softmax layer;
 * any axis works (the last runs the layers' softmax kernel, which fuses with
 * a following cross-entropy; others the strided softmaxAxis kernel).
 */
export class Softmax extends ElementWise {
  override readonly className = 'Softmax';
  protected readonly fn = 'softmax';
  protected readonly alpha = 0;
  readonly axis: number;
  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args, 'softmax');
    const a = args.axis ?? -1;
    if (typeof a !== 'number' || !Number.isInteger(a)) throw new Error(`softmax '${this.name}': axis must be an integer, got ${shown(a)}`);
    this.axis = a;
  }
  private axisOf(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) throw new Error(`softmax '${this.name}': axis ${this.axis} is out of range for an input of rank ${rank}`);
    return a;
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    this.axisOf(s.length);
    return s;
  }
  override forward(xs: Tensor[], training: boolean): [Tensor, ActSaved] {
    const x = xs[0];
    const a = this.axisOf(x.rank);
    if (a === x.rank - 1) return super.forward(xs, training);
    const y = ops.softmaxAxis(x, a, false);
    return [y, { x, y }];
  }
  override backward(dy: Tensor, saved: ActSaved, opts: BackwardOptions): LayerGrads {
    const a = this.axisOf(saved.x.rank);
    if (a === saved.x.rank - 1) return super.backward(dy, saved, opts);
    return passThrough(opts.needInputGrads ? ops.softmaxAxisBackward(dy, saved.y, a, false) : null);
  }
  /** A softmax over the last axis (-1, or the last by number at every call site) fuses with cross-entropy. */
  override endsWithSoftmax(): boolean {
    if (this.axis === -1) return true;
    return this.inboundNodes.length > 0 && this.inboundNodes.every((n) => n.inputs.length === 1 && n.inputs[0].rank - 1 === this.axis);
  }
  protected override layerConfig(): LayerConfig {
    return { axis: this.axis };
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
