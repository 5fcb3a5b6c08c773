// Records every command between two submits into one list and submits it only
// when it must: before a read, on sync(), before an upload, or when the uniform
// arena is full, so a training step is a handful of submits, not one per
// kernel. A list that waits for a pipeline still compiling is submitted later,
// in order, on a promise chain (see flush), so JavaScript records on while the
// compiler works; its commands before each pipeline still compiling are
// submitted as soon as they can run, so the GPU works while the compiler does.
// While a profile is open each dispatch gets its own pass.

import { BufferPool } from './buffers.js';
import type { GpuDevice } from './device.js';

/** Packs a shader's Params struct: 4-byte scalar fields, in struct order (STYLE 5). */
export class Params {
  private readonly words: number[] = [];
  private readonly kinds: ('u32' | 'i32' | 'f32')[] = [];
  u32(v: number): this { return this.push('u32', v); }
  i32(v: number): this { return this.push('i32', v); }
  f32(v: number): this { return this.push('f32', v); }
  private push(kind: 'u32' | 'i32' | 'f32', v: number): this {
    this.words.push(v);
    this.kinds.push(kind);
    return this;
  }
  /** Struct size rounded up to 16 bytes, as uniform bindings like. */
  get byteLength(): number {
    return Math.max(16, Math.ceil(this.words.length / 4) * 16);
  }
  writeTo(view: DataView, offset: number): void {
    this.words.forEach((v, i) => {
      const at = offset + 4 * i;
      const kind = this.kinds[i];
      if (kind === 'f32') view.setFloat32(at, v, true);
      else if (kind === 'i32') view.setInt32(at, v, true);
      else view.setUint32(at, v, true);
    });
  }
}

/**
 * Every dispatch's Params go into one CPU-side arena at aligned offsets
 * (minUniformBufferOffsetAlignment) and reach the GPU in one writeBuffer just
 * before the submit that uses them; the arena is then reused, as a writeBuffer
 * issued after a submit is ordered after that submit's commands.
 */
const ARENA_BYTES = 64 * 1024;

/** How a profile times the dispatches of a submitted list (implemented in profiler.ts). */
export interface DispatchProfiler {
  /** The name a dispatch is timed under, taken when it is recorded (the kernel that recorded it, and its shader). */
  nameOf(shader: string): string;
  /** Whether each dispatch is submitted alone (timed from the CPU by when the queue reports it done). */
  readonly submitsEach: boolean;
  /** Before the dispatch's own pass: timestamp writes for it, or undefined when timing from the CPU. */
  beginDispatch(name: string, encoder: GPUCommandEncoder): GPUComputePassTimestampWrites | undefined;
  /** After the dispatch's pass has ended (and, when it submits each, after its submit). */
  endDispatch(name: string): void;
}

/** One recorded command: a dispatch, or work outside compute passes (copies, clears, query resolves). */
type Recorded =
  | { kind: 'dispatch'; name: string; pipeline: GPUComputePipeline | Promise<GPUComputePipeline>; entries: GPUBindGroupEntry[]; grid: [number, number, number] }
  | { kind: 'encode'; apply: (encoder: GPUCommandEncoder) => void };

/** What a dispatch binds after its params: storage buffers, or a texture view (fromPixels' image). */
export type Binding = GPUBuffer | GPUTextureView;

/** Duck-typed (with an injected GPU in Node the classes may not be globals): only buffers map. */
function isBuffer(b: Binding): b is GPUBuffer {
  return typeof (b as Partial<GPUBuffer>).mapAsync === 'function';
}

export class Scheduler {
  /** What was recorded since the last submit, in order. */
  private list: Recorded[] = [];
  /** Pipelines the list waits for. */
  private waits: Promise<unknown>[] = [];
  private chain: Promise<void> = Promise.resolve();
  private chained = 0;
  /** The first failure on the chain (a pipeline that did not compile), reported by the next read or sync. */
  private failure: Error | null = null;
  private readonly arena = new ArrayBuffer(ARENA_BYTES);
  private readonly arenaView = new DataView(this.arena);
  private arenaUsed = 0;
  private readonly uniforms: GPUBuffer;
  private readonly staging: BufferPool;
  private readonly align: number;
  /** A 16-byte zero buffer bound where a shader's optional input (a bias) is absent. */
  readonly empty: GPUBuffer;
  /** Counters for tests and benchmarks. */
  submits = 0;
  dispatches = 0;
  /** Staging buffers mapped for a read (each a wait on the GPU). */
  reads = 0;
  /** Set by wc.profile while it runs (webgpu/profiler.ts); null otherwise. */
  profiler: DispatchProfiler | null = null;

