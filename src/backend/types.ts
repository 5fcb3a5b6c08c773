// The backend contract: the one seam between the math and the hardware.
//
// Every op is a forward method followed by its backward method(s). The CPU
// backend (src/backend/cpu) is the plain-loop reference; the WebGPU backend
// (src/backend/webgpu) implements the very same interface with WGSL kernels,
// so any test can run an op on both and compare.
//
// Legend used across TS, WGSL and tests:
//   n h w c   batch, height, width, channels (NHWC, channels last)
//   kh kw     kernel height and width; cin cout: input and output channels
//   oh ow     output height and width
//
// Kernels receive validated inputs (src/ops checks shapes and names the op in
// its errors), take tensors of their own backend, and return new tensors,
// except the optimizer and moving-statistic updates, which write in place so
// weights never leave the device during training.

import type { Tensor } from '../tensor.js';

export type Shape = readonly number[];

export type BackendName = 'cpu' | 'webgpu';

/** [[top, bottom], [left, right]] zero padding, in input pixels. */
export type ExplicitPadding = readonly [readonly [number, number], readonly [number, number]];

/**
 * 'valid': no padding, out = floor((in - effectiveKernel) / stride) + 1.
 * 'same': TensorFlow's rule, out = ceil(in / stride), total pad =
 * max((out - 1) * stride + effectiveKernel - in, 0), top/left = floor(total / 2)
 * (the odd pixel goes bottom/right).
 */
export type Padding = 'valid' | 'same' | ExplicitPadding;

export interface Conv2dParams {
  strides: readonly [number, number];
  padding: Padding;
  dilations: readonly [number, number];
}

export interface Pool2dParams {
  poolSize: readonly [number, number];
  strides: readonly [number, number];
  padding: 'valid' | 'same';
}

/** Keras LocallyConnected2D (implementation 1): 'valid' padding only, as in Keras. */
export interface LocallyConnected2dParams {
  kernelSize: readonly [number, number];
  strides: readonly [number, number];
}

/**
 * The activation conv2d and matmul can apply in their epilogue, after the
 * bias, while the result is still in registers (TF.js's fused ops): no pass of
 * its own over the output. Other activations run as their own op.
 */
export type FusedActivation = 'linear' | 'relu';

/** Element-wise activations; softmax is its own op (it couples the last axis). */
export type ActivationKind = 'linear' | 'relu' | 'leakyRelu' | 'elu' | 'sigmoid' | 'tanh';

export type LossKind =
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError'
  | 'meanAbsoluteError'
  | 'meanAbsolutePercentageError'
  | 'meanSquaredLogarithmicError';

/** 'accuracy' is resolved to one of the three accuracies by the caller, as Keras does. */
export type MetricKind =
  | 'categoricalAccuracy'
  | 'sparseCategoricalAccuracy'
  | 'binaryAccuracy'
  | 'meanSquaredError'
  | 'meanAbsoluteError';

export interface BatchNormTrainResult {
  y: Tensor;
  /** Per-channel batch mean, shape [c]. */
  mean: Tensor;
  /** Per-channel biased batch variance, shape [c] (what TF.js feeds its moving average). */
  variance: Tensor;
  /** 1 / sqrt(variance + epsilon), shape [c]: what the backward needs. */
  invStd: Tensor;
}

export interface BatchNormGrads {
  dx: Tensor;
  dGamma: Tensor;
  dBeta: Tensor;
}

export interface SgdParams {
  learningRate: number;
}

/** TF.js MomentumOptimizer: accum = m*accum + g; w -= lr*(nesterov ? g + m*accum : accum). */
export interface MomentumParams {
  learningRate: number;
  momentum: number;
  nesterov: boolean;
}

/**
 * TF.js AdamOptimizer, plus decoupled weight decay for AdamW (Keras):
 * w -= lr*weightDecay*w; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
 * w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon).
 * beta1Power and beta2Power are b1^t and b2^t for this step t (1-based).
 */
export interface AdamParams {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  beta1Power: number;
  beta2Power: number;
}

/**
 * TF.js RMSPropOptimizer (epsilon inside the square root, as TF.js has it):
 * ms = rho*ms + (1-rho)*g^2; plain: denom = ms + epsilon;
 * centered: mg = rho*mg + (1-rho)*g, denom = ms - (mg^2 + epsilon) (TF.js subtracts epsilon here);
 * mom = momentum*mom + lr*g/sqrt(denom); w -= mom.
 */
