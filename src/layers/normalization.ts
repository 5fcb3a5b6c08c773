// BatchNormalization over every axis but the last (channels), as TF.js:
// training normalizes with the batch statistics and moves movingMean and
// movingVariance toward them (v -= (v - batch) * (1 - momentum), with the
// biased batch variance); inference normalizes with the moving statistics.

import type { Tensor } from '../tensor.js';
import { keep } from '../tensor.js';
import { backend } from '../engine.js';
import * as ops from '../ops/index.js';
import { Layer, singleShape, symShapeToString, type BackwardOptions, type LayerArgs, type LayerConfig, type LayerGrads, type LayerVariable, type SymShape } from './layer.js';
import { getInitializer, ones, serializeInitializer, zeros, type Initializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, serializeRegularizer, type Regularizer, type RegularizerIdentifier } from './regularizers.js';
import { numberIn } from './args.js';
import { movingAverage } from './movingUpdates.js';

export interface BatchNormalizationArgs extends LayerArgs {
  axis?: number;
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
}

/** Training saves what batchNormBackward needs; inference saves nothing it can differentiate. */
/** Training: the batch statistics the backward needs; inference: the input (the moving statistics are the layer's). */
type Saved = { x: Tensor; mean: Tensor; invStd: Tensor } | { x: Tensor; inference: true };

