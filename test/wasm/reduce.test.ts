import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import type { Kernel } from '../../src/kernels/kernel.js';
import * as R from '../../src/kernels/reduce/index.js';
import { REDUCE_BACKWARD_OPS, REDUCE_OPS, keptDimsShape, type ReduceOp } from '../../src/kernels/reduce/shape.js';
import { Tensor } from '../../src/tensor.js';
import { expectClose, randomValues, type Tolerance } from '../util/check.js';
import { TEST_THREADS, toWasm, wasmBackend } from './harness.js';
import { EXACT, ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Values on a grid of quarters in [-2, 2]: max, min and their arg forms meet ties (the first must win). */
const grid = (shape: number[], seed: number) => cpuTensor(randomValues(sizeOf(shape), seed, -2, 2).map((v) => Math.round(v * 4) / 4), shape);
/** Values in [0.6, 1.4] with a zero every 7th: products neither vanish nor overflow, and prod's gradient meets zeros. */
const factors = (shape: number[], seed: number) => cpuTensor(randomValues(sizeOf(shape), seed, 0.6, 1.4).map((v, i) => (i % 7 === 3 ? 0 : v)), shape);

const subsets = (rank: number): number[][] =>
  Array.from({ length: 1 << rank }, (_, m) => Array.from({ length: rank }, (_, a) => a).filter((a) => (m >> a) & 1));

/** The wasm program and the CPU reference on the same inputs, as plain arrays (for NaN, infinities, signed zeros and empty outputs). */
function both<A extends readonly unknown[]>(kernel: Kernel<A, Tensor>, args: A): [number[], number[]] {
  const wasmArgs = args.map((a) => (a instanceof Tensor ? toWasm(be, a) : a)) as unknown as A;
  return [[...be.run(kernel, wasmArgs).dataSync()], [...kernel.cpu(...args).dataSync()]];
}

/** Non-finite values and zeros identical (NaN as NaN, -0 as -0), the others within tol. */
function expectAlike([got, want]: [number[], number[]], tol: Tolerance, label: string): void {
  expect(got.length, label).toBe(want.length);
  const exact = (v: number) => !Number.isFinite(v) || v === 0;
  expect(got.map((v) => (exact(v) ? v : 'finite')), label).toEqual(want.map((v) => (exact(v) ? v : 'finite')));
  const finite = (a: number[]) => a.filter((v) => !exact(v));
  expectClose(finite(got), finite(want), tol, label);
}

// Odd sizes; size-1 axes (dropped from the walk); kept axes that do not merge,
// so four outputs side by side in x cross a run's end; runs of 8 or more for
// max and min in lanes; rows not a multiple of 4 long.
const shapes: number[][] = [[37], [3, 37], [37, 9], [2, 3, 6], [4, 1, 6, 3], [2, 5, 1, 3, 9]];

// sum, mean, prod, max, min and the arg forms fold in the CPU's order in f64
// (or select): exact. logSumExp's exp and log are the module's, not V8's: a few ulps.
const tolerance = (op: ReduceOp) => (op === 'logSumExp' ? ULPS : EXACT);

describe('reductions (wasm)', () => {
  it('none of them falls back to the CPU', () => {
    const fallback = be.info().fallbackKernels;
    for (const k of ['reduce', 'reduceBackward', 'softmaxAxis', 'softmaxAxisBackward']) expect(fallback).not.toContain(k);
  });

  it('by hand through the public ops, keepDims included', () => {
    const x = wc.tensor([1, -2, 3, 4, 0.5, -6], [2, 3]);
    expect(x.backend.name).toBe('wasm');
    expect([...wc.sum(x, 1).dataSync()]).toEqual([2, -1.5]);
    expect([...wc.mean(x, 0).dataSync()]).toEqual([2.5, -0.75, -1.5]);
    expect([...wc.prod(x).dataSync()]).toEqual([72]);
    const m = wc.max(x, 1, true);
    expect(m.shape).toEqual([2, 1]);
    expect([...m.dataSync()]).toEqual([3, 4]);
    expect([...wc.min(x, [0, 1]).dataSync()]).toEqual([-6]);
    expect([...wc.argMax(x, 1).dataSync()]).toEqual([2, 0]);
    expect([...wc.argMin(x, 0).dataSync()]).toEqual([0, 0, 1]);
    const lse = wc.logSumExp(wc.tensor([0, Math.log(3)], [2])).dataSync()[0];
    expect(lse).toBeCloseTo(Math.log(4), 6);
    // Backwards: sum spreads dy; max passes it to every maximum; prod to the product of the others.
    const dx = wc.ops.reduceBackward(wc.tensor([1, 2], [2]), x, wc.sum(x, 1), [1], 'sum');
    expect([...dx.dataSync()]).toEqual([1, 1, 1, 2, 2, 2]);
    const t = wc.tensor([2, 5, 5, 0, 3, 4], [2, 3]);
    expect([...wc.ops.reduceBackward(wc.tensor([10, 1], [2]), t, wc.max(t, 1), [1], 'max').dataSync()]).toEqual([0, 10, 10, 0, 0, 1]);
    expect([...wc.ops.reduceBackward(wc.tensor([1, 1], [2]), t, wc.prod(t, 1), [1], 'prod').dataSync()]).toEqual([25, 10, 10, 12, 0, 0]);
  });

  it('softmax and log-softmax along an inner axis by hand, and their backward', () => {
    // [1, 2, 2]: along axis 1, lines (x[0][0], x[1][0]) and (x[0][1], x[1][1]).
    const x = wc.tensor([0, 1, Math.log(3), 1], [1, 2, 2]);
    const y = wc.ops.softmaxAxis(x, 1, false);
    const want = [0.25, 0.5, 0.75, 0.5];
    [...y.dataSync()].forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    const ly = wc.ops.softmaxAxis(x, 1, true);
    [...ly.dataSync()].forEach((v, i) => expect(v).toBeCloseTo(Math.log(want[i]), 6));
    // dx = y (dy - sum(dy y)): dy one-hot on the first element of each line.
    const dx = wc.ops.softmaxAxisBackward(wc.tensor([1, 0, 0, 1], [1, 2, 2]), y, 1, false);
    const g = [0.25 * 0.75, 0.5 * -0.5, -0.75 * 0.25, 0.5 * 0.5];
    [...dx.dataSync()].forEach((v, i) => expect(v).toBeCloseTo(g[i], 6));
  });

  for (const shape of shapes) {
    it(`every op over every axis set of [${shape}]`, () => {
      const x = grid(shape, shape.length);
      const p = factors(shape, 10 + shape.length);
      for (const axes of subsets(shape.length)) {
        for (const op of REDUCE_OPS) {
          // prod on the grid would round away to zero or overflow, and compare nothing
          expectWasmMatch(be, R.reduceKernel, [op === 'prod' ? p : x, axes, op], tolerance(op), `${op} [${shape}] over [${axes}]`);
        }
      }
    });

    it(`every backward over every axis set of [${shape}], y as reduced or keepDims`, () => {
      const x = grid(shape, 20 + shape.length);
      const p = factors(shape, 30 + shape.length);
      subsets(shape.length).forEach((axes, k) => {
        for (const op of REDUCE_BACKWARD_OPS) {
          const input = op === 'prod' ? p : x;
          let y = R.reduceKernel.cpu(input, axes, op);
          if (k % 2 === 1) y = y.reshape(keptDimsShape(shape, axes));
          const dy = cpuTensor(randomValues(y.size, 40 + k, -1, 1), y.shape);
          // the gradients are dy spread, selected, or times f64 products in the CPU's order: exact
          expectWasmMatch(be, R.reduceBackwardKernel, [dy, input, y, axes, op], tolerance(op), `${op} backward [${shape}] over [${axes}]`);
        }
      });
    });
  }

  it('NaN, infinities and signed zeros as the CPU folds them', () => {
    const N = NaN;
    const I = Infinity;
    // [3, 4] and its transpose: lanes of four outputs, then single outputs along runs of 8.
    const rows = cpuTensor(Float32Array.of(N, 1, 2, 3, 1, N, 5, 5, -0, -0, -0, -I, -0, 0, -0, 0), [4, 4]);
    const long = cpuTensor(Float32Array.from({ length: 18 }, (_, i) => (i === 11 ? N : i % 5 === 0 ? -0 : -I)), [2, 9]);
    for (const x of [rows, long, cpuTensor(Float32Array.of(-0), [1])]) {
      for (const axes of subsets(x.rank)) {
        for (const op of REDUCE_OPS) {
          expectAlike(both(R.reduceKernel, [x, axes, op]), tolerance(op), `${op} [${x.shape}] over [${axes}]`);
        }
      }
    }
  });

  it('an empty reduced axis gives each op its identity, and an empty kept axis nothing', () => {
    const x = cpuTensor(new Float32Array(0), [3, 0]);
    for (const op of REDUCE_OPS) {
      const [got, want] = both(R.reduceKernel, [x, [1], op]);
      expect(got, op).toEqual(want);
      expect(got.length).toBe(3);
      expect(both(R.reduceKernel, [x, [0], op])).toEqual([[], []]);
    }
    for (const op of REDUCE_BACKWARD_OPS) {
      const y = cpuTensor(new Float32Array(3), [3]);
      expect(both(R.reduceBackwardKernel, [y, x, y, [1], op])).toEqual([[], []]);
    }
  });

  const softShapes: [number[], number][] = [[[37], 0], [[3, 11], 1], [[5, 3, 9], 1], [[2, 7, 6], 0], [[2, 6, 7], 2], [[1, 4, 1, 13], 1]];
  for (const [shape, axis] of softShapes) {
    it(`softmax and log-softmax along axis ${axis} of [${shape}], and their backward`, () => {
      const x = cpuTensor(randomValues(sizeOf(shape), 50 + axis, -4, 4), shape);
      const dy = cpuTensor(randomValues(sizeOf(shape), 60 + axis, -1, 1), shape);
      for (const log of [false, true]) {
        // exp and log are the module's: a few ulps; softmax's backward is all f64 products and sums in the CPU's order.
        expectWasmMatch(be, R.softmaxAxisKernel, [x, axis, log], ULPS, `softmaxAxis log ${log}`);
        const y = R.softmaxAxisKernel.cpu(x, axis, log);
        expectWasmMatch(be, R.softmaxAxisBackwardKernel, [dy, y, axis, log], log ? ULPS : EXACT, `softmaxAxisBackward log ${log}`);
      }
    });
  }

  it('softmax of lines holding -Infinity, all -Infinity (NaN), and an empty axis', () => {
    const I = -Infinity;
    const x = cpuTensor(Float32Array.of(I, 0, I, I, I, 0.5, 1, 7, I, I, I, I), [3, 4]);
    for (const axis of [0, 1]) {
      for (const log of [false, true]) expectAlike(both(R.softmaxAxisKernel, [x, axis, log]), ULPS, `axis ${axis} log ${log}`);
    }
    expect(both(R.softmaxAxisKernel, [cpuTensor(new Float32Array(0), [2, 0]), 1, false])).toEqual([[], []]);
  });

  it('threads split the outputs and lines, and give the bits of one thread', () => {
    const x = grid([6, 9, 13], 70);
    const dy = grid([6, 9, 13], 71);
    const runs: [string, () => Tensor][] = [
      ['reduce', () => be.run(R.reduceKernel, [toWasm(be, x), [1], 'logSumExp'])],
      ['reduceBackward', () => be.run(R.reduceBackwardKernel, [toWasm(be, dy), toWasm(be, x), toWasm(be, R.reduceKernel.cpu(x, [0], 'prod')), [0], 'prod'])],
      ['softmaxAxis', () => be.run(R.softmaxAxisKernel, [toWasm(be, x), 1, false])],
      ['softmaxAxisBackward', () => be.run(R.softmaxAxisBackwardKernel, [toWasm(be, dy), toWasm(be, x), 0, true])],
    ];
    const shared = be.ctx.minWorkPerThread;
    for (const [name, run] of runs) {
      const before = be.ctx.pool?.workerCalls() ?? 0;
      const split = [...run().dataSync()];
      if (TEST_THREADS > 1) expect(be.ctx.pool?.workerCalls(), name).toBeGreaterThan(before);
      be.ctx.minWorkPerThread = Infinity;
      try {
        expect(split, name).toEqual([...run().dataSync()]);
      } finally {
        be.ctx.minWorkPerThread = shared;
      }
    }
  });
});
