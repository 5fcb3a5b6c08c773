// The wasm backend on several threads: the work really is shared, the results
// do not depend on the thread count, and the memory can grow under the workers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { backend } from '../../src/engine.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import { chooseThreads } from '../../src/backend/wasm/threadSupport.js';
import type { Kernel } from '../../src/kernels/kernel.js';
import { matmulKernel } from '../../src/kernels/matmul/index.js';
import { conv2dBackwardFilterKernel, conv2dBackwardInputKernel, conv2dKernel } from '../../src/kernels/conv2d/index.js';
import type { Conv2dParams } from '../../src/backend/types.js';
import { windowGeometry } from '../../src/kernels/geometry.js';
import { Tensor } from '../../src/tensor.js';
import { randomValues } from '../util/check.js';
import { expectParity } from '../harness/tolerance.js';

async function wasmWith(threads: number): Promise<WasmBackend> {
  await wc.setBackend('wasm', { threads });
  const b = backend();
  if (!(b instanceof WasmBackend)) throw new Error('expected the wasm backend');
  return b;
}

let one: WasmBackend;
let two: WasmBackend;
beforeAll(async () => {
  one = await wasmWith(1);
  two = await wasmWith(2);
});
afterAll(() => wc.setBackend('cpu'));

/** Runs a kernel on a backend with fresh copies of the values; returns its output's values. */
function runOn<A extends readonly unknown[]>(be: WasmBackend, kernel: Kernel<A, Tensor>, args: (Float32Array | unknown)[], shapes: (number[] | null)[]): Float32Array {
  const made = args.map((a, i) => (a instanceof Float32Array ? be.fromValues(a, shapes[i] as number[]) : a));
  const out = be.run(kernel, made as unknown as A);
  const values = be.readSync(out);
  for (const t of [...made, out]) if (t instanceof Tensor) t.dispose();
  return values;
}

const rand = (shape: number[], seed: number) => Float32Array.from(randomValues(shape.reduce((a, b) => a * b, 1), seed));

