// The backend contract: the one seam between the math and the hardware. A
// backend holds memory and runs kernels (src/kernels: one module per op, with
// its CPU reference and its WebGPU program), and adds device concerns (flush,
// loss, tuning). Kernels receive validated inputs (each kernel's check names
// the op in its errors) and tensors of their own backend, and return new
// tensors, except the optimizer and moving-statistic updates (in place).

import type { Tensor } from '../tensor.js';
import type { Kernel } from '../kernels/kernel.js';

export type Shape = readonly number[];

export type BackendName = 'cpu' | 'webgpu' | 'wasm';

// The kernels' parameter types. Names used across TS, WGSL and tests: n h w c
// batch, height, width, channels (NHWC, channels last); kh kw kernel height and
// width; cin cout input and output channels; oh ow output height and width.

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
export type FusedActivation = 'linear' | 'relu' | 'relu6';

/** Element-wise activations; softmax is its own op (it couples the last axis). */
export type ActivationKind = 'linear' | 'relu' | 'relu6' | 'leakyRelu' | 'elu' | 'sigmoid' | 'tanh';

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
  | 'meanAbsoluteError'
  | 'topKCategoricalAccuracy'
  | 'sparseTopKCategoricalAccuracy'
  | 'precision'
  | 'recall';

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

/** What the wasm backend runs with (backendInfo().wasm). */
export interface WasmBackendInfo {
  /** 128-bit WebAssembly SIMD (the kernels need it). */
  simd: boolean;
  /** Relaxed SIMD, where the engine has it: the GEMM's multiply-adds are fused (one rounding). */
  relaxedSimd: boolean;
  /** Threads the kernels run on (the calling thread included). */
  threads: number;
  /** Why threads is 1 although more were possible or asked for: what the engine or page lacks. */
  threadsReason?: string;
  /** Kernels without a wasm program: they run their CPU reference on copies of the values. */
  fallbackKernels: string[];
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
  /**
   * Resolves once the kernel variants a backend builds in the background are
   * built (WebGPU: the ones a first step ran without, not to wait for their
   * compile), so later calls run at full speed. Absent where nothing builds.
   */
  pipelinesBuilt?(): Promise<void>;
  /** The variants autotune() picked, per shape. */
  kernelChoices?(): KernelChoice[];
  /** The wasm backend: SIMD, threads, and the kernels that run their CPU reference. */
  info?(): WasmBackendInfo;

  // ---- kernels
  /**
   * Runs one kernel (src/kernels) on this backend's tensors with validated
   * arguments; verification mode and the profiler wrap this one method.
   */
  run<A extends readonly unknown[], R>(kernel: Kernel<A, R>, args: A): R;
}
