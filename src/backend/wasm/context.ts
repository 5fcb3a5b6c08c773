// What every wasm kernel binding needs, in one object: the module's exports,
// pointers to tensors, fresh output tensors and scratch space. A binding
// (src/kernels/<family>/wasm.ts) allocates its outputs and scratch first,
// then calls an export with pointers and sizes; it takes a Float32Array view
// with f32() only after its last allocation, since growing the memory
// detaches every view.

import type { Backend, Shape } from '../types.js';
import { Tensor, createTensor, sizeOf } from '../../tensor.js';
import type { WasmHeap } from './heap.js';
import type { WasmExports } from './module.js';
import type { ThreadPool, WasmCall } from './threadPool.js';

/** A wasm tensor's storage: a block of the heap (views made by reshape share it). */
export interface WasmStorage {
  readonly ptr: number;
  readonly bytes: number;
}

export class WasmContext {
  /** Scratch blocks of the kernels running now, released as each returns (see mark/releaseTo). */
  private readonly scratchBlocks: number[] = [];

  /**
   * Multiply-adds (or like work) a thread must get before a kernel shares its
   * work: a hand-off costs microseconds. Tests set 1 to split even tiny shapes.
   */
  minWorkPerThread = 1 << 17;

  constructor(readonly exports: WasmExports, readonly heap: WasmHeap, readonly owner: Backend, readonly pool: ThreadPool | null = null) {}

  /** Threads a kernel may split its work over (the calling thread included). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /**
   * Runs each part (a list of export calls, in order) on its own thread at
   * once: part 0 here, the others on the pool's workers; without a pool, all
   * here in turn. Parts must write disjoint memory, and allocate nothing
   * while they run (their scratch is taken before).
   */
  parallel(parts: readonly (readonly WasmCall[])[]): void {
    if (this.pool && parts.length > 1) {
      this.pool.run(parts);
      return;
    }
    for (const part of parts) {
      for (const c of part) (this.exports[c.fn] as (...a: number[]) => void)(...c.args);
    }
  }

  /**
   * [lo, hi) ranges covering 0..total, one per thread that has at least
   * minPerPart of it (one range where the work is too small to share: a
   * hand-off costs microseconds); bounds other than total are multiples of align.
   */
  split(total: number, minPerPart: number, align = 1): [number, number][] {
    const parts = Math.max(1, Math.min(this.threads, Math.floor(total / Math.max(minPerPart, 1)), Math.ceil(total / align)));
    const size = Math.ceil(total / parts / align) * align;
    const ranges: [number, number][] = [];
    for (let lo = 0; lo < total; lo += size) ranges.push([lo, Math.min(total, lo + size)]);
    return ranges.length > 0 ? ranges : [[0, total]];
  }

  /** Byte offset of a wasm tensor's values in the memory. */
  ptr(t: Tensor): number {
    return storageOf(t).ptr;
  }

  /** A new tensor; its values are undefined until a kernel writes them. */
  output(shape: Shape, name: string): Tensor {
    const bytes = 4 * sizeOf(shape);
    if (!Number.isSafeInteger(bytes)) throw new Error(`wasm backend: ${name} output of shape [${shape.join(', ')}] is too large`);
    const storage: WasmStorage = { ptr: this.heap.alloc(bytes), bytes };
    return createTensor(this.owner, storage, shape, bytes);
  }

  /** A temporary block of `bytes`, valid until the kernel that asked for it returns. */
  scratch(bytes: number): number {
    const ptr = this.heap.alloc(bytes);
    this.scratchBlocks.push(ptr);
    return ptr;
  }

  /** A view of the whole memory: take it after the last allocation of the call. */
  f32(): Float32Array {
    return this.heap.f32();
  }

  /** The values of a wasm tensor as a view (no copy; the same rule as f32 applies). */
  values(t: Tensor): Float32Array {
    const s = storageOf(t);
    return this.f32().subarray(s.ptr >>> 2, (s.ptr >>> 2) + t.size);
  }

  /** How many scratch blocks are held: run() notes it before a kernel and releases back to it after. */
  mark(): number {
    return this.scratchBlocks.length;
  }

  releaseTo(mark: number): void {
    while (this.scratchBlocks.length > mark) this.heap.release(this.scratchBlocks.pop() as number);
  }
}

export function storageOf(t: Tensor): WasmStorage {
  const s = t.storage as Partial<WasmStorage> | null;
  if (t.backend.name !== 'wasm' || typeof s?.ptr !== 'number') {
    throw new Error(`wasm backend: got a tensor of the '${t.backend.name}' backend`);
  }
  return s as WasmStorage;
}
