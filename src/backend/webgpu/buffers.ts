// Storage-buffer pool. GPU buffers are slow to create and tensors come and go
// every layer of every step, so a released buffer goes back to a free list by
// power-of-two size class for the next tensor of that class: after a warm-up
// step a training step creates none (tests read `created`). Reuse inside one
// unsubmitted encoder is safe, as commands run in recording order; only
// queue.writeBuffer jumps ahead, so the scheduler submits before any upload.

import type { GpuDevice } from './device.js';

export interface GpuStorage {
  readonly buffer: GPUBuffer;
  /** Bytes the tensor uses (4 * elements); the buffer may be larger (its size class). */
  readonly bytes: number;
}

/** What a pool holds: every buffer it made and has not destroyed, in use or free. */
export interface PoolSize {
  buffers: number;
  bytes: number;
  freeBuffers: number;
  freeBytes: number;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Buffers whose allocation failed: never pooled, never reused. */
  private readonly failed = new WeakSet<GPUBuffer>();
  /** Buffers ever created, for tests: flat after warm-up. */
  created = 0;
  private buffers = 0;
  private bytes = 0;
  /** Bytes of the buffers handed out and not released, and their most since resetPeak (streaming tests read it). */
  private inUse = 0;
  private peakInUse = 0;

  constructor(
    private readonly gpu: GpuDevice,
    private readonly usage: GPUBufferUsageFlags,
    private readonly label: string,
    private readonly maxBytes: number,
    /** Destroys a buffer once no recorded command uses it (the scheduler's retire). */
    private readonly retire: (buffer: GPUBuffer) => void = (b) => b.destroy(),
  ) {}

  /**
   * Size classes are powers of two from 16 bytes: at most 2x waste, and few
   * classes, so buffers get reused across layers of different sizes. Sizes
   * round up to 16 bytes: writeBuffer and copies need 4, and kernels that
   * store vec4s into a float tensor (gemm.wgsl) need the last one whole.
   */
  static sizeClass(bytes: number, max: number): number {
    const whole16 = Math.max(16, Math.ceil(bytes / 16) * 16);
    // Within 16 bytes of a limit that is not a multiple of 16, the limit itself is the most there is.
    const atLeast = whole16 <= max ? whole16 : max;
    const pow2 = 2 ** Math.ceil(Math.log2(atLeast));
    // Near the limit the power of two may overshoot it; a tensor that fits gets an exact-size buffer.
    return pow2 <= max ? pow2 : atLeast;
  }

  acquire(bytes: number, what: string): GPUBuffer {
    if (bytes > this.maxBytes) {
      throw new Error(`webgpu backend: ${what} needs ${bytes} bytes, more than this device's limit ` +
        `of ${this.maxBytes} bytes (maxStorageBufferBindingSize/maxBufferSize); use a smaller batch or layer`);
    }
    const size = BufferPool.sizeClass(bytes, this.maxBytes);
    this.inUse += size;
    if (this.inUse > this.peakInUse) this.peakInUse = this.inUse;
    const reused = this.free.get(size)?.pop();
    if (reused) return reused;
    return this.create(size, what);
  }

  /** The most bytes in use at once (buffer sizes, in use by tensors) since the last resetPeak. */
  get peakBytes(): number {
    return this.peakInUse;
  }

  /** Starts a new peak from the bytes in use now. */
  resetPeak(): void {
    this.peakInUse = this.inUse;
  }

  /**
   * Each new buffer is made in an 'out-of-memory' error scope, not awaited
   * (WebGPU reports a failed allocation only there, asynchronously; awaiting
   * would make every kernel asynchronous): the error reaches the caller at the
   * next sync point, as validation errors do, and a steady training step, which
   * makes no buffers, pays nothing. outOfMemory keeps the backend usable.
   */
  private create(size: number, what: string): GPUBuffer {
    const { device } = this.gpu;
    this.created++;
    device.pushErrorScope('out-of-memory');
    const buffer = device.createBuffer({ label: `${this.label} #${this.created} ${size}B`, size, usage: this.usage });
    // Not awaited (see above); a lost device rejects, and its loss is reported on its own.
    device.popErrorScope().then((err) => { if (err) this.outOfMemory(buffer, what, err.message); }, () => {});
    this.buffers++;
    this.bytes += size;
    return buffer;
  }

  private outOfMemory(buffer: GPUBuffer, what: string, message: string): void {
    this.failed.add(buffer);
    // The tensor may already have been released into the free list: take it out.
    const list = this.free.get(buffer.size);
    const at = list?.indexOf(buffer) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    this.buffers--;
    this.bytes -= buffer.size;
    this.retire(buffer);
    const freed = this.trim();
    this.gpu.reportOutOfMemory(new Error(
      `webgpu backend: out of GPU memory: ${what} needed a ${buffer.size}-byte buffer and the device could not allocate it ` +
      `(${message.split('\n')[0]}). webcnn held ${this.bytes + freed} bytes in ${this.label} buffers, ${freed} of them unused ` +
      `and now freed; the device allows at most ${this.maxBytes} bytes per buffer. Dispose tensors you no longer need or ` +
      'use a smaller batch; the backend stays usable.'));
  }

  release(buffer: GPUBuffer): void {
    this.inUse -= buffer.size;
    if (this.failed.has(buffer)) return;
    let list = this.free.get(buffer.size);
    if (!list) this.free.set(buffer.size, (list = []));
    list.push(buffer);
  }

  /** Destroys the free buffers (they are only a cache) and returns the bytes freed. */
  trim(): number {
    let freed = 0;
    for (const list of this.free.values()) {
      for (const b of list) {
        freed += b.size;
        this.retire(b);
      }
    }
    this.buffers -= [...this.free.values()].reduce((n, list) => n + list.length, 0);
    this.bytes -= freed;
    this.free.clear();
    return freed;
  }

  /** Buffers and bytes held, in use and free: flat after warm-up in a steady training loop. */
  size(): PoolSize {
    let freeBuffers = 0;
    let freeBytes = 0;
    for (const list of this.free.values()) {
      freeBuffers += list.length;
      for (const b of list) freeBytes += b.size;
    }
    return { buffers: this.buffers, bytes: this.bytes, freeBuffers, freeBytes };
  }

  /** Frees every pooled buffer (backend teardown). */
  destroy(): void {
    this.trim();
  }
}
