// Records kernels into one command encoder (and one compute pass while only
// dispatches follow each other) and submits only when it must: before a read,
// on sync(), before an upload, or when the uniform arena is full. A training
// step is thus a handful of submits, not one per kernel.
//
// Uniforms: every dispatch's Params go into one CPU-side arena at 256-byte
// aligned offsets (minUniformBufferOffsetAlignment) and reach the GPU in one
// writeBuffer just before the submit that uses them. The arena's GPU buffer is
// reused for the next batch: a writeBuffer issued after a submit is ordered
// after that submit's commands, so nothing recorded earlier sees new values.
//
// First use of a kernel: its pipeline is still compiling (pipelines.ts makes
// them asynchronously, on demand), so the scheduler switches to deferred mode:
// commands are kept as closures and each flush becomes a link of a promise
// chain that waits for the pipelines, encodes and submits; uploads and buffer
// destruction take their turn on the chain, and reads wait for it. JavaScript
// goes on recording the step while the compiler works, and the pipelines of a
// step compile in parallel. Once the chain drains the scheduler encodes
// immediately again, so a warmed-up step never waits on anything but its reads.

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

const ARENA_BYTES = 64 * 1024;

/** What the scheduler asks of a profiler around each dispatch (implemented in profiler.ts). */
export interface DispatchProfiler {
  /** Before the dispatch's own pass: timestamp writes for it, or undefined when timing from the CPU. */
  beginDispatch(shader: string, encoder: GPUCommandEncoder): GPUComputePassTimestampWrites | undefined;
  /** After the pass has ended. */
  endDispatch(): void;
}

/** One command buffer being recorded: the encoder and, while only dispatches follow each other, one compute pass. */
class Encoding {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;

  constructor(private readonly device: GPUDevice) {}

  enc(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: 'webcnn step' });
    return this.encoder;
  }

  computePass(): GPUComputePassEncoder {
    this.pass ??= this.enc().beginComputePass({ label: 'webcnn kernels' });
    return this.pass;
  }

  /** Copies and clears live outside compute passes. */
  endPass(): GPUCommandEncoder {
    this.pass?.end();
    this.pass = null;
    return this.enc();
  }

  finish(): GPUCommandBuffer {
    return this.endPass().finish();
  }
}

/** A recorded command, applied to the command buffer being encoded. */
type Command = (e: Encoding) => void;

export class Scheduler {
  /** Immediate mode: commands encode as they are recorded. */
  private open: Encoding | null = null;
  /**
   * Deferred mode (non-null): a command needed a pipeline still being
   * compiled, so commands are kept and encoded at flush, once every pipeline
   * they wait for exists; the submits (and uploads, and buffer destruction)
   * run in order on `chain`. Back to immediate mode when the chain drains.
   */
  private deferred: Command[] | null = null;
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

  /** Whether commands wait for pipelines being compiled (the first use of a kernel). */
  get deferring(): boolean {
    return this.deferred !== null;
  }

