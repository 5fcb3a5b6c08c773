// The wasm backend's allocator: JS owns the module's linear memory and hands
// out aligned blocks for tensors and scratch. Freed blocks go back to a free
// list kept sorted by address, and neighbours merge, so a training loop that
// makes and frees the same sizes every step reuses the same blocks. Growing
// the memory detaches every Float32Array view of it: take views after
// allocating (WasmHeap.f32), never hold one across an allocation.

/** SIMD loads want 16 bytes; 64 keeps blocks on cache lines. */
export const ALIGN = 64;
const PAGE = 65536;

interface Block { ptr: number; bytes: number }

export class WasmHeap {
  /** Free blocks, sorted by ptr, none adjacent (they merge). */
  private readonly free: Block[] = [];
  /** Live blocks: ptr -> bytes. */
  private readonly live = new Map<number, number>();
  /** End of the space ever handed out; memory beyond it is untouched. */
  private top: number;
  private view: Float32Array;

  /** maxPages: the memory's declared maximum (a shared memory has one), else wasm32's 4 GiB. */
  constructor(readonly memory: WebAssembly.Memory, base: number, private readonly maxPages = 65536) {
    this.top = roundUp(base, ALIGN);
    this.view = new Float32Array(memory.buffer);
  }

  /** A block of at least `bytes` (0 allowed: a distinct pointer all the same). */
  alloc(bytes: number): number {
    const size = roundUp(Math.max(bytes, 1), ALIGN);
    // Best fit keeps big blocks for big tensors.
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i];
      if (b.bytes >= size && (best < 0 || b.bytes < this.free[best].bytes)) {
        best = i;
        if (b.bytes === size) break;
      }
    }
    let ptr: number;
    if (best >= 0) {
      const b = this.free[best];
      ptr = b.ptr;
      if (b.bytes === size) this.free.splice(best, 1);
      else { b.ptr += size; b.bytes -= size; }
    } else {
      // A free block at the top is extended instead of left behind.
      const last = this.free[this.free.length - 1];
      if (last && last.ptr + last.bytes === this.top) {
        this.free.pop();
        ptr = last.ptr;
      } else ptr = this.top;
      this.top = ptr + size;
      this.ensure(this.top);
    }
    this.live.set(ptr, size);
    return ptr;
  }

  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`wasm heap: release of ${ptr}, which is not a live block`);
    this.live.delete(ptr);
    // Insert in address order, then merge with the neighbours it touches.
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid].ptr < ptr) lo = mid + 1; else hi = mid;
    }
    const block = { ptr, bytes: size };
    this.free.splice(lo, 0, block);
    const next = this.free[lo + 1];
    if (next && block.ptr + block.bytes === next.ptr) {
      block.bytes += next.bytes;
      this.free.splice(lo + 1, 1);
    }
    const prev = this.free[lo - 1];
    if (prev && prev.ptr + prev.bytes === block.ptr) {
      prev.bytes += block.bytes;
      this.free.splice(lo, 1);
    }
  }

  /** A view of the whole memory, re-taken if the memory grew since the last one. */
  f32(): Float32Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  /** Bytes in live blocks and the memory's size (tests: freeing returns space). */
  stats(): { liveBlocks: number; liveBytes: number; freeBlocks: number; memoryBytes: number } {
    let liveBytes = 0;
    for (const b of this.live.values()) liveBytes += b;
    return { liveBlocks: this.live.size, liveBytes, freeBlocks: this.free.length, memoryBytes: this.memory.buffer.byteLength };
  }

  /** Fills every byte not in a live block with a value (tests: a kernel that skips an element shows it). */
  fillFree(value: number): void {
    const view = this.f32();
    for (const b of this.free) view.fill(value, b.ptr >>> 2, (b.ptr + b.bytes) >>> 2);
    view.fill(value, this.top >>> 2);
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    // Grow by at least a quarter of what there is, so a growing model does not grow page by page,
    // but never past the maximum while what is needed still fits under it.
    const needed = Math.ceil((end - have) / PAGE);
    const room = this.maxPages - have / PAGE;
    if (needed > room) {
      throw new Error(`wasm backend: out of memory: ${end} bytes needed, the memory's maximum is ${this.maxPages * PAGE} bytes` +
        (this.maxPages < 65536 ? ' (a shared memory, for threads; one thread allows 4 GiB)' : ''));
    }
    this.memory.grow(Math.min(room, Math.max(needed, Math.ceil(have / PAGE / 4))));
  }
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