  constructor(private readonly gpu: GpuDevice) {
    const { device, limits } = gpu;
    this.align = limits.minUniformBufferOffsetAlignment;
    this.uniforms = device.createBuffer({ label: 'params arena', size: ARENA_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.empty = device.createBuffer({ label: 'empty optional input', size: 16, usage: GPUBufferUsage.STORAGE });
    this.staging = new BufferPool(gpu, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 'readback staging', limits.maxBufferSize, (b) => this.retire(b));
  }

  /** Staging buffers ever created (pooled; flat after warm-up). */
  get stagingCreated(): number {
    return this.staging.created;
  }

  /** Whether recorded work waits for pipelines being compiled (the first use of a kernel). */
  get deferring(): boolean {
    return this.waits.length > 0 || this.chained > 0;
  }

  /**
   * Workgroup grid for `count` workgroups of a 1-D kernel. Past the per-dimension
   * limit (65,535) the grid folds into 2-D; shaders then index linearly with
   * i = gid.x + gid.y * (num_workgroups.x * WG) and drop i >= n.
   */
  grid(count: number): [number, number] {
    const max = this.gpu.limits.maxComputeWorkgroupsPerDimension;
    if (count <= max) return [Math.max(count, 1), 1];
    const y = Math.ceil(count / max);
    if (y > max) throw new Error(`webgpu backend: a dispatch of ${count} workgroups exceeds ${max}x${max}`);
    return [Math.ceil(count / y), y];
  }

  /**
   * Records one dispatch. Bindings: params at 0 (if any), then buffers in
   * binding order; a texture view (fromPixels' image, GpuContext.externalImage)
   * binds as itself. A pipeline still being created (a promise) makes the
   * list's submit wait for it.
   */
  dispatch(label: string, pipeline: GPUComputePipeline | Promise<GPUComputePipeline>, params: Params | null, buffers: readonly Binding[], workgroups: readonly number[]): void {
    const entries: GPUBindGroupEntry[] = [];
    let binding = 0;
    if (params) {
      const size = params.byteLength;
      if (this.arenaUsed + size > ARENA_BYTES) this.flush();
      params.writeTo(this.arenaView, this.arenaUsed);
      entries.push({ binding: binding++, resource: { buffer: this.uniforms, offset: this.arenaUsed, size } });
      this.arenaUsed += Math.ceil(size / this.align) * this.align;
    }
    for (const b of buffers) entries.push({ binding: binding++, resource: isBuffer(b) ? { buffer: b } : b });
    this.dispatches++;
    if (pipeline instanceof Promise) this.waits.push(pipeline);
    const name = this.profiler?.nameOf(label) ?? label;
    this.list.push({ kind: 'dispatch', name, pipeline, entries, grid: [workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1] });
  }

  /** Records commands outside any compute pass (the profiler resolves its timestamps with it). */
  record(apply: (encoder: GPUCommandEncoder) => void): void {
    this.list.push({ kind: 'encode', apply });
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    if (bytes > 0) this.record((e) => e.copyBufferToBuffer(src, 0, dst, 0, bytes));
  }

  clear(buffer: GPUBuffer): void {
    this.record((e) => e.clearBuffer(buffer));
  }

  /**
   * Uploads values. writeBuffer runs before any command not yet submitted, and
   * the target may be a pooled buffer that recorded commands still read, so
   * the list is submitted first (while the chain runs, the write waits its
   * turn on it, with a copy of the values).
   */
  upload(buffer: GPUBuffer, values: Float32Array | Int32Array | Uint32Array): void {
    this.flush();
    // writeBuffer wants a multiple of 4 bytes, which 32-bit arrays always are.
    if (values.byteLength === 0) return;
    if (this.chained === 0) {
      this.gpu.device.queue.writeBuffer(buffer, 0, values.buffer, values.byteOffset, values.byteLength);
      return;
    }
    const copy = values.slice();
    this.then(() => this.gpu.device.queue.writeBuffer(buffer, 0, copy.buffer, copy.byteOffset, copy.byteLength));
  }

  /**
   * Submits everything recorded so far (no wait). A list whose pipelines all
   * exist is encoded and submitted now; one that waits for a pipeline still
   * compiling (pipelines.ts) becomes a link of the chain that waits, encodes
   * and submits. Later lists, uploads and buffer destruction take their turn on
   * the chain, and reads wait for it.
   */
  flush(): void {
    if (this.list.length === 0) return;
    const list = this.list;
    const waits = this.waits;
    const profiler = this.profiler;
    const used = this.arenaUsed;
    this.list = [];
    this.waits = [];
    this.arenaUsed = 0;
    if (waits.length === 0 && this.chained === 0) {
      // writeBuffer copies at once, so the arena itself is free for the next list.
      this.submitList(list, this.arena, used, profiler);
      return;
    }
    const uniforms = this.arena.slice(0, used);
    this.then(async () => {
      // What is ready runs while the rest compiles: each dispatch still waiting
      // for its pipeline ends a submit of the commands before it.
      let start = 0;
      for (let i = 0; i < list.length; i++) {
        const r = list[i];
        if (r.kind !== 'dispatch' || !(r.pipeline instanceof Promise)) continue;
        if (i > start) {
          this.submitList(list.slice(start, i), uniforms, used, profiler);
          start = i;
        }
        r.pipeline = await r.pipeline;
      }
      this.submitList(list.slice(start), uniforms, used, profiler);
    });
  }

  /** Writes the list's uniforms (the first `used` bytes), then encodes and submits it: one command buffer, or (profiled) as the profiler times it. */
  private submitList(list: readonly Recorded[], uniforms: ArrayBuffer, used: number, profiler: DispatchProfiler | null): void {
    const { device } = this.gpu;
    if (used > 0) device.queue.writeBuffer(this.uniforms, 0, uniforms, 0, used);
    let encoder = device.createCommandEncoder({ label: 'webcnn step' });
    let pass: GPUComputePassEncoder | null = null;
    let encoded = false;
    const endPass = () => {
      pass?.end();
      pass = null;
    };
    const submit = () => {
      endPass();
      device.queue.submit([encoder.finish()]);
      this.submits++;
      encoder = device.createCommandEncoder({ label: 'webcnn step' });
      encoded = false;
    };
    for (const r of list) {
      encoded = true;
      if (r.kind === 'encode') {
        endPass();
        r.apply(encoder);
        continue;
      }
      const pipeline = r.pipeline as GPUComputePipeline;
      const bindGroup = device.createBindGroup({ label: r.name, layout: pipeline.getBindGroupLayout(0), entries: r.entries });
      if (!profiler) {
        pass ??= encoder.beginComputePass({ label: 'webcnn kernels' });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(...r.grid);
        continue;
      }
      // Profiled: a pass per dispatch (WebGPU writes timestamps only at pass boundaries).
      endPass();
      const timestampWrites = profiler.beginDispatch(r.name, encoder);
      const own = encoder.beginComputePass(timestampWrites ? { label: r.name, timestampWrites } : { label: r.name });
      own.setPipeline(pipeline);
      own.setBindGroup(0, bindGroup);
      own.dispatchWorkgroups(...r.grid);
      own.end();
      if (profiler.submitsEach) submit();
      profiler.endDispatch(r.name);
    }
    if (encoded) submit();
  }

  /** Runs `step` after everything chained before it; the first failure skips the rest and is kept for idle(). */
  private then(step: () => void | Promise<void>): void {
    this.chained++;
    this.chain = this.chain
      .then(async () => { if (!this.failure) await step(); })
      .catch((err: unknown) => { this.failure ??= err instanceof Error ? err : new Error(String(err)); })
      .finally(() => { this.chained--; });
  }

  /** Waits until every chained submit has been made (nothing to wait for when the chain is empty). */
  async idle(): Promise<void> {
    while (this.chained > 0) await this.chain;
    if (this.failure) throw this.failure;
  }

  /** Destroys a buffer (or a texture) once no recorded or pending command can still use it. */
  retire(buffer: GPUBuffer | GPUTexture): void {
    this.flush();
    if (this.chained > 0) this.then(() => buffer.destroy());
    else buffer.destroy();
  }

  /** Records a copy of `bytes` of src into a pooled staging buffer; read it later with mapStaging. */
  snapshot(src: GPUBuffer, bytes: number, what: string): GPUBuffer {
    const staging = this.staging.acquire(bytes, what);
    this.copy(src, staging, bytes);
    return staging;
  }

  /** Maps a staging buffer (after flush), copies its first `bytes` out and returns it to the pool. */
  async mapStaging(staging: GPUBuffer, bytes: number): Promise<Float32Array> {
    await this.idle();
    this.reads++;
    await staging.mapAsync(GPUMapMode.READ, 0, staging.size);
    const out = new Float32Array(bytes / 4);
    if (bytes > 0) out.set(new Float32Array(staging.getMappedRange(0, bytes)));
    staging.unmap();
    this.staging.release(staging);
    return out;
  }

  /** Reads a buffer back: copy to staging, submit, wait, then surface any GPU error. */
  async read(src: GPUBuffer, bytes: number, what: string): Promise<Float32Array> {
    const staging = this.snapshot(src, bytes, what);
    this.flush();
    let values: Float32Array;
    try {
      values = await this.mapStaging(staging, bytes);
    } catch (err) {
      // A lost device rejects pending maps with a bare AbortError: name the loss (and the way back) instead.
      await this.gpu.settleLoss();
      this.gpu.throwIfFailed();
      throw err;
    }
    this.gpu.throwIfFailed();
    return values;
  }

  async sync(): Promise<void> {
    this.flush();
    await this.idle();
    await this.gpu.device.queue.onSubmittedWorkDone();
    this.gpu.throwIfFailed();
  }
}
