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

export class Scheduler {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
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
    this.staging = new BufferPool(gpu, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 'readback staging', limits.maxBufferSize);
  }

  /** Staging buffers ever created (pooled; flat after warm-up). */
  get stagingCreated(): number {
    return this.staging.created;
  }

  private enc(): GPUCommandEncoder {
    this.encoder ??= this.gpu.device.createCommandEncoder({ label: 'webcnn step' });
    return this.encoder;
  }

  private computePass(): GPUComputePassEncoder {
    this.pass ??= this.enc().beginComputePass({ label: 'webcnn kernels' });
    return this.pass;
  }

  /** Copies and clears live outside compute passes. */
  private endPass(): GPUCommandEncoder {
    this.pass?.end();
    this.pass = null;
    return this.enc();
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

  /** Records one dispatch. Bindings: params at 0 (if any), then buffers in binding order. */
  dispatch(label: string, pipeline: GPUComputePipeline, params: Params | null, buffers: readonly GPUBuffer[], workgroups: readonly number[]): void {
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
    const bindGroup = this.gpu.device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
    // Profiling (wc.profile) is the rare case: one null check otherwise.
    if (this.profiler) {
      this.profiledDispatch(label, pipeline, bindGroup, workgroups, this.profiler);
      return;
    }
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
    this.dispatches++;
  }

  /**
   * While profiling each dispatch gets a compute pass of its own: WebGPU
   * writes timestamps only at pass boundaries, and the work-done timer needs
   * each dispatch submitted alone.
   */
  private profiledDispatch(label: string, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, workgroups: readonly number[], profiler: DispatchProfiler): void {
    const timestampWrites = profiler.beginDispatch(label, this.endPass());
    const pass = this.enc().beginComputePass(timestampWrites ? { label, timestampWrites } : { label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
    pass.end();
    this.dispatches++;
    profiler.endDispatch();
  }

  /** Records commands outside any compute pass (the profiler resolves its timestamps with it). */
  record(commands: (encoder: GPUCommandEncoder) => void): void {
    commands(this.endPass());
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    if (bytes > 0) this.endPass().copyBufferToBuffer(src, 0, dst, 0, bytes);
  }

  clear(buffer: GPUBuffer): void {
    this.endPass().clearBuffer(buffer);
  }

  /**
   * Uploads values. writeBuffer runs before any command not yet submitted, and
   * the target may be a pooled buffer that recorded commands still read, so
   * pending work is submitted first.
   */
  upload(buffer: GPUBuffer, values: Float32Array | Int32Array | Uint32Array): void {
    this.flush();
    // writeBuffer wants a multiple of 4 bytes, which 32-bit arrays always are.
    if (values.byteLength > 0) this.gpu.device.queue.writeBuffer(buffer, 0, values.buffer, values.byteOffset, values.byteLength);
  }

  /** Submits everything recorded so far (no wait). */
  flush(): void {
    if (!this.encoder) return;
    const encoder = this.endPass();
    if (this.arenaUsed > 0) this.gpu.device.queue.writeBuffer(this.uniforms, 0, this.arena, 0, this.arenaUsed);
    this.gpu.device.queue.submit([encoder.finish()]);
    this.encoder = null;
    this.arenaUsed = 0;
    this.submits++;
  }

  /** Records a copy of `bytes` of src into a pooled staging buffer; read it later with mapStaging. */
  snapshot(src: GPUBuffer, bytes: number, what: string): GPUBuffer {
    const staging = this.staging.acquire(bytes, what);
    this.copy(src, staging, bytes);
    return staging;
  }

  /** Maps a staging buffer (after flush), copies its first `bytes` out and returns it to the pool. */
  async mapStaging(staging: GPUBuffer, bytes: number): Promise<Float32Array> {
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
    await this.gpu.device.queue.onSubmittedWorkDone();
    this.gpu.throwIfFailed();
  }
}