  /** Encodes the command now, or keeps it for the deferred submit. */
  private command(c: Command): void {
    if (this.deferred) this.deferred.push(c);
    else c(this.open ??= new Encoding(this.gpu.device));
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
   * binding order. A pipeline still being created (a promise) switches to
   * deferred mode until it exists; while profiling it must exist already.
   */
  dispatch(label: string, pipeline: GPUComputePipeline | Promise<GPUComputePipeline>, params: Params | null, buffers: readonly GPUBuffer[], workgroups: readonly number[]): void {
    if (pipeline instanceof Promise && !this.deferred) {
      if (this.profiler) throw new Error(`webgpu backend: internal: ${label} recorded while profiling before its pipeline exists`);
      // What is encoded so far goes now (before this dispatch's params enter the arena); from here on commands wait.
      this.flush();
      this.deferred = [];
    }
    const entries: GPUBindGroupEntry[] = [];
    let binding = 0;
    if (params) {
      const size = params.byteLength;
      if (this.arenaUsed + size > ARENA_BYTES) this.flush();
      params.writeTo(this.arenaView, this.arenaUsed);
      entries.push({ binding: binding++, resource: { buffer: this.uniforms, offset: this.arenaUsed, size } });
      this.arenaUsed += Math.ceil(size / this.align) * this.align;
    }
    for (const buffer of buffers) entries.push({ binding: binding++, resource: { buffer } });
    this.dispatches++;
    const x = workgroups[0], y = workgroups[1] ?? 1, z = workgroups[2] ?? 1;
    if (pipeline instanceof Promise) {
      const made: { p?: GPUComputePipeline } = {};
      // Registered before flush's Promise.all, so `made.p` is set when the deferred commands encode.
      this.waits.push(pipeline.then((p) => { made.p = p; }));
      this.command((e) => this.encodeDispatch(e, label, made.p as GPUComputePipeline, entries, x, y, z));
      return;
    }
    if (this.profiler) {
      this.profiledDispatch(label, pipeline, entries, [x, y, z], this.profiler);
      return;
    }
    this.command((e) => this.encodeDispatch(e, label, pipeline, entries, x, y, z));
  }

  private encodeDispatch(e: Encoding, label: string, pipeline: GPUComputePipeline, entries: GPUBindGroupEntry[], x: number, y: number, z: number): void {
    const bindGroup = this.gpu.device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
    const pass = e.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
  }

  /**
   * While profiling each dispatch gets a compute pass of its own: WebGPU
   * writes timestamps only at pass boundaries, and the work-done timer needs
   * each dispatch submitted alone. A profile starts after sync(), so this is
   * immediate mode.
   */
  private profiledDispatch(label: string, pipeline: GPUComputePipeline, entries: GPUBindGroupEntry[], workgroups: readonly number[], profiler: DispatchProfiler): void {
    const e = (this.open ??= new Encoding(this.gpu.device));
    const bindGroup = this.gpu.device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
    const timestampWrites = profiler.beginDispatch(label, e.endPass());
    const pass = e.enc().beginComputePass(timestampWrites ? { label, timestampWrites } : { label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
    pass.end();
    profiler.endDispatch();
  }

  /** Records commands outside any compute pass (the profiler resolves its timestamps with it). */
  record(commands: (encoder: GPUCommandEncoder) => void): void {
    this.command((e) => commands(e.endPass()));
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    if (bytes > 0) this.command((e) => e.endPass().copyBufferToBuffer(src, 0, dst, 0, bytes));
  }

  clear(buffer: GPUBuffer): void {
    this.command((e) => e.endPass().clearBuffer(buffer));
  }

  /**
   * Uploads values. writeBuffer runs before any command not yet submitted, and
   * the target may be a pooled buffer that recorded commands still read, so
   * pending work is submitted first (in deferred mode the write waits its turn
   * on the chain, with a copy of the values).
   */
  upload(buffer: GPUBuffer, values: Float32Array | Int32Array | Uint32Array): void {
    this.flush();
    // writeBuffer wants a multiple of 4 bytes, which 32-bit arrays always are.
    if (values.byteLength === 0) return;
    if (!this.deferred) {
      this.gpu.device.queue.writeBuffer(buffer, 0, values.buffer, values.byteOffset, values.byteLength);
      return;
    }
    const copy = values.slice();
    this.then(() => this.gpu.device.queue.writeBuffer(buffer, 0, copy.buffer, copy.byteOffset, copy.byteLength));
  }

  /** Submits everything recorded so far (no wait); in deferred mode, once its pipelines exist. */
  flush(): void {
    if (this.open) {
      const e = this.open;
      this.open = null;
      if (this.arenaUsed > 0) this.gpu.device.queue.writeBuffer(this.uniforms, 0, this.arena, 0, this.arenaUsed);
      this.gpu.device.queue.submit([e.finish()]);
      this.arenaUsed = 0;
      this.submits++;
    }
    if (!this.deferred?.length) return;
    const commands = this.deferred;
    const waits = this.waits;
    const uniforms = this.arena.slice(0, this.arenaUsed);
    this.deferred = [];
    this.waits = [];
    this.arenaUsed = 0;
    this.then(async () => {
      await Promise.all(waits);
      const e = new Encoding(this.gpu.device);
      for (const c of commands) c(e);
      if (uniforms.byteLength > 0) this.gpu.device.queue.writeBuffer(this.uniforms, 0, uniforms);
      this.gpu.device.queue.submit([e.finish()]);
      this.submits++;
    });
  }

  /** Runs `step` after everything chained before it; the first failure skips the rest and is kept for idle(). */
  private then(step: () => void | Promise<void>): void {
    this.chained++;
    this.chain = this.chain
      .then(async () => { if (!this.failure) await step(); })
      .catch((err: unknown) => { this.failure ??= err instanceof Error ? err : new Error(String(err)); })
      .finally(() => {
        // Drained with nothing new recorded: back to encoding as commands arrive.
        if (--this.chained === 0 && this.deferred?.length === 0) this.deferred = null;
      });
  }

  /** Waits until every deferred submit has been made (nothing to wait for in immediate mode). */
  async idle(): Promise<void> {
    while (this.chained > 0) await this.chain;
    if (this.failure) throw this.failure;
  }

  /** Destroys a buffer once no recorded or pending command can still use it. */
  retire(buffer: GPUBuffer): void {
    this.flush();
    if (this.deferred) this.then(() => buffer.destroy());
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
