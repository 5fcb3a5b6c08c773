// The CPU reference backend: plain, readable loops, the oracle every GPU kernel
// is checked against (in tests, and in verification mode in a user's browser).
// Each family of kernels lives in its own file; this class only routes.

import type {
  ActivationKind, AdamParams, Backend, BatchNormGrads, BatchNormTrainResult, Conv2dParams, FusedActivation,
  ExplicitPadding, LocallyConnected2dParams, LossKind, MetricKind, MomentumParams, Pool2dParams,
  RmspropParams, SgdParams, Shape,
} from '../types.js';
import type { Tensor } from '../../tensor.js';
import { cpuTensor, setCpuOwner, vals } from './storage.js';
import * as conv from './conv2d.js';
import * as mm from './matmul.js';
import * as pool from './pool2d.js';
import * as act from './activation.js';
import * as bn from './batchNorm.js';
import * as drop from './dropout.js';
import * as struct from './structure.js';
import * as lc from './locallyConnected2d.js';
import * as loss from './loss.js';
import * as opt from './optimizer.js';

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;

  constructor() {
    setCpuOwner(this);
  }

  // ---- memory
  fromValues(values: Float32Array, shape: Shape): Tensor { return cpuTensor(Float32Array.from(values), shape); }
  zeros(shape: Shape): Tensor { return cpuTensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape); }
  clone(x: Tensor): Tensor { return cpuTensor(Float32Array.from(vals(x)), x.shape); }
  assign(dst: Tensor, src: Tensor): void { vals(dst).set(vals(src)); }
  async read(x: Tensor): Promise<Float32Array> { return Float32Array.from(vals(x)); }
  readSync(x: Tensor): Float32Array { return Float32Array.from(vals(x)); }
  releaseStorage(): void { /* the garbage collector frees the array */ }
  async sync(): Promise<void> { /* nothing is queued on the CPU */ }

  // ---- convolution
  conv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation?: FusedActivation): Tensor { return conv.conv2d(x, w, bias, p, activation); }
  conv2dColumns(x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams): Tensor { return conv.conv2dColumns(x, kernelSize, p); }
  conv2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: Conv2dParams): Tensor { return conv.conv2dBackwardInput(dy, w, xShape, p); }
  conv2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: Conv2dParams): Tensor { return conv.conv2dBackwardFilter(x, dy, wShape, p); }

  // ---- matrices
  matmul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias?: Tensor | null, activation?: FusedActivation): Tensor {
    return mm.matmul(a, b, transposeA, transposeB, bias, activation);
  }
  biasAdd(x: Tensor, b: Tensor): Tensor { return mm.biasAdd(x, b); }
  biasAddBackward(dy: Tensor): Tensor { return mm.biasAddBackward(dy); }

  // ---- pooling
  maxPool2d(x: Tensor, p: Pool2dParams): Tensor { return pool.maxPool2d(x, p); }
  maxPool2dBackward(dy: Tensor, x: Tensor, p: Pool2dParams): Tensor { return pool.maxPool2dBackward(dy, x, p); }
  avgPool2d(x: Tensor, p: Pool2dParams): Tensor { return pool.avgPool2d(x, p); }
  avgPool2dBackward(dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor { return pool.avgPool2dBackward(dy, xShape, p); }

  // ---- activations
  activation(x: Tensor, kind: ActivationKind, alpha: number): Tensor { return act.activation(x, kind, alpha); }
  activationBackward(dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): Tensor { return act.activationBackward(dy, x, y, kind, alpha); }
  softmax(x: Tensor): Tensor { return act.softmax(x); }
  softmaxBackward(dy: Tensor, y: Tensor): Tensor { return act.softmaxBackward(dy, y); }

  // ---- batch normalization
  batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): BatchNormTrainResult { return bn.batchNormTrain(x, gamma, beta, epsilon); }
  batchNormInference(x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number): Tensor {
    return bn.batchNormInference(x, gamma, beta, movingMean, movingVariance, epsilon);
  }
  batchNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): BatchNormGrads { return bn.batchNormBackward(dy, x, gamma, mean, invStd); }
  movingAverageUpdate(variable: Tensor, value: Tensor, momentum: number): void { bn.movingAverageUpdate(variable, value, momentum); }

  // ---- dropout
  dropout(x: Tensor, rate: number, seed: number): Tensor { return drop.dropout(x, rate, seed); }
  dropoutBackward(dy: Tensor, rate: number, seed: number): Tensor { return drop.dropoutBackward(dy, rate, seed); }

  // ---- structure
  zeroPad2d(x: Tensor, pads: ExplicitPadding): Tensor { return struct.zeroPad2d(x, pads); }
  zeroPad2dBackward(dy: Tensor, pads: ExplicitPadding): Tensor { return struct.zeroPad2dBackward(dy, pads); }
  add(a: Tensor, b: Tensor): Tensor { return struct.add(a, b); }
  scale(x: Tensor, s: number): Tensor { return struct.scale(x, s); }
  concat(xs: readonly Tensor[]): Tensor { return struct.concat(xs); }
  concatBackward(dy: Tensor, sizes: readonly number[]): Tensor[] { return struct.concatBackward(dy, sizes); }
  gatherRows(x: Tensor, indices: Int32Array): Tensor { return struct.gatherRows(x, indices); }
  sum(x: Tensor): Tensor { return struct.sum(x); }

  // ---- locally connected
  locallyConnected2d(x: Tensor, w: Tensor, bias: Tensor | null, p: LocallyConnected2dParams): Tensor { return lc.locallyConnected2d(x, w, bias, p); }
  locallyConnected2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: LocallyConnected2dParams): Tensor { return lc.locallyConnected2dBackwardInput(dy, w, xShape, p); }
  locallyConnected2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: LocallyConnected2dParams): Tensor { return lc.locallyConnected2dBackwardFilter(x, dy, wShape, p); }

  // ---- losses, metrics, regularization
  loss(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor { return loss.loss(kind, yTrue, yPred); }
  lossBackward(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor { return loss.lossBackward(kind, yTrue, yPred); }
  softmaxCrossEntropyBackward(yTrue: Tensor, probs: Tensor, sparse: boolean): Tensor { return loss.softmaxCrossEntropyBackward(yTrue, probs, sparse); }
  metric(kind: MetricKind, yTrue: Tensor, yPred: Tensor): Tensor { return loss.metric(kind, yTrue, yPred); }
  sparseLabelCheck(labels: Tensor, classes: number): Tensor { return loss.sparseLabelCheck(labels, classes); }
  penalty(w: Tensor, l1: number, l2: number): Tensor { return loss.penalty(w, l1, l2); }
  penaltyBackward(w: Tensor, l1: number, l2: number): Tensor { return loss.penaltyBackward(w, l1, l2); }

  // ---- optimizers (in place)
  sgdUpdate(w: Tensor, g: Tensor, p: SgdParams): void { opt.sgdUpdate(w, g, p); }
  momentumUpdate(w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams): void { opt.momentumUpdate(w, g, accum, p); }
  adamUpdate(w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams): void { opt.adamUpdate(w, g, m, v, p); }
  rmspropUpdate(w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams): void { opt.rmspropUpdate(w, g, ms, mom, mg, p); }
}