export class BatchNormalization extends Layer<Saved> {
  override readonly className = 'BatchNormalization';
  /** Only the last axis is supported; Keras files often say 3 for NHWC, checked at build. */
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', Initializer>;
  private readonly betaRegularizer: Regularizer | null;
  private readonly gammaRegularizer: Regularizer | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  movingMean: LayerVariable | null = null;
  movingVariance: LayerVariable | null = null;
  /** Constant ones/zeros standing in for gamma/beta when scale/center is off. */
  private fixed: { gamma: Tensor | null; beta: Tensor | null } = { gamma: null, beta: null };

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'batch_normalization');
    const where = `batchNormalization '${this.name}'`;
    this.axis = args.axis ?? -1;
    this.momentum = numberIn(where, 'momentum', args.momentum, 0.99, 0, 1);
    this.epsilon = numberIn(where, 'epsilon', args.epsilon, 1e-3, 0, Infinity);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      beta: getInitializer(args.betaInitializer, zeros, where),
      gamma: getInitializer(args.gammaInitializer, ones, where),
      movingMean: getInitializer(args.movingMeanInitializer, zeros, where),
      movingVariance: getInitializer(args.movingVarianceInitializer, ones, where),
    };
    this.betaRegularizer = getRegularizer(args.betaRegularizer, where);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, where);
  }

  protected override buildWeights(shapes: SymShape[]): void {
    const s = singleShape(this, shapes);
    const c = s[s.length - 1];
    if (s.length < 2 || c === null) throw new Error(`batchNormalization '${this.name}': expected an input of rank >= 2 with known channels, got ${symShapeToString(s)}`);
    if (this.axis !== -1 && this.axis !== s.length - 1) {
      throw new Error(`batchNormalization '${this.name}': only the last axis (-1 or ${s.length - 1}) is supported, got axis ${this.axis}`);
    }
    // TF.js's creation order: gamma, beta, moving_mean, moving_variance
    if (this.scale) this.gamma = this.createWeight('gamma', [c], this.inits.gamma, true, this.gammaRegularizer);
    else this.fixed.gamma = keep(backend().fromValues(new Float32Array(c).fill(1), [c]));
    if (this.center) this.beta = this.createWeight('beta', [c], this.inits.beta, true, this.betaRegularizer);
    else this.fixed.beta = keep(backend().zeros([c]));
    this.movingMean = this.createWeight('moving_mean', [c], this.inits.movingMean, false);
    this.movingVariance = this.createWeight('moving_variance', [c], this.inits.movingVariance, false);
  }

  override computeOutputShape(inputShape: SymShape | SymShape[]): SymShape {
    return singleShape(this, inputShape);
  }

  private gammaValue(): Tensor {
    return this.gamma?.value ?? this.constant('gamma');
  }
  private betaValue(): Tensor {
    return this.beta?.value ?? this.constant('beta');
  }

  /**
   * The constant standing in for gamma or beta, on the backend of the weights:
   * after restoreCheckpoint() moved them to a new device, the old constant's
   * device may be gone, so it is made again there.
   */
  private constant(which: 'gamma' | 'beta'): Tensor {
    const t = this.fixed[which]!;
    const home = this.movingMean!.value.backend;
    if (t.backend === home) return t;
    t.dispose();
    const c = t.size;
    return (this.fixed[which] = keep(home.fromValues(new Float32Array(c).fill(which === 'gamma' ? 1 : 0), [c])));
  }

  /**
   * The kernel and bias of a conv whose output is this layer's inference
   * output: with s = gamma / sqrt(movingVariance + epsilon) per channel (the
   * kernel's last axis), kernel * s and (bias - movingMean) * s + beta. Both
   * are batchNormInference itself, run on the weights instead of the activations.
   */
  foldInto(kernel: Tensor, bias: Tensor | null): { kernel: Tensor; bias: Tensor } {
    const c = kernel.shape[kernel.rank - 1];
    const zeros = this.movingMean!.value.backend.zeros([c]);
    const gamma = this.gammaValue();
    const variance = this.movingVariance!.value;
    return {
      // beta and mean 0: kernel * s
      kernel: ops.batchNormInference(kernel, gamma, zeros, zeros, variance, this.epsilon),
      bias: ops.batchNormInference((bias ?? zeros).reshape([1, c]), gamma, this.betaValue(), this.movingMean!.value, variance, this.epsilon).reshape([c]),
    };
  }

  // x [..., c] -> y [..., c]
  override forward(xs: Tensor[], training: boolean): [Tensor, Saved] {
    const x = xs[0];
    // A frozen layer (trainable = false) runs in inference mode in training too, as Keras's: a frozen
    // base normalizes with the statistics it was trained with and leaves them as they are.
    if (!training || !this.trainable) {
      const y = ops.batchNormInference(x, this.gammaValue(), this.betaValue(), this.movingMean!.value, this.movingVariance!.value, this.epsilon);
      return [y, { x, inference: true }];
    }
    const r = ops.batchNormTrain(x, this.gammaValue(), this.betaValue(), this.epsilon);
    // the moving statistics follow the batch ones, in place on the device (held back while a training step guards them)
    movingAverage(this.movingMean!.value, r.mean, this.momentum);
    movingAverage(this.movingVariance!.value, r.variance, this.momentum);
    return [r.y, { x, mean: r.mean, invStd: r.invStd }];
  }

  override backward(dy: Tensor, saved: Saved, opts: BackwardOptions): LayerGrads {
    if ('inference' in saved) return this.inferenceBackward(dy, saved.x, opts);
    const g = ops.batchNormBackward(dy, saved.x, this.gammaValue(), saved.mean, saved.invStd);
    const dWeights: [LayerVariable, Tensor][] = [];
    if (this.gamma?.trainable) dWeights.push([this.gamma, g.dGamma]);
    if (this.beta?.trainable) dWeights.push([this.beta, g.dBeta]);
    return { dxs: [opts.needInputGrads ? g.dx : null], dWeights };
  }

  /**
   * The gradient of the inference forward (a frozen layer inside a gradient
   * call): the moving statistics are constants, so with s = gamma /
   * sqrt(movingVariance + epsilon), dx = dy * s, which is batchNormInference
   * of dy with mean and beta 0; dBeta = sum(dy), dGamma = sum(dy * xHat).
   */
  private inferenceBackward(dy: Tensor, x: Tensor, opts: BackwardOptions): LayerGrads {
    const c = x.shape[x.rank - 1];
    const zeros = dy.backend.zeros([c]);
    const variance = this.movingVariance!.value;
    const dWeights: [LayerVariable, Tensor][] = [];
    if (this.gamma?.trainable) {
      const ones = dy.backend.fromValues(new Float32Array(c).fill(1), [c]);
      const xHat = ops.batchNormInference(x, ones, zeros, this.movingMean!.value, variance, this.epsilon);
      dWeights.push([this.gamma, ops.biasAddBackward(ops.mul(dy, xHat))]);
    }
    if (this.beta?.trainable) dWeights.push([this.beta, ops.biasAddBackward(dy)]);
    const dx = opts.needInputGrads ? ops.batchNormInference(dy, this.gammaValue(), zeros, zeros, variance, this.epsilon) : null;
    return { dxs: [dx], dWeights };
  }

  override dispose(): void {
    super.dispose();
    this.fixed.gamma?.dispose();
    this.fixed.beta?.dispose();
  }

  protected override layerConfig(): LayerConfig {
    return {
      axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale,
      betaInitializer: serializeInitializer(this.inits.beta), gammaInitializer: serializeInitializer(this.inits.gamma),
      movingMeanInitializer: serializeInitializer(this.inits.movingMean), movingVarianceInitializer: serializeInitializer(this.inits.movingVariance),
      betaRegularizer: serializeRegularizer(this.betaRegularizer), gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
      betaConstraint: null, gammaConstraint: null,
    };
  }
}