describe('wasm threads', () => {
  it('threads: 2 runs 2 threads, and a big product runs partly on the worker', () => {
    expect(one.info().threads).toBe(1);
    expect(two.info().threads).toBe(2);
    expect(two.ctx.pool).not.toBeNull();
    const before = two.ctx.pool?.workerCalls() ?? 0;
    runOn(two, matmulKernel, [rand([256, 128], 1), rand([128, 64], 2), false, false, null, 'linear'], [[256, 128], [128, 64]]);
    expect((two.ctx.pool?.workerCalls() ?? 0) - before).toBe(1);
    // A product below the threshold stays on the calling thread.
    const after = two.ctx.pool?.workerCalls() ?? 0;
    runOn(two, matmulKernel, [rand([8, 8], 1), rand([8, 8], 2), false, false, null, 'linear'], [[8, 8], [8, 8]]);
    expect(two.ctx.pool?.workerCalls()).toBe(after);
  });

  // Sizes no split divides evenly: rows split in 4s (m large), columns in 8s (m small, n wide), transposed operands.
  const products: [number, number, number, boolean, boolean][] = [
    [203, 37, 300, false, false], [203, 37, 300, true, true], [5, 701, 129, false, false], [6, 699, 131, true, false],
  ];
  for (const [m, n, k, tA, tB] of products) {
    it(`a GEMM m=${m} n=${n} k=${k}${tA ? ' a^T' : ''}${tB ? ' b^T' : ''} on 2 threads equals 1 thread bit for bit`, () => {
      const aShape = tA ? [k, m] : [m, k];
      const bShape = tB ? [n, k] : [k, n];
      const a = rand(aShape, m + k);
      const b = rand(bShape, n + k);
      const bias = rand([n], 7);
      const args = [a, b, tA, tB, bias, 'relu'];
      const shapes = [aShape, bShape, null, null, [n], null];
      const calls = two.ctx.pool?.workerCalls() ?? 0;
      const got = runOn(two, matmulKernel, args, shapes);
      expect(two.ctx.pool?.workerCalls()).toBeGreaterThan(calls);
      expect(got).toEqual(runOn(one, matmulKernel, args, shapes));
    });
  }

  it('a conv forward (direct and im2col), dx and dW of awkward sizes on 2 threads equal 1 thread (dW within float tolerance: partial sums)', () => {
    // 3 images (dx splits by image), rows 3*13*11 = 429 (no multiple of 16), k = 3*3*7 = 63, 10 output channels.
    const xs = [3, 13, 11, 7];
    const ws = [3, 3, 7, 10];
    const p: Conv2dParams = { strides: [1, 1], padding: 'same', dilations: [1, 1] };
    const g = windowGeometry('test', xs, [3, 3], p.strides, p.dilations, p.padding);
    const dyShape = [g.n, g.oh, g.ow, ws[3]];
    const x = rand(xs, 1);
    const w = rand(ws, 2);
    const dy = rand(dyShape, 3);
    two.ctx.minWorkPerThread = 1;
    // Each kernel runs in part on the worker.
    const onWorker = (run: () => void): void => {
      const calls = two.ctx.pool?.workerCalls() ?? 0;
      run();
      expect(two.ctx.pool?.workerCalls() ?? 0).toBeGreaterThan(calls);
    };
    try {
      const fwd = [x, w, null, p, 'linear'];
      onWorker(() => expect(runOn(two, conv2dKernel, fwd, [xs, ws])).toEqual(runOn(one, conv2dKernel, fwd, [xs, ws])));
      // A window past the direct kernel's limit runs im2col + GEMM per thread instead.
      const wideX = [2, 5, 7, 150];
      const wideW = [3, 3, 150, 5];
      const wide = [rand(wideX, 4), rand(wideW, 5), null, p, 'relu'];
      onWorker(() => expect(runOn(two, conv2dKernel, wide, [wideX, wideW])).toEqual(runOn(one, conv2dKernel, wide, [wideX, wideW])));
      const dx = [dy, w, xs, p];
      onWorker(() => expect(runOn(two, conv2dBackwardInputKernel, dx, [dyShape, ws])).toEqual(runOn(one, conv2dBackwardInputKernel, dx, [dyShape, ws])));
      const dw = [x, dy, ws, p];
      onWorker(() => expectParity(runOn(two, conv2dBackwardFilterKernel, dw, [xs, dyShape]), runOn(one, conv2dBackwardFilterKernel, dw, [xs, dyShape]), 'dW'));
    } finally {
      two.ctx.minWorkPerThread = 1 << 17;
    }
  });

  it('the memory grows while the worker waits, and the worker computes on the new part', () => {
    const heap = two.ctx.heap;
    const before = heap.stats().memoryBytes;
    // Past the end of the memory as it is: the heap grows it; the operands land in the new part.
    const filler = two.fromValues(new Float32Array(before / 4 + 1), [before / 4 + 1]);
    expect(heap.stats().memoryBytes).toBeGreaterThan(before);
    const args = [rand([300, 100], 5), rand([100, 40], 6), false, false, null, 'linear'];
    const calls = two.ctx.pool?.workerCalls() ?? 0;
    const got = runOn(two, matmulKernel, args, [[300, 100], [100, 40]]);
    expect(two.ctx.pool?.workerCalls()).toBeGreaterThan(calls);
    expect(got).toEqual(runOn(one, matmulKernel, args, [[300, 100], [100, 40]]));
    filler.dispose();
  });

  it('the shared memory takes the largest maximum the engine grants: a block past 1 GiB fits on 2 threads', () => {
    const heap = two.ctx.heap;
    // Node grants wasm32's 4 GiB; only the grown pages are committed.
    const ptr = heap.alloc(1.25 * 2 ** 30);
    expect(heap.stats().memoryBytes).toBeGreaterThan(2 ** 30);
    heap.release(ptr);
  });

  it('falls back to 1 thread with the reason where threads are impossible, and caps the default at 8', () => {
    expect(chooseThreads(4, { kind: null, reason: 'the page is not cross-origin isolated', cores: 16 })).toEqual({ threads: 1, reason: 'the page is not cross-origin isolated' });
    expect(chooseThreads(undefined, { kind: 'node', cores: 32 })).toEqual({ threads: 8 });
    expect(chooseThreads(undefined, { kind: 'node', cores: 3 })).toEqual({ threads: 3 });
    expect(chooseThreads(12, { kind: 'web', cores: 4 })).toEqual({ threads: 12 });
    expect(() => chooseThreads(0, { kind: 'node', cores: 4 })).toThrow('at least 1');
  });

  it('a worker\'s failure reaches the caller; dispose stops the workers and the pool refuses work after', async () => {
    const { KERNELS } = await import('../../src/kernels/registry.js');
    const own = await WasmBackend.create(Object.values(KERNELS), { threads: 2 });
    const pool = own.ctx.pool;
    if (!pool) throw new Error('expected a pool');
    pool.run([[], [{ fn: 'heapBase', args: [] }]]);
    expect(pool.workerCalls()).toBe(1);
    // A trap on the worker (a store far past the memory's end) reaches the caller, and the pool goes on working.
    const past = own.ctx.heap.stats().memoryBytes + (1 << 20);
    expect(() => pool.run([[], [{ fn: 'add', args: [0, 0, past, 4] }]])).toThrow('a kernel failed on worker 1');
    pool.run([[], [{ fn: 'heapBase', args: [] }]]);
    expect(pool.workerCalls()).toBe(2);
    own.dispose();
    expect(() => pool.run([[], [{ fn: 'heapBase', args: [] }]])).toThrow('closed');
  });

  it('splits work into ranges of whole groups, one per thread with enough of it', () => {
    expect(two.ctx.split(10, 1)).toEqual([[0, 5], [5, 10]]);
    expect(two.ctx.split(10, 1, 4)).toEqual([[0, 8], [8, 10]]);
    expect(two.ctx.split(10, 6)).toEqual([[0, 10]]);
    expect(two.ctx.split(3, 1, 4)).toEqual([[0, 3]]);
    expect(one.ctx.split(1000, 1)).toEqual([[0, 1000]]);
  });
});