export interface RmspropParams {
  learningRate: number;
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

/** What the device behind a backend is (WebGPU: the adapter). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** True for software adapters such as SwiftShader. */
  isFallbackAdapter: boolean;
  /** Invocations per subgroup, where the adapter has subgroups of one fixed size (SwiftShader: 4). */
  subgroupSize?: number;
}

/** A kernel variant picked for one shape by measuring (or loaded from the adapter's cache). */
export interface KernelChoice {
  kernel: string;
  /** The problem size it was picked for, e.g. '36864x8x25' (m x n x k of a GEMM). */
  shape: string;
  variant: string;
  /** Milliseconds per run of the chosen variant when measured. */
  ms: number;
  source: 'measured' | 'cached';
}

export interface Backend {
  readonly name: BackendName;
  /** The GPU adapter, on backends that have one. */
  readonly adapter?: AdapterInfo;

  // ---- memory -------------------------------------------------------------
  /** A new tensor holding a copy of values (values.length === product(shape)). */
  fromValues(values: Float32Array, shape: Shape): Tensor;
  zeros(shape: Shape): Tensor;
  /** A copy with its own storage (reshape shares storage; clone does not). */
  clone(x: Tensor): Tensor;
  /** Copies src's values into dst in place (same size): used to restore weights. */
  assign(dst: Tensor, src: Tensor): void;
  read(x: Tensor): Promise<Float32Array>;
  /** Synchronous read where the backend can (CPU); undefined where it cannot. */
  readSync?(x: Tensor): Float32Array;
  /** Frees the storage behind a tensor once no tensor refers to it (called by the engine). */
  releaseStorage(storage: unknown): void;
  /** Waits for all queued work (a no-op on the CPU). */
  sync(): Promise<void>;
  /** Starts the work recorded so far without waiting for it (WebGPU: submits); absent where work runs as it is called. */
  flush?(): void;
  /**
   * True once the device behind the backend is gone (WebGPU device loss): its
   * tensors can no longer be read or used, and setBackend makes a new backend.
   * Absent where a backend cannot be lost (the CPU).
   */
  isLost?(): boolean;
  /**
   * Measures kernel variants for the shapes recorded since the last call and
   * keeps the fastest (WebGPU's GEMM workgroup shapes); fit calls it after a
   * model's first step. Absent where there is nothing to tune.
   */
  autotune?(): Promise<void>;
  /** The variants autotune() picked, per shape. */
  kernelChoices?(): KernelChoice[];

