// The WebGPU backend: memory on GPU buffers, kernels recorded into the
// scheduler's command list (src/kernels/*/webgpu.ts hold the programs), the
// GEMM autotuner and verification mode. docs/CONTRIBUTING.md shows how an op
// is added.

import type { Backend, KernelChoice, Shape } from '../types.js';
import type { Kernel } from '../../kernels/kernel.js';
import { createTensor, sizeOf, type Tensor } from '../../tensor.js';
import type { BackendOptions } from '../../engine.js';
import type { GpuStorage } from './buffers.js';
import { GpuContext, buf, type GemmVariant } from './context.js';
import { createGpuDevice, type AdapterSummary, type GpuDevice } from './device.js';
import { Verifier } from './verify.js';
import { loadChoices, saveChoices } from './tuneCache.js';
import { ALL_CONFIGS as ALL_GEMM_CONFIGS, DEFAULT_GEMM, TILED_GEMM, configNamed, type ConvAlgorithm, type TuneProblem } from './kernelTuner.js';
import type { GpuPrograms } from './programs.js';

/** Counters for tests: after warm-up a training step adds to none but submits/dispatches. */
export interface GpuStats {
  buffersCreated: number;
  stagingCreated: number;
  pipelines: number;
  pipelinesCreatedSync: number;
  submits: number;
  dispatches: number;
  /** Reads back to the CPU (mapAsync of a staging buffer): a training step without callbacks makes none. */
  readbacks: number;
  /** Tensor buffers the pool holds (in use and free) and their bytes: flat after warm-up. */
  poolBuffers: number;
  poolBytes: number;
  /** Of those, the free ones, kept for reuse. */
  poolFreeBytes: number;
  /** The most bytes of pooled buffers in use at once since resetPoolPeak(). */
  poolPeakBytes: number;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  readonly ctx: GpuContext;
  /** Which GEMM matmul and conv use: 'naive' is the oracle kernel (tests switch to it with useGemmVariant). */
  get gemmVariant(): GemmVariant {
    return this.ctx.gemmVariant;
  }

