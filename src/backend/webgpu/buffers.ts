// Storage-buffer pool. Tensors come and go every layer of every step; GPU
// buffers are slow to create, so a released buffer goes back to a free list
// by power-of-two size class and the next tensor of that class reuses it.
// After one warm-up step a training step creates no new buffers
// (tests read `created` to check that).
//
// Reusing a buffer inside one unsubmitted encoder is safe: commands run in
// recording order. Only queue.writeBuffer jumps ahead of recorded commands,
// so the scheduler submits pending work before any upload (see scheduler.ts).

export interface GpuStorage {
  readonly buffer: GPUBuffer;
  /** Bytes the tensor uses (4 * elements); the buffer may be larger (its size class). */
  readonly bytes: number;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Buffers ever created, for tests: flat after warm-up. */
  created = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
    private readonly label: string,
    private readonly maxBytes: number,
  ) {}

  /**
   * Size classes are powers of two from 16 bytes: at most 2x waste, and few
   * classes, so buffers get reused across layers of different sizes. Sizes
   * round up to 4 bytes anyway, as writeBuffer and copies need.
   */
  static sizeClass(bytes: number, max: number): number {
    const atLeast = Math.max(16, Math.ceil(bytes / 4) * 4);
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
    const reused = this.free.get(size)?.pop();
    if (reused) return reused;
    this.created++;
    return this.device.createBuffer({ label: `${this.label} ${size}B`, size, usage: this.usage });
  }

  release(buffer: GPUBuffer): void {
    let list = this.free.get(buffer.size);
    if (!list) this.free.set(buffer.size, (list = []));
    list.push(buffer);
  }

  /** Frees every pooled buffer (backend teardown). */
  destroy(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
  }
}