  // ---- convolution: y[n,oh,ow,cout] = sum x[n,ih,iw,cin] * w[kh,kw,cin,cout] + b[cout]
  conv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation?: FusedActivation): Tensor;
  /**
   * im2col: the column matrix [n*oh*ow, kh*kw*cin] of x for a kernel of this
   * size (row = output pixel, columns in (ky, kx, cin) order, zeros in the
   * padding), so conv2d is columns . W[kh*kw*cin, cout] and its backward-filter
   * columns^T . dy. Training keeps it from the forward for the backward.
   */
  conv2dColumns(x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams): Tensor;
  /**
   * Whether training a conv of this shape should keep the column matrix (forward
   * and backward-filter as GEMMs on it) rather than call conv2d and
   * conv2dBackwardFilter, which on this backend skip it (WebGPU, cin % 4 != 0).
   * Absent: keep it.
   */
  convKeepsColumns?(xShape: Shape, wShape: Shape, p: Conv2dParams): boolean;
  /** dx = col2im(dy . W^T). */
  conv2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: Conv2dParams): Tensor;
  /** dW = im2col(x)^T . dy, shape [kh, kw, cin, cout]. */
  conv2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: Conv2dParams): Tensor;

  // ---- matrices: a [m,k] (or [k,m] when transposeA), b [k,n] (or [n,k]) -> [m,n]
  /** With a bias ([n]) and an activation, act(a . b + bias) in one pass. */
  matmul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias?: Tensor | null, activation?: FusedActivation): Tensor;
  /** y = x + b over the last axis. */
  biasAdd(x: Tensor, b: Tensor): Tensor;
  /** db = sum of dy over every axis but the last. */
  biasAddBackward(dy: Tensor): Tensor;

  // ---- pooling (global pools are pools whose window is the whole image)
  maxPool2d(x: Tensor, p: Pool2dParams): Tensor;
  /** Routes dy to the first maximum of each window (row-major scan), as TensorFlow does. */
  maxPool2dBackward(dy: Tensor, x: Tensor, p: Pool2dParams): Tensor;
  /** 'same' divides by the number of real (unpadded) pixels in the window, as TensorFlow does. */
  avgPool2d(x: Tensor, p: Pool2dParams): Tensor;
  avgPool2dBackward(dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor;

  // ---- activations
  activation(x: Tensor, kind: ActivationKind, alpha: number): Tensor;
  /** Gets both x and y = activation(x): relu/leakyRelu/elu read x, sigmoid/tanh read y. */
  activationBackward(dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): Tensor;
  /** Softmax over the last axis, max-subtracted for stability. */
  softmax(x: Tensor): Tensor;
  /** dx = y * (dy - sum(dy * y)) over the last axis. */
  softmaxBackward(dy: Tensor, y: Tensor): Tensor;

  // ---- batch normalization over n, h, w per channel (the last axis)
  batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): BatchNormTrainResult;
  batchNormInference(x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number): Tensor;
  /** Uses the mean and invStd that batchNormTrain saved. */
  batchNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): BatchNormGrads;
  /** In place: v = v - (v - value) * (1 - momentum), TF.js's moving-average update. */
  movingAverageUpdate(variable: Tensor, value: Tensor, momentum: number): void;

  // ---- dropout: keep element i when hash(seed, i) >= rate, scale kept by 1/(1-rate).
  // The mask is a pure function of (seed, i), so the backward recomputes it and
  // both backends draw the very same mask.
  dropout(x: Tensor, rate: number, seed: number): Tensor;
  dropoutBackward(dy: Tensor, rate: number, seed: number): Tensor;

  // ---- structure
  zeroPad2d(x: Tensor, pads: ExplicitPadding): Tensor;
  zeroPad2dBackward(dy: Tensor, pads: ExplicitPadding): Tensor;
  /** Element-wise a + b, same shapes (also how fanned-out gradients accumulate). */
  add(a: Tensor, b: Tensor): Tensor;
  /** y = x * s. */
  scale(x: Tensor, s: number): Tensor;
  /** Concatenation along the last axis. */
  concat(xs: readonly Tensor[]): Tensor;
  /** Splits dy along the last axis into pieces of the given sizes. */
  concatBackward(dy: Tensor, sizes: readonly number[]): Tensor[];
  /** Rows of x (first axis) at the given indices: batching without per-sample copies. */
  gatherRows(x: Tensor, indices: Int32Array): Tensor;

  // ---- locally connected: w [oh*ow, kh*kw*cin, cout], bias [oh, ow, cout] (Keras layout)
  locallyConnected2d(x: Tensor, w: Tensor, bias: Tensor | null, p: LocallyConnected2dParams): Tensor;
  locallyConnected2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: LocallyConnected2dParams): Tensor;
  locallyConnected2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: LocallyConnected2dParams): Tensor;

  // ---- losses: the batch mean of TF.js's per-sample loss, as a scalar (shape [])
  loss(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor;
  /** Gradient of loss(kind, yTrue, yPred) with respect to yPred. */
  lossBackward(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor;
  /**
   * Fused softmax + cross-entropy gradient with respect to the softmax's input,
   * given the softmax output probs: (probs * sum(t) - t) / batch. Stable for
   * large logits (no division by a tiny probability). sparse: yTrue holds class
   * indices, shape [batch] or [batch, 1].
   */
  softmaxCrossEntropyBackward(yTrue: Tensor, probs: Tensor, sparse: boolean): Tensor;
  /** The batch mean of a metric, as a scalar. */
  metric(kind: MetricKind, yTrue: Tensor, yPred: Tensor): Tensor;
  /**
   * How many values of labels are not class indices for `classes` classes
   * (integers in [0, classes); NaN and infinities are not), as a scalar: the
   * device-side check of sparse labels a kernel made (src/train/labels.ts).
   */
  sparseLabelCheck(labels: Tensor, classes: number): Tensor;

  // ---- regularization: penalty = l1 * sum|w| + l2 * sum w^2
  penalty(w: Tensor, l1: number, l2: number): Tensor;
  /**
   * l1 * d|w| + 2 * l2 * w, where d|w| is 1 for w > 0 and -1 otherwise: TF.js's
   * Abs gradient is step(x, -1), so an exactly-zero weight gets -l1, and matching
   * TF.js's weights after a training step means matching that too.
   */
  penaltyBackward(w: Tensor, l1: number, l2: number): Tensor;
  /** Sum of all elements, as a scalar. */
  sum(x: Tensor): Tensor;

  // ---- optimizer updates, in place on the weight and its slots
  sgdUpdate(w: Tensor, g: Tensor, p: SgdParams): void;
  momentumUpdate(w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams): void;
  adamUpdate(w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams): void;
  rmspropUpdate(w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams): void;
}
