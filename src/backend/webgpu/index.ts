// The WebGPU backend: the same contract as the CPU reference, with WGSL kernels.
//
// HOW TO ADD A KERNEL FAMILY (pooling, batch norm, ...), one small step each:
//   1. shaders/<op>.wgsl: opens with a comment on what it computes and why;
//      sizes in a `Params` uniform at binding 0, inputs in contract order,
//      outputs last; workgroup size and variants as `override` constants;
//      1-D kernels index i = g.x + g.y * nwg.x * WG (see activation.wgsl).
//   2. src/backend/webgpu/<family>.ts: import the shader with `?raw`, export
//      `pipelines` (every PipelineSpec the family uses: prepareAll() and the
//      tests compile them all; a model compiles those it uses on first use) and one function per kernel taking the
//      GpuContext: ctx.output() for results, ctx.run1d()/ctx.run() to record.
//   3. Here: add the family's `pipelines` to ALL_PIPELINES and route the
//      method to the family's function in one line.
//   4. test/gpu/<family>.test.ts: run the kernel in the page (GpuPage.run),
//      the CPU backend on the same inputs in Node (cpuRun), and compare with
//      expectParity (the one tolerance); see softmax.test.ts for the shape.
// Verification mode (verify.ts) then covers the new kernel unchanged.

import type {
  ActivationKind, AdamParams, Backend, BatchNormGrads, BatchNormTrainResult, Conv2dParams,
  ExplicitPadding, FusedActivation, KernelChoice, LocallyConnected2dParams, LossKind, MetricKind, MomentumParams, Pool2dParams,
  RmspropParams, SgdParams, Shape,
} from '../types.js';
import { createTensor, sizeOf, type Tensor } from '../../tensor.js';
import type { BackendOptions } from '../../engine.js';
import type { GpuStorage } from './buffers.js';
import { GpuContext, buf } from './context.js';
import { createGpuDevice, type AdapterSummary, type GpuDevice } from './device.js';
import type { PipelineSpec } from './pipelines.js';
import { Verifier } from './verify.js';
import { loadChoices, saveChoices } from './tuneCache.js';
import { ALL_CONFIGS as ALL_GEMM_CONFIGS, DEFAULT_GEMM, configNamed, type ConvAlgorithm, type TuneProblem } from './kernelTuner.js';
import * as ew from './elementwise.js';
import * as sm from './softmax.js';
import * as mm from './matmul.js';
import * as conv from './conv2d.js';
import * as pool from './pool2d.js';
import * as bn from './batchNorm.js';
import * as struct from './structure.js';
import * as lc from './locallyConnected2d.js';
import * as loss from './loss.js';
import * as opt from './optimizer.js';

const ALL_PIPELINES: readonly PipelineSpec[] = [
  ...ew.pipelines, ...sm.pipelines, ...mm.pipelines, ...conv.pipelines, ...pool.pipelines,
  ...bn.pipelines, ...struct.pipelines, ...lc.pipelines, ...loss.pipelines, ...opt.pipelines,
];

/** Counters for tests: after warm-up a training step adds to none but submits/dispatches. */
export interface GpuStats {
  buffersCreated: number;
  stagingCreated: number;
  pipelines: number;
  pipelinesCreatedSync: number;
  submits: number;
  dispatches: number;
  /** Tensor buffers the pool holds (in use and free) and their bytes: flat after warm-up. */
  poolBuffers: number;
  poolBytes: number;
  /** Of those, the free ones, kept for reuse. */
  poolFreeBytes: number;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  readonly ctx: GpuContext;
  /** Which GEMM matmul and conv use: 'naive' is the oracle kernel (tests switch to it with useGemmVariant). */
  gemmVariant: mm.GemmVariant = 'blocked';

  /** Switches the GEMM behind matmul and conv, building the oracle's pipelines first when asked for it. */
  async useGemmVariant(variant: mm.GemmVariant): Promise<void> {
    if (variant === 'naive') await this.ctx.pipelines.prepare(mm.naivePipelines);
    this.gemmVariant = variant;
  }
  /**
   * Turns the GEMM's subgroup-shared loads on or off (tests and A/B timing:
   * both kernels must agree with the CPU); on only where the device has
   * subgroups of exactly 4 lanes.
   */
  useSharedLoads(on: boolean): void {
    if (on && !this.ctx.gpu.fourLaneSubgroups) {
      const size = this.ctx.gpu.adapter.subgroupSize;
      throw new Error('webgpu backend: shared GEMM loads need the subgroups feature with subgroups of exactly 4 lanes and ' +
        `WGSL's subgroup_id; this device has ${size === undefined ? 'no fixed subgroup size' : `subgroups of ${size}`}` +
        (size === 4 ? ' but not the subgroups feature or subgroup_id' : ''));
    }
    this.ctx.sharedLoads = on;
  }