  /** Switches the GEMM behind matmul and conv, building the oracle's pipelines first when asked for it. */
  async useGemmVariant(variant: GemmVariant): Promise<void> {
    if (variant === 'naive') await this.ctx.pipelines.prepare(this.programs.naiveGemm);
    this.ctx.gemmVariant = variant;
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

  private constructor(gpu: GpuDevice, private readonly programs: GpuPrograms, verify: boolean, autotune: boolean, subgroups: boolean) {
    this.ctx = new GpuContext(gpu, this, autotune, subgroups);
    if (verify) this.verifier = new Verifier(this.ctx);
  }

  /** programs: the kernels' WebGPU programs (src/kernels/webgpuPrograms.ts's GPU_PROGRAMS). */
  static async create(programs: GpuPrograms, options: BackendOptions = {}): Promise<WebGpuBackend> {
    const gpu = await createGpuDevice(options.gpu, options.powerPreference);
    const autotune = options.autotune ?? true;
    const backend = new WebGpuBackend(gpu, programs, options.verify ?? false, autotune, options.subgroups ?? true);
    // No pipeline is made here: each is compiled asynchronously on its first
    // use, in parallel with the others a step records (pipelines.ts), so a
    // model pays only for the kernels it runs.
    backend.ctx.tuner.adopt(autotune ? await loadChoices(backend.ctx.tuner.adapterKey) : []);
    // GEMM workgroups chosen earlier (this page or a stored one) run from the first step.
    backend.ctx.pipelines.prepareLater(backend.ctx.tuner.choices().flatMap((c) => {
      const cfg = c.kernel === 'gemm' ? configNamed(c.variant) : undefined;
      return cfg ? programs.gemm(backend.ctx, cfg) : [];
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
    await this.ctx.pipelines.prepare(problems.flatMap((p) => (p.kind === 'gemm' ? this.programs.gemmCandidates(this.ctx, p.shape, p.bias) : [])));
    const made = await tuner.tune((p: TuneProblem, variant) => (p.kind === 'gemm'
      ? this.programs.timeGemm(this.ctx, p.shape, variant, p.bias)
      : this.programs.timeConv2d(this.ctx, p.g, p.cout, variant, p.pass)));
    if (made.length) await saveChoices(tuner.adapterKey, tuner.choices());
  }

  /** Resolves once the pipelines deferred past a first step (the unmeasured Winograd's) are built. */
  pipelinesBuilt(): Promise<void> {
    return this.ctx.pipelinesBuilt();
  }

  /** Creates every pipeline the backend can use (tests: every shader variant compiles on this adapter). */
  async prepareAll(): Promise<number> {
    // The GEMM and the direct conv as this device runs them by default (with shared loads where it can) as well as the plain ones.
    const all = [...this.programs.all, ...(this.ctx.sharedLoads ? [...this.programs.gemm(this.ctx, DEFAULT_GEMM), ...this.programs.sharedConv] : [])];
    await this.ctx.pipelines.prepare(all);
    return all.length;
  }

  /**
   * Pins the GEMM's workgroup width (1, 2, 4, 8 or 16 columns of 8x4 blocks), or the workgroup-memory
   * tiled kernel ('tiled'), so tests cover every variant; null unpins.
   */
  async pinGemmWorkgroup(wgX: number | 'tiled' | null): Promise<void> {
    if (wgX === 'tiled') {
      // Its pipelines compile on first use: a pinned choice never falls back, the step waits for them.
      this.ctx.tuner.forced = 'tiled';
      return;
    }
    const cfg = wgX === null ? null : ALL_GEMM_CONFIGS.find((c) => c.wgX === wgX);
    if (cfg === undefined) throw new Error(`webgpu backend: no GEMM workgroup ${wgX} wide; expected one of ${ALL_GEMM_CONFIGS.map((c) => c.wgX).join(', ')}`);
    if (cfg) await this.ctx.pipelines.prepare(this.programs.gemm(this.ctx, cfg));
    this.ctx.tuner.forced = cfg;
  }

  /**
   * Pins conv2d's algorithm where it applies so tests cover each: 'direct' and 'im2col' for the forward
   * (cout % 4 == 0, not 1x1), 'winograd' and 'winograd4' (F(2x2, 3x3), F(4x4, 3x3)) for the forward and dx (3x3, stride 1, enough channels),
   * 'tiled' (the workgroup-memory implicit GEMM) for the forward, dx and dW of any shape; null unpins.
   */
  pinConvAlgorithm(algo: ConvAlgorithm | null): void {
    this.ctx.tuner.forcedConv = algo;
  }

  /** Whether the reductions over short rows and softmax along an axis run 256-wide workgroups (hardware default) or 64-wide ones (software default): tests cover both. */
  useWideWorkgroups(on: boolean): void {
    this.ctx.wideWorkgroups = on;
  }

  /** Whether depthwise convolutions run the row sweeps and vec4 kernels where their shape allows (default) or always the per-element kernels, so tests and timings cover both. */
  useDepthwiseSweeps(on: boolean): void {
    this.ctx.depthwiseSweeps = on;
  }

  /** Offers Winograd to the conv passes where it applies (on by default), or withholds it (A/B timings). */
  offerWinograd(on: boolean): void {
    this.ctx.tuner.winograd = on;
  }

  /**
   * Offers the workgroup-memory tiled GEMM and conv to the tuner (on by default on hardware adapters,
   * off on software ones), or withholds them; the unmeasured choice never changes.
   */
  offerTiledKernels(on: boolean): void {
    this.ctx.tuner.tiled = on;
  }

  /** 'workgroup 8x8', plus ', subgroup-shared loads' where its lanes share loads of A on this device. */
  private gemmVariantName(workgroup: string): string {
    if (workgroup === TILED_GEMM) return workgroup;
    const cfg = configNamed(workgroup);
    return `workgroup ${workgroup}${cfg && this.programs.gemmSharesLoads(this.ctx, cfg) ? ', subgroup-shared loads' : ''}`;
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
      submits: scheduler.submits, dispatches: scheduler.dispatches, readbacks: scheduler.reads,
      poolBuffers: held.buffers, poolBytes: held.bytes, poolFreeBytes: held.freeBytes, poolPeakBytes: pool.peakBytes,
    };
  }

  /** Starts stats().poolPeakBytes anew from the bytes in use now. */
  resetPoolPeak(): void {
    this.ctx.pool.resetPeak();
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

  // ---- kernels: each kernel module holds its own WebGPU program
  run<A extends readonly unknown[], R>(kernel: Kernel<A, R>, args: A): R {
    if (this.verifier && !kernel.query) return this.verifier.run(kernel as Kernel<readonly unknown[], unknown>, args) as R;
    return kernel.webgpu(this.ctx, ...args);
  }
}
