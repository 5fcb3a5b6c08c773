// What every kernel binding needs, in one object: the device, the buffer
// pool, the pipeline cache and the scheduler, plus helpers to make output
// tensors and to record a dispatch. A binding (STYLE 6) sizes the dispatch,
// passes its declared uniforms by name and records; it never submits or
// reads back.

import type { Backend, Shape } from '../types.js';
import { Tensor, createTensor, sizeOf } from '../../tensor.js';
import { BufferPool, type GpuStorage } from './buffers.js';
import type { GpuDevice } from './device.js';
import { PipelineCache, pipelineKey, type PipelineSpec } from './pipelines.js';
import { Scheduler, type Binding } from './scheduler.js';
import { KernelTuner, isSoftwareAdapter, type TuneProblem } from './kernelTuner.js';
import { packUniforms, type UniformValues, type Uniforms } from './uniforms.js';

/** Which GEMM matmul and conv use: 'naive' is the oracle kernel (tests switch to it). */
export type GemmVariant = 'blocked' | 'naive';

/** Default workgroup size of 1-D kernels (an override constant in each shader). */
export const WG = 256;

/**
 * Rows per chunk in the first stage of the two-stage column sums
 * (shaders/lib/chunkSum.wgsl's CHUNK).
 */
export const REDUCTION_CHUNK = 64;

/** Constant buffers kept per context before the oldest set is dropped (each is a few hundred bytes). */
const MAX_CONSTANTS = 256;

export class GpuContext {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly scheduler: Scheduler;
  /** Kernel variants per problem shape: GEMM workgroups (matmul.ts), conv algorithms (conv2d.ts). */
  readonly tuner: KernelTuner<TuneProblem>;

  /**
   * The GEMM's lanes share loads through subgroups (gemmEntrySubgroup.wgsl),
   * where the device allows and the options do not forbid it; tests switch it
   * with the backend's useSharedLoads.
   */
  sharedLoads: boolean;

  /** The GEMM behind matmul and conv (the backend's useGemmVariant switches it). */
  gemmVariant: GemmVariant = 'blocked';

  /**
   * Kernels with one invocation per output that use small workgroups on software adapters (the
   * reductions over short rows, softmax along an axis) take 256-wide ones instead: hardware adapters,
   * or tests (the backend's useWideWorkgroups). Element-wise kernels are 256 wide everywhere.
   */
  wideWorkgroups: boolean;

  /** Depthwise convolutions take the row sweeps where their shape allows (the backend's useDepthwiseSweeps switches it). */
  depthwiseSweeps = true;

  /** Small read-only buffers made once per key (conv2d's tap tables): see constant(). */
  private readonly constants = new Map<string, GPUBuffer>();
  /** Pipelines prepareAfterWork will build, by key, and its builds under way. */
  private readonly deferred = new Set<string>();
  private readonly background = new Set<Promise<void>>();

  constructor(readonly gpu: GpuDevice, readonly owner: Backend, autotune = true, subgroups = true) {
    this.sharedLoads = subgroups && gpu.fourLaneSubgroups;
    this.wideWorkgroups = !isSoftwareAdapter(gpu.adapter);
    const { device, limits } = gpu;
    const maxBytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    this.scheduler = new Scheduler(gpu);
    this.pool = new BufferPool(gpu, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, 'tensor', maxBytes, (b) => this.scheduler.retire(b));
    this.pipelines = new PipelineCache(device);
    const a = gpu.adapter;
    this.tuner = new KernelTuner<TuneProblem>(`${a.vendor}|${a.architecture}|${a.description}|${a.isFallbackAdapter}`, autotune, this.wideWorkgroups);
  }

  /** A new tensor on a pooled buffer; its contents are undefined until a kernel writes them. */
  output(shape: Shape, op: string): Tensor {
    const bytes = 4 * sizeOf(shape);
    const storage: GpuStorage = { buffer: this.pool.acquire(bytes, `${op} output of ${bytes} bytes`), bytes };
    return createTensor(this.owner, storage, shape, bytes);
  }

  /** A scratch buffer (im2col columns and the like): release it right after recording its last use. */
  scratch(elements: number, what: string): GPUBuffer {
    return this.pool.acquire(4 * elements, what);
  }

  /** A scratch buffer holding the given values (gather indices and the like); release it after recording. */
  scratchFrom(values: Float32Array | Int32Array | Uint32Array, what: string): GPUBuffer {
    const b = this.pool.acquire(values.byteLength, what);
    this.scheduler.upload(b, values);
    return b;
  }