  /** Set in verification mode: checks every kernel against the CPU reference. */
  readonly verifier: Verifier | null = null;

  private constructor(gpu: GpuDevice, verify: boolean, autotune: boolean, subgroups: boolean) {
    this.ctx = new GpuContext(gpu, this, autotune, subgroups);
    if (verify) this.verifier = new Verifier(this);
  }

  static async create(options: BackendOptions = {}): Promise<WebGpuBackend> {
    const gpu = await createGpuDevice(options.gpu, options.powerPreference);
    const autotune = options.autotune ?? true;
    const backend = new WebGpuBackend(gpu, options.verify ?? false, autotune, options.subgroups ?? true);
    // No pipeline is made here: each is compiled asynchronously on its first
    // use, in parallel with the others a step records (pipelines.ts), so a
    // model pays only for the kernels it runs.
    backend.ctx.tuner.adopt(autotune ? await loadChoices(backend.ctx.tuner.adapterKey) : []);
    // GEMM workgroups chosen earlier (this page or a stored one) run from the first step.
    backend.ctx.pipelines.prepareLater(backend.ctx.tuner.choices().flatMap((c) => {
      const cfg = c.kernel === 'gemm' ? configNamed(c.variant) : undefined;
      return cfg ? mm.gemmPipelines(backend.ctx, cfg) : [];
    }));
    gpu.throwIfFailed();
    return backend;
  }

  /**
   * Times the GEMM workgroup shapes for every matrix shape recorded since the
   * last call (after a model's first step: its real sizes) and keeps the
   * fastest; the choices are cached per adapter and shown by kernelChoices().
   */
  async autotune(): Promise<void> {
    const tuner = this.ctx.tuner;
    if (!tuner.hasPending) return;
    const problems = tuner.pendingProblems().map((p) => p.problem);
    await this.ctx.pipelines.prepare(problems.flatMap((p) => (p.kind === 'gemm' ? mm.gemmCandidatePipelines(this.ctx, p.shape) : [])));
    const made = await tuner.tune((p: TuneProblem, variant) => (p.kind === 'gemm'
      ? mm.timeGemm(this.ctx, p.shape, variant)
      : conv.timeConv2d(this.ctx, p.g, p.cout, variant)));
    if (made.length) await saveChoices(tuner.adapterKey, tuner.choices());
  }

  /** Creates every pipeline the backend can use (tests: every shader variant compiles on this adapter). */
  async prepareAll(): Promise<number> {
    // The GEMM and the direct conv as this device runs them by default (with shared loads where it can) as well as the plain ones.
    const all = [...ALL_PIPELINES, ...(this.ctx.sharedLoads ? [...mm.gemmPipelines(this.ctx, DEFAULT_GEMM), ...conv.sharedPipelines] : [])];
    await this.ctx.pipelines.prepare(all);
    return all.length;
  }

  /** Pins the GEMM's workgroup width (1, 2, 4, 8 or 16 columns of 8x4 blocks) so tests cover every variant; null unpins. */
  async pinGemmWorkgroup(wgX: number | null): Promise<void> {
    const cfg = wgX === null ? null : ALL_GEMM_CONFIGS.find((c) => c.wgX === wgX);
    if (cfg === undefined) throw new Error(`webgpu backend: no GEMM workgroup ${wgX} wide; expected one of ${ALL_GEMM_CONFIGS.map((c) => c.wgX).join(', ')}`);
    if (cfg) await this.ctx.pipelines.prepare(mm.gemmPipelines(this.ctx, cfg));
    this.ctx.tuner.forced = cfg;
  }

  /** Pins conv2d's forward algorithm (where it applies: cout % 4 == 0, not 1x1) so tests cover both; null unpins. */
  pinConvAlgorithm(algo: ConvAlgorithm | null): void {
    this.ctx.tuner.forcedConv = algo;
  }

  /** 'workgroup 8x8', plus ', subgroup-shared loads' where its lanes share loads of A on this device. */
  private gemmVariantName(workgroup: string): string {
    const cfg = configNamed(workgroup);
    return `workgroup ${workgroup}${cfg && mm.sharesLoads(this.ctx, cfg) ? ', subgroup-shared loads' : ''}`;
  }

  /** The kernel variant chosen per shape (GEMM workgroup shapes, conv algorithms), for backendInfo(). */
  kernelChoices(): KernelChoice[] {
    return this.ctx.tuner.choices().map((c) => ({
      kernel: c.kernel, shape: c.shape, variant: c.kernel === 'gemm' ? this.gemmVariantName(c.variant) : c.variant, ms: c.ms, source: c.source,
    }));
  }

  get adapter(): AdapterSummary {
    return this.ctx.gpu.adapter;
  }

