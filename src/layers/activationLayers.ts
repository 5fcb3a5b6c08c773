// Issue 20's normalization and activation layers: LocalResponseNormalization
// (AlexNet's; TF.js has the op, no layer), PReLU and ThresholdedReLU (as
// Keras and TF.js define them), and Maxout (TensorFlow Addons' Maxout).

import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { greater, mul, prelu } from '../kernels/elementwise/ops.js';
import {
  Layer, expectInputRank, singleShape, symShapeToString, type BackwardOptions, type CallArgs, type LayerArgs, type LayerConfig,
  type LayerGrads, type LayerVariable, type SymShape,
} from './layer.js';
import { getInitializer, serializeInitializer, zeros, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { positiveInt, shown } from './args.js';
import { checkLrnParams, type LrnParams } from '../kernels/lrn/index.js';

function finiteNumber(where: string, what: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: ${what} must be a finite number, got ${shown(v)}`);
  return v;
}

// ---- LocalResponseNormalization -------------------------------------------------

export interface LocalResponseNormalizationArgs extends LayerArgs {
  /** Half the window of channels: d - depthRadius ... d + depthRadius (default 5, as tf.localResponseNormalization). */
  depthRadius?: number;
  /** Default 1. */
  bias?: number;
  /** Default 1. */
  alpha?: number;
  /** Default 0.5. */
  beta?: number;
}

/**
 * Local response normalization over the channels of NHWC images, exactly
 * tf.localResponseNormalization(x, depthRadius, bias, alpha, beta) with its
 * defaults (5, 1, 1, 0.5). TF.js and Keras have no such layer: this one is
 * webcnn's, saved as class 'LocalResponseNormalization' with config
 * {depthRadius, bias, alpha, beta} (snake_case in model.json). AlexNet's
 * (Krizhevsky et al. 2012: k = 2, n = 5, alpha = 1e-4, beta = 0.75) is
 * {depthRadius: 2, bias: 2, alpha: 1e-4, beta: 0.75}.
 */
export class LocalResponseNormalization extends Layer<Tensor> {
  override readonly className = 'LocalResponseNormalization';
  readonly depthRadius: number;
  readonly bias: number;
  readonly alpha: number;
  readonly beta: number;
  constructor(args: LocalResponseNormalizationArgs = {}) {
    super(args, 'local_response_normalization');
    const where = `localResponseNormalization '${this.name}'`;
    const d = args.depthRadius ?? 5;
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) throw new Error(`${where}: depthRadius must be a non-negative integer, got ${shown(d)}`);
    this.depthRadius = d;
    this.bias = finiteNumber(where, 'bias', args.bias, 1);
    this.alpha = finiteNumber(where, 'alpha', args.alpha, 1);
    this.beta = finiteNumber(where, 'beta', args.beta, 0.5);
    checkLrnParams(where, this.params);
  }
  private get params(): LrnParams {
    return { depthRadius: this.depthRadius, bias: this.bias, alpha: this.alpha, beta: this.beta };
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    expectInputRank(this, s, 4, 'NHWC images');
    return s;
  }
  override forward(xs: Tensor[], _training: boolean): [Tensor, Tensor] {
    const x = xs[0];
    return [ops.lrn(x, this.params), x];
  }
  override backward(dy: Tensor, x: Tensor, opts: BackwardOptions): LayerGrads {
    return { dxs: [opts.needInputGrads ? ops.lrnBackward(dy, x, this.params) : null], dWeights: [] };
  }
  protected override layerConfig(): LayerConfig {
    return { depthRadius: this.depthRadius, bias: this.bias, alpha: this.alpha, beta: this.beta };
  }
}

// ---- PReLU ------------------------------------------------------------------------

export interface PReLUArgs extends LayerArgs {
  /** Default 'zeros', as Keras and TF.js. */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier | null;
  /** Not supported (null only). */
  alphaConstraint?: null;
  /** Axes (of the input, the batch axis being 0) along which one alpha is shared, e.g. [1, 2] for one per channel of images. */
  sharedAxes?: number | readonly number[] | null;
}

/**
 * Parametric ReLU as Keras's and TF.js's PReLU: y = x for x >= 0, alpha * x
 * below, alpha a learned weight of the input's shape without the batch axis
 * (size 1 along sharedAxes). Its gradient comes from wc.prelu's.
 */
export class PReLU extends Layer {
  override readonly className = 'PReLU';
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly sharedAxes: number[] | null;
  alpha: LayerVariable | null = null;
  constructor(args: PReLUArgs = {}) {
    super(args, 'p_re_lu');
    const where = `prelu '${this.name}'`;
    this.alphaInitializer = getInitializer(args.alphaInitializer, zeros, where);
    this.alphaRegularizer = getRegularizer(args.alphaRegularizer, where);
    const s = args.sharedAxes;
    if (s === undefined || s === null) this.sharedAxes = null;
    else {
      const list: unknown[] = typeof s === 'number' ? [s] : Array.isArray(s) ? [...s] : [null];
      if (list.some((a) => typeof a !== 'number' || !Number.isInteger(a) || a < 1)) {
        throw new Error(`${where}: sharedAxes must be an axis or a list of axes >= 1 (axis 0 is the batch), got ${shown(s)}`);
      }
      this.sharedAxes = list as number[];
    }
  }
  private paramShape(s: SymShape): number[] {
    const where = `prelu '${this.name}'`;
    const shape = s.slice(1);
    for (const a of this.sharedAxes ?? []) {
      if (a >= s.length) throw new Error(`${where}: sharedAxes ${shown(this.sharedAxes)} names axis ${a}, but the input ${symShapeToString(s)} has rank ${s.length}`);
      shape[a - 1] = 1;
    }
    if (shape.some((d) => d === null)) {
      throw new Error(`${where}: the input's non-batch axes must be known (or shared), got shape ${symShapeToString(s)}`);
    }
    return shape as number[];
  }
  protected override buildWeights(shapes: SymShape[]): void {
    const s = singleShape(this, shapes);
    this.alpha = this.createWeight('alpha', this.paramShape(s), this.alphaInitializer, true, this.alphaRegularizer);
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    const shape = this.paramShape(s);
    const a = this.alpha?.shape;
    if (a && (a.length !== shape.length || a.some((d, i) => d !== shape[i]))) {
      throw new Error(`prelu '${this.name}': built for inputs whose alpha has shape [${a.join(',')}], got an input of shape ${symShapeToString(s)}`);
    }
    return s;
  }
  override call(inputs: Tensor | Tensor[], _kwargs: CallArgs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return prelu(x, this.alpha!.value);
  }
  protected override layerConfig(): LayerConfig {
    return {
      alphaInitializer: serializeInitializer(this.alphaInitializer), alphaRegularizer: serializeRegularizer(this.alphaRegularizer),
      alphaConstraint: null, sharedAxes: this.sharedAxes ? [...this.sharedAxes] : null,
    };
  }
}

