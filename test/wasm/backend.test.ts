import { describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { WasmHeap } from '../../src/backend/wasm/heap.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import { defineKernel } from '../../src/kernels/kernel.js';
import { KERNELS } from '../../src/kernels/registry.js';
import type { Tensor } from '../../src/tensor.js';
import { TEST_THREADS, wasmBackend } from './harness.js';

describe('wasm heap', () => {
  it('reuses freed blocks, merges neighbours and keeps values across memory growth', () => {
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1 }), 100);
    const a = heap.alloc(10);
    expect(a).toBe(128); // 100 rounded up to 64-byte alignment
    const b = heap.alloc(64);
    expect(b).toBe(192);
    const c = heap.alloc(100);
    expect(c).toBe(256);
    heap.f32()[b >> 2] = 7.5;
    heap.release(a);
    heap.release(c);
    expect(heap.stats().freeBlocks).toBe(2);
    // Growing past the first page detaches old views; the values move with the memory.
    const big = heap.alloc(200_000);
    expect(heap.stats().memoryBytes).toBeGreaterThanOrEqual(big + 200_000);
    expect(heap.f32()[b >> 2]).toBe(7.5);
    heap.release(b);
    heap.release(big);
    // Everything merged back into one block, and the first fit is at the start again.
    expect(heap.stats()).toMatchObject({ liveBlocks: 0, liveBytes: 0, freeBlocks: 1 });
    expect(heap.alloc(1000)).toBe(128);
    expect(() => heap.release(12345)).toThrow('not a live block');
  });
});

describe('wasm heap under a maximum (a shared memory declares one)', () => {
  it('grows only up to the maximum, and says so when a block does not fit under it', () => {
    const page = 65536;
    const heap = new WasmHeap(new WebAssembly.Memory({ initial: 8, maximum: 9 }), 0, 9);
    // One more page is needed; the usual growth (a quarter: 2 pages) would pass the maximum.
    heap.alloc(8 * page + 100);
    expect(heap.stats().memoryBytes).toBe(9 * page);
    expect(() => heap.alloc(page)).toThrow(/out of memory: .* maximum is 589824 bytes/);
  });
});

describe('wasm backend', () => {
  it('is selected by name and says what it runs with', async () => {
    await wasmBackend();
    expect(wc.getBackend()).toBe('wasm');
    const info = wc.backendInfo();
    expect(info.wasm?.simd).toBe(true);
    // Node 20 validates no relaxed SIMD without a flag; Chrome does.
    expect(info.description).toBe(`wasm (${info.wasm?.relaxedSimd ? 'relaxed SIMD' : 'SIMD'}, ${TEST_THREADS === 1 ? '1 thread' : `${TEST_THREADS} threads`})`);
    expect(info.wasm?.threads).toBe(TEST_THREADS);
    // Node has threads: 1 is what was asked for, not a lack.
    expect(info.wasm?.threadsReason).toBeUndefined();
    // Every kernel that runs has a wasm program (queries are not kernels that run), so none falls back.
    const kernels: readonly { name: string; wasm?: unknown; query?: true }[] = Object.values(KERNELS);
    expect(kernels.filter((k) => !k.wasm && !k.query).map((k) => k.name)).toEqual([]);
    expect(info.wasm?.fallbackKernels).toEqual([]);
  });

  it('stores, reads and frees tensors in its memory', async () => {
    const be = await wasmBackend();
    const before = be.ctx.heap.stats().liveBlocks;
    const x = wc.tensor([1, -2, 3, 4.5], [2, 2]);
    expect(x.backend.name).toBe('wasm');
    expect([...x.dataSync()]).toEqual([1, -2, 3, 4.5]);
    expect([...(await x.data())]).toEqual([1, -2, 3, 4.5]);
    const y = x.clone();
    const src = be.fromValues(Float32Array.of(9, 8, 7, 6), [2, 2]);
    be.assign(x, src);
    expect([...x.dataSync()]).toEqual([9, 8, 7, 6]);
    expect([...y.dataSync()]).toEqual([1, -2, 3, 4.5]);
    const z = wc.zeros([3]);
    expect([...z.dataSync()]).toEqual([0, 0, 0]);
    wc.tidy(() => { wc.ops.mul(x, y); });
    for (const t of [x, y, z, src]) t.dispose();
    expect(be.ctx.heap.stats().liveBlocks).toBe(before);
  });

  it('runs a kernel without a wasm program through its CPU reference, in place too', async () => {
    await wasmBackend();
    const a = wc.tensor([1, -2, 3.5, 0], [2, 2]);
    const b = wc.tensor([4, 5, -2, 7], [2, 2]);
    const c = wc.ops.mul(a, b);
    expect(c.backend.name).toBe('wasm');
    expect([...c.dataSync()]).toEqual([4, -10, -7, 0]);
    // sgdUpdate returns nothing and updates w in place: w -= lr * g.
    const w = wc.tensor([1, 2, 3], [3]);
    wc.ops.sgdUpdate(w, wc.tensor([10, 20, 30], [3]), { learningRate: 0.1 });
    expect([...w.dataSync()]).toEqual([0, 0, 0]);
    // An int32 result stays int32.
    const idx = wc.argMax(wc.tensor([[1, 5, 2], [7, 0, 3]]), 1);
    expect(idx.dtype).toBe('int32');
    expect([...idx.dataSync()]).toEqual([1, 0]);
  });

  it('copies a CPU result that is a view of its argument before growing the memory', async () => {
    // The fallback hands arguments to the CPU reference as views of wasm memory; a result
    // that aliases one must survive the allocation of its wasm copy growing the memory.
    const be = await WasmBackend.create([]);
    const reshaped = defineKernel({
      name: 'reshapeForTest',
      check(_x: Tensor) { /* any tensor */ },
      cpu: (x: Tensor) => x.reshape([-1]),
      webgpu: (_ctx, x: Tensor) => x,
    });
    const values = Float32Array.from({ length: 200_000 }, (_, i) => i);
    const x = be.fromValues(values, [400, 500]);
    const before = be.ctx.heap.stats().memoryBytes;
    const y = be.run(reshaped, [x] as const);
    expect(be.ctx.heap.stats().memoryBytes).toBeGreaterThan(before);
    expect(y.shape).toEqual([200_000]);
    expect(y.dataSync()).toEqual(values);
  });
});