  stats(): GpuStats {
    const { pool, pipelines, scheduler } = this.ctx;
    const held = pool.size();
    return {
      buffersCreated: pool.created, stagingCreated: scheduler.stagingCreated,
      pipelines: pipelines.size, pipelinesCreatedSync: pipelines.syncCreated,
      submits: scheduler.submits, dispatches: scheduler.dispatches,
      poolBuffers: held.buffers, poolBytes: held.bytes, poolFreeBytes: held.freeBytes,
    };
  }

  /** True once the device is lost: setBackend('webgpu') then makes a new backend. */
  isLost(): boolean {
    return this.ctx.gpu.lostError !== null;
  }

  // ---- memory
  fromValues(values: Float32Array, shape: Shape): Tensor {
    const t = this.ctx.output(shape, 'fromValues');
    this.ctx.scheduler.upload(buf(t), values);
    return t;
  }
  zeros(shape: Shape): Tensor {
    const t = this.ctx.output(shape, 'zeros');
    this.ctx.scheduler.clear(buf(t));
    return t;
  }
  clone(x: Tensor): Tensor {
    const t = this.ctx.output(x.shape, 'clone');
    this.ctx.scheduler.copy(buf(x), buf(t), 4 * x.size);
    return t;
  }
  assign(dst: Tensor, src: Tensor): void { this.ctx.scheduler.copy(buf(src), buf(dst), 4 * src.size); }
  async read(x: Tensor): Promise<Float32Array> {
    // Sync point: a pending verification failure is thrown before the values are returned.
    const values = await this.ctx.scheduler.read(buf(x), 4 * x.size, `read of ${4 * x.size} bytes`);
    await this.verifier?.check();
    return values;
  }
  releaseStorage(storage: unknown): void { this.ctx.release((storage as GpuStorage).buffer); }
  flush(): void {
    this.ctx.scheduler.flush();
  }

  async sync(): Promise<void> {
    await this.ctx.scheduler.sync();
    await this.verifier?.check();
  }
  /** Wraps an existing buffer (tests and verification use it to inject values). */
  wrap(buffer: GPUBuffer, shape: Shape): Tensor {
    return createTensor(this, { buffer, bytes: 4 * sizeOf(shape) } satisfies GpuStorage, shape, 4 * sizeOf(shape));
  }