// ---- ThresholdedReLU ------------------------------------------------------------

/** y = x where x > theta, else 0 (theta default 1), as Keras's and TF.js's ThresholdedReLU. */
export class ThresholdedReLU extends Layer {
  override readonly className = 'ThresholdedReLU';
  readonly theta: number;
  constructor(args: LayerArgs & { theta?: number } = {}) {
    super(args, 'thresholded_re_lu');
    this.theta = finiteNumber(`thresholdedReLU '${this.name}'`, 'theta', args.theta, 1);
  }
  override call(inputs: Tensor | Tensor[], _kwargs: CallArgs): Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return mul(x, greater(x, this.theta));
  }
  protected override layerConfig(): LayerConfig {
    return { theta: this.theta };
  }
}

// ---- Maxout -----------------------------------------------------------------------

export interface MaxoutArgs extends LayerArgs {
  /** How many maxima the axis is split into; must divide the axis. */
  numUnits: number;
  /** The axis split into units (default -1, the last); not the batch axis. */
  axis?: number;
}

/**
 * TensorFlow Addons' Maxout(num_units, axis=-1): the axis (C features) seen
 * as [C / numUnits, numUnits], the first reduced by max: unit u is the maximum
 * of features u, u + numUnits, u + 2 numUnits, ... (features are interleaved
 * across units, not in contiguous blocks). The gradient goes to the first
 * maximum (TensorFlow's reduce_max splits it among ties). Saved as class
 * 'Maxout' with config {numUnits, axis}.
 */
export class Maxout extends Layer<Tensor> {
  override readonly className = 'Maxout';
  readonly numUnits: number;
  readonly axis: number;
  constructor(args: MaxoutArgs) {
    super(args, 'maxout');
    const where = `maxout '${this.name}'`;
    if (args === undefined || args.numUnits === undefined) throw new Error(`${where}: numUnits is required (a positive integer)`);
    this.numUnits = positiveInt(where, 'numUnits', args.numUnits);
    const a = args.axis ?? -1;
    if (typeof a !== 'number' || !Number.isInteger(a)) throw new Error(`${where}: axis must be an integer, got ${shown(a)}`);
    this.axis = a;
  }
  private axisOf(rank: number): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 1 || a >= rank) {
      throw new Error(`maxout '${this.name}': axis ${this.axis} must name a non-batch axis of the rank-${rank} input (1 ... ${rank - 1} or -1 ... -${rank - 1})`);
    }
    return a;
  }
  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    const s = singleShape(this, inputShape);
    const a = this.axisOf(s.length);
    const c = s[a];
    if (c === null || c % this.numUnits !== 0) {
      throw new Error(`maxout '${this.name}': the number of features (${c === null ? 'unknown' : c}, axis ${a} of ${symShapeToString(s)}) must be a multiple of numUnits (${this.numUnits})`);
    }
    return s.map((d, i) => (i === a ? this.numUnits : d));
  }
  override forward(xs: Tensor[], _training: boolean): [Tensor, Tensor] {
    const x = xs[0];
    return [ops.maxout(x, this.numUnits, this.axisOf(x.rank)), x];
  }
  override backward(dy: Tensor, x: Tensor, opts: BackwardOptions): LayerGrads {
    return { dxs: [opts.needInputGrads ? ops.maxoutBackward(dy, x, this.numUnits, this.axisOf(x.rank)) : null], dWeights: [] };
  }
  protected override layerConfig(): LayerConfig {
    return { numUnits: this.numUnits, axis: this.axis };
  }
}