  /**
   * A read-only buffer of values that depend only on `key` (a layer's tap table),
   * uploaded on first use and kept: an upload submits the work recorded before
   * it, so one per call would split a training step's command buffer.
   */
  constant(key: string, make: () => Int32Array | Uint32Array | Float32Array): GPUBuffer {
    const kept = this.constants.get(key);
    if (kept) return kept;
    if (this.constants.size >= MAX_CONSTANTS) {
      for (const b of this.constants.values()) this.scheduler.retire(b);
      this.constants.clear();
    }
    const values = make();
    const b = this.gpu.device.createBuffer({ label: key, size: Math.max(16, values.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.scheduler.upload(b, values);
    this.constants.set(key, b);
    return b;
  }

  /**
   * Builds pipelines once the work recorded so far has been submitted and has
   * run, so their compiling neither delays that work's own pipelines nor
   * shares the processor with it (a variant a kernel will switch to once built).
   */
  prepareAfterWork(specs: readonly PipelineSpec[]): void {
    const missing = specs.filter((s) => !this.pipelines.has(s) && !this.deferred.has(pipelineKey(s)));
    if (missing.length === 0) return;
    for (const s of missing) this.deferred.add(pipelineKey(s));
    const building = new Promise<void>((done) => {
      // After the current recording, so this work's own pipelines are asked for first.
      setTimeout(done, 0);
    }).then(() => this.scheduler.idle()).then(() => this.gpu.device.queue.onSubmittedWorkDone()).catch(() => undefined)
      .then(() => {
        for (const s of missing) this.deferred.delete(pipelineKey(s));
        // A pipeline that does not compile is reported by the step that uses it.
        return this.pipelines.prepare(missing).catch(() => undefined);
      })
      .finally(() => this.background.delete(building));
    this.background.add(building);
  }

  /** Resolves once the pipelines prepareAfterWork was asked for are built (or failed). */
  async pipelinesBuilt(): Promise<void> {
    while (this.background.size > 0) await Promise.all(this.background);
  }

  release(buffer: GPUBuffer): void {
    this.pool.release(buffer);
  }

  /**
   * An image source (canvas, ImageBitmap, image element, video, VideoFrame)
   * copied on the GPU (queue.copyExternalImageToTexture) into a new
   * rgba8unorm texture of width x height, straight alpha, no flip: bind
   * texture.createView() in a dispatch (kernels read it with textureLoad),
   * then retire the texture (scheduler.retire) after recording its last use.
   * The copy runs on the queue at once; the texture is new, so no recorded
   * work can be reading it.
   */
  externalImage(source: GPUCopyExternalImageSource, width: number, height: number, what: string): GPUTexture {
    const { device } = this.gpu;
    const texture = device.createTexture({
      label: what,
      size: [width, height],
      format: 'rgba8unorm',
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST | GPUTextureUsage.RENDER_ATTACHMENT,
    });
    device.queue.copyExternalImageToTexture({ source, flipY: false }, { texture, premultipliedAlpha: false }, [width, height]);
    return texture;
  }

  /** Records a 1-D kernel over `count` invocations of `WG` each (folded past 65,535 workgroups). */
  run1d<U extends Uniforms>(spec: PipelineSpec<U>, params: UniformValues<U>, buffers: readonly Binding[], count: number): void {
    const wg = spec.constants?.WG ?? WG;
    this.run(spec, params, buffers, this.scheduler.grid(Math.ceil(count / wg)));
  }

  /**
   * Records a kernel over an explicit grid of workgroups ([x, y] or [x, y, z]);
   * params: one value per declared uniform (null for a shader without uniforms).
   */
  run<U extends Uniforms>(spec: PipelineSpec<U>, params: UniformValues<U> | null, buffers: readonly Binding[], workgroups: readonly number[]): void {
    const packed = params === null ? null : packUniforms(spec.name, spec.uniforms ?? ({} as U), params);
    this.scheduler.dispatch(spec.name, this.pipelines.acquire(spec), packed, buffers, workgroups);
  }
}

/** The GPU buffer behind a tensor of this backend. */
export function buf(t: Tensor): GPUBuffer {
  // Duck-typed: with an injected GPU (Node) the GPUBuffer class may not be a global.
  const s = t.storage as Partial<GpuStorage> | null;
  if (!s || typeof s !== 'object' || !s.buffer || typeof s.bytes !== 'number') {
    throw new Error(`webgpu backend: got a tensor of the '${t.backend.name}' backend`);
  }
  return s.buffer;
}