  // ---- convolution
  conv2d(x: Tensor, w: Tensor, bias: Tensor | null, p: Conv2dParams, activation?: FusedActivation): Tensor {
    return conv.conv2d(this.ctx, this.gemmVariant, x, w, bias, p, activation);
  }
  conv2dColumns(x: Tensor, kernelSize: readonly [number, number], p: Conv2dParams): Tensor { return conv.conv2dColumns(this.ctx, x, kernelSize, p); }
  convKeepsColumns(xShape: Shape, wShape: Shape, p: Conv2dParams): boolean { return conv.keepsColumns(this.gemmVariant, xShape, wShape, p); }
  conv2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: Conv2dParams): Tensor { return conv.conv2dBackwardInput(this.ctx, this.gemmVariant, dy, w, xShape, p); }
  conv2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: Conv2dParams): Tensor { return conv.conv2dBackwardFilter(this.ctx, this.gemmVariant, x, dy, wShape, p); }

  // ---- matrices
  matmul(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean, bias?: Tensor | null, activation?: FusedActivation): Tensor {
    return mm.matmul(this.ctx, this.gemmVariant, a, b, transposeA, transposeB, bias, activation);
  }
  biasAdd(x: Tensor, b: Tensor): Tensor { return mm.biasAdd(this.ctx, x, b); }
  biasAddBackward(dy: Tensor): Tensor { return mm.biasAddBackward(this.ctx, dy); }

  // ---- pooling
  maxPool2d(x: Tensor, p: Pool2dParams): Tensor { return pool.maxPool2d(this.ctx, x, p); }
  maxPool2dBackward(dy: Tensor, x: Tensor, p: Pool2dParams): Tensor { return pool.maxPool2dBackward(this.ctx, dy, x, p); }
  avgPool2d(x: Tensor, p: Pool2dParams): Tensor { return pool.avgPool2d(this.ctx, x, p); }
  avgPool2dBackward(dy: Tensor, xShape: Shape, p: Pool2dParams): Tensor { return pool.avgPool2dBackward(this.ctx, dy, xShape, p); }

  // ---- activations
  activation(x: Tensor, kind: ActivationKind, alpha: number): Tensor { return ew.activation(this.ctx, x, kind, alpha); }
  activationBackward(dy: Tensor, x: Tensor, y: Tensor, kind: ActivationKind, alpha: number): Tensor { return ew.activationBackward(this.ctx, dy, x, y, kind, alpha); }
  softmax(x: Tensor): Tensor { return sm.softmax(this.ctx, x); }
  softmaxBackward(dy: Tensor, y: Tensor): Tensor { return sm.softmaxBackward(this.ctx, dy, y); }

  // ---- batch normalization
  batchNormTrain(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): BatchNormTrainResult { return bn.batchNormTrain(this.ctx, x, gamma, beta, epsilon); }
  batchNormInference(x: Tensor, gamma: Tensor, beta: Tensor, movingMean: Tensor, movingVariance: Tensor, epsilon: number): Tensor { return bn.batchNormInference(this.ctx, x, gamma, beta, movingMean, movingVariance, epsilon); }
  batchNormBackward(dy: Tensor, x: Tensor, gamma: Tensor, mean: Tensor, invStd: Tensor): BatchNormGrads { return bn.batchNormBackward(this.ctx, dy, x, gamma, mean, invStd); }
  movingAverageUpdate(variable: Tensor, value: Tensor, momentum: number): void { bn.movingAverageUpdate(this.ctx, variable, value, momentum); }

  // ---- dropout
  dropout(x: Tensor, rate: number, seed: number): Tensor { return bn.dropout(this.ctx, x, rate, seed, 'dropout'); }
  dropoutBackward(dy: Tensor, rate: number, seed: number): Tensor { return bn.dropout(this.ctx, dy, rate, seed, 'dropoutBackward'); }

  // ---- structure
  zeroPad2d(x: Tensor, pads: ExplicitPadding): Tensor { return struct.zeroPad2d(this.ctx, x, pads); }
  zeroPad2dBackward(dy: Tensor, pads: ExplicitPadding): Tensor { return struct.zeroPad2dBackward(this.ctx, dy, pads); }
  add(a: Tensor, b: Tensor): Tensor { return ew.add(this.ctx, a, b); }
  scale(x: Tensor, s: number): Tensor { return ew.scale(this.ctx, x, s); }
  concat(xs: readonly Tensor[]): Tensor { return struct.concat(this.ctx, xs); }
  concatBackward(dy: Tensor, sizes: readonly number[]): Tensor[] { return struct.concatBackward(this.ctx, dy, sizes); }
  gatherRows(x: Tensor, indices: Int32Array): Tensor { return struct.gatherRows(this.ctx, x, indices); }
  sum(x: Tensor): Tensor { return struct.sum(this.ctx, x); }

  // ---- locally connected
  locallyConnected2d(x: Tensor, w: Tensor, bias: Tensor | null, p: LocallyConnected2dParams): Tensor { return lc.locallyConnected2d(this.ctx, x, w, bias, p); }
  locallyConnected2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: LocallyConnected2dParams): Tensor { return lc.locallyConnected2dBackwardInput(this.ctx, dy, w, xShape, p); }
  locallyConnected2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: LocallyConnected2dParams): Tensor { return lc.locallyConnected2dBackwardFilter(this.ctx, x, dy, wShape, p); }

  // ---- losses, metrics, regularization
  loss(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor { return loss.loss(this.ctx, kind, yTrue, yPred); }
  lossBackward(kind: LossKind, yTrue: Tensor, yPred: Tensor): Tensor { return loss.lossBackward(this.ctx, kind, yTrue, yPred); }
  softmaxCrossEntropyBackward(yTrue: Tensor, probs: Tensor, sparse: boolean): Tensor { return loss.softmaxCrossEntropyBackward(this.ctx, yTrue, probs, sparse); }
  metric(kind: MetricKind, yTrue: Tensor, yPred: Tensor): Tensor { return loss.metric(this.ctx, kind, yTrue, yPred); }
  sparseLabelCheck(labels: Tensor, classes: number): Tensor { return loss.sparseLabelCheck(this.ctx, labels, classes); }
  penalty(w: Tensor, l1: number, l2: number): Tensor { return loss.penalty(this.ctx, w, l1, l2); }
  penaltyBackward(w: Tensor, l1: number, l2: number): Tensor { return loss.penaltyBackward(this.ctx, w, l1, l2); }

  // ---- optimizers (in place)
  sgdUpdate(w: Tensor, g: Tensor, p: SgdParams): void { opt.sgdUpdate(this.ctx, w, g, p); }
  momentumUpdate(w: Tensor, g: Tensor, accum: Tensor, p: MomentumParams): void { opt.momentumUpdate(this.ctx, w, g, accum, p); }
  adamUpdate(w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams): void { opt.adamUpdate(this.ctx, w, g, m, v, p); }
  rmspropUpdate(w: Tensor, g: Tensor, ms: Tensor, mom: Tensor, mg: Tensor | null, p: RmspropParams): void { opt.rmspropUpdate(this.ctx, w, g, ms, mom, mg, p); }
}
