// The layout kernels on the wasm backend: answers by hand through the public
// ops, then exact parity with the CPU reference on plans, axes and indices
// chosen to reach every path (merged and unmerged rows, lane tails, long
// runs, repeats, reads outside x, indices outside [0, dim)).

import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { asInt32 } from '../../src/tensor.js';
import * as L from '../../src/kernels/layout/index.js';
import { padPlan, reversePlan, slicePlan, tilePlan, transposePlan, type AxisRead, type CopyPlan } from '../../src/kernels/layout/plan.js';
import { randomValues, rng } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const values = (shape: readonly number[], seed: number) => cpuTensor(randomValues(sizeOf(shape), seed), [...shape]);
const indexTensor = (v: readonly number[], shape: readonly number[]) => asInt32(cpuTensor(Float32Array.from(v), [...shape]));

/** A seeded integer in [lo, hi]. */
function draw(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** A seeded permutation of [0, n). */
function permutation(r: () => number, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = draw(r, 0, i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Any plan the checks allow: each output axis reads a random input axis with a random wrap, step and shift (reads past x give fill). */
function randomPlan(r: () => number, xShape: readonly number[]): CopyPlan {
  const perm = permutation(r, xShape.length);
  const shape = perm.map(() => draw(r, 1, 7));
  const axes = perm.map((from, d): AxisRead => ({
    from, wrap: draw(r, 1, shape[d] + 1), step: r() < 0.5 ? 1 : -1, shift: draw(r, -3, xShape[from] + 2),
  }));
  return { shape, axes, fill: 0.25 };
}

// Copies, and sums whose adds run in the CPU's order: exact.
describe('layout kernels (wasm)', () => {
  it('copies by hand: transpose, slice, pad with -Infinity, tile, broadcastTo, reverse', () => {
    const m = wc.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(m.backend.name).toBe('wasm');
    expect(wc.transpose(m).arraySync()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(wc.slice(m, [0, 1], [2, 2]).arraySync()).toEqual([[2, 3], [5, 6]]);
    expect([...wc.pad(m, [[0, 1], [1, 0]], -Infinity).dataSync()]).toEqual([-Infinity, 1, 2, 3, -Infinity, 4, 5, 6, -Infinity, -Infinity, -Infinity, -Infinity]);
    expect(wc.tile(m, [1, 2]).arraySync()).toEqual([[1, 2, 3, 1, 2, 3], [4, 5, 6, 4, 5, 6]]);
    expect(wc.broadcastTo(wc.tensor([7, 8], [2, 1]), [2, 3]).arraySync()).toEqual([[7, 7, 7], [8, 8, 8]]);
    expect(wc.reverse(m, 1).arraySync()).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(wc.reverse(m).arraySync()).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(wc.reverse(wc.tensor([5], [])).dataSync()[0]).toBe(5);
    const hot = wc.oneHot([1, 0], 2);
    expect(wc.transpose(hot).dtype).toBe('int32');
  });

  it('concatenates by hand along the first, middle and last axes, empty parts included', () => {
    const a = wc.tensor([1, 2, 3, 4], [2, 2]);
    const b = wc.tensor([5, 6], [2, 1]);
    expect(wc.concat([a, b], 1).arraySync()).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(wc.concat([a, wc.tensor([9, 8], [1, 2])], 0).arraySync()).toEqual([[1, 2], [3, 4], [9, 8]]);
    const empty = wc.slice(a, [0, 2], [2, 0]);
    expect(wc.concat([empty, b, empty], 1).arraySync()).toEqual([[5], [6]]);
    const c = wc.concat([wc.tensor([1, 2, 3, 4], [2, 1, 2]), wc.tensor([5, 6, 7, 8], [2, 1, 2])], 1);
    expect(c.arraySync()).toEqual([[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
  });

  it('sums tiles by hand', () => {
    // dy [2, 4] as two by two tiles of [1, 2]: dx[j] = the sum over the column class j mod 2.
    const dy = wc.tensor([1, 2, 3, 4, 10, 20, 30, 40], [2, 4]);
    expect(wc.ops.tileSum(dy, [1, 2]).arraySync()).toEqual([[44, 66]]);
    expect(wc.ops.tileSum(dy, [2, 1]).arraySync()).toEqual([[10], [100]]);
    expect(wc.ops.tileSum(dy, [2, 4]).arraySync()).toEqual([[1, 2, 3, 4], [10, 20, 30, 40]]);
    expect(wc.ops.tileSum(wc.tensor(new Float32Array(0), [0, 3]), [0, 3]).shape).toEqual([0, 3]);
    expect([...wc.ops.tileSum(wc.tensor(new Float32Array(0), [2, 0]), [2, 3]).dataSync()]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('gathers by hand, and throws on an index outside x without leaking its output', () => {
    const m = wc.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(wc.gather(m, [1, 0, 1]).arraySync()).toEqual([[4, 5, 6], [1, 2, 3], [4, 5, 6]]);
    expect(wc.gather(m, [2, 0, 2], 1).arraySync()).toEqual([[3, 1, 3], [6, 4, 6]]);
    expect(wc.gather(m, [[2, 0], [1, 1]], 1, 1).arraySync()).toEqual([[3, 1], [5, 5]]);
    expect(wc.gather(m, [1.9, -0.5], 1).arraySync()).toEqual([[2, 1], [5, 4]]);
    expect(wc.gather(wc.oneHot([1, 0], 2), [1]).dtype).toBe('int32');
    expect(wc.gather(m, wc.tensor(new Float32Array(0), [0]), 1).shape).toEqual([2, 0]);
    const [far, negative, nan] = [wc.tensor([2, 7]), wc.tensor([0, -1.5]), wc.tensor([Number.NaN])];
    const live = be.ctx.heap.stats().liveBlocks;
    expect(() => wc.gather(m, far, 1)).toThrow(/^gather: the index value 7 is not in \[0, 2\]/);
    expect(() => wc.gather(m, negative)).toThrow(/^gather: the index value -1.5 is not in \[0, 1\]/);
    expect(() => wc.gather(m, nan)).toThrow(/^gather: the index value NaN is not in \[0, 1\]/);
    expect(be.ctx.heap.stats().liveBlocks).toBe(live);
  });

  it('scatters gather\'s gradient by hand: repeated indices add up, outside ones add nothing', () => {
    const dy = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [2, 5]);
    const dx = wc.ops.gatherAxisBackward(dy, wc.tensor([2, 0, 2, 5, -1], [5]), [2, 3], 1, 0);
    expect(dx.arraySync()).toEqual([[2, 0, 4], [7, 0, 14]]);
    const rows = wc.ops.gatherAxisBackward(wc.tensor([1, 2, 3, 4, 5, 6], [3, 2]), wc.tensor([1, 1, 0], [3]), [2, 2], 0, 0);
    expect(rows.arraySync()).toEqual([[5, 6], [4, 6]]);
  });

  it('makes one-hot rows by hand: truncated indices, rows of off outside [0, depth)', () => {
    const y = wc.oneHot([0, 3, 2, -1, 1, 2.7, -0.5], 3, 4, -2);
    expect(y.dtype).toBe('int32');
    expect(y.arraySync()).toEqual([[4, -2, -2], [-2, -2, -2], [-2, -2, 4], [-2, -2, -2], [-2, 4, -2], [-2, -2, 4], [4, -2, -2]]);
    const f = wc.oneHot(wc.tensor([1, 0], [2, 1]), 2, 0.5, -0.25, 'float32');
    expect(f.shape).toEqual([2, 1, 2]);
    expect([...f.dataSync()]).toEqual([-0.25, 0.5, 0.5, -0.25]);
  });

  it('strided copies of every builder, ranks 1 to 5', () => {
    const r = rng(17);
    const shapes = [[37], [3, 5], [2, 3, 9], [2, 1, 3, 5], [2, 3, 1, 2, 5], [3, 67], [2, 2, 33]];
    for (const [i, xShape] of shapes.entries()) {
      const x = values(xShape, 100 + i);
      const n = xShape.length;
      const perm = permutation(r, n);
      const begin = xShape.map((s) => draw(r, 0, s - 1));
      const size = xShape.map((s, d) => draw(r, 1, s - begin[d]));
      const paddings = xShape.map((): [number, number] => [draw(r, 0, 3), draw(r, 0, 2)]);
      const reps = xShape.map(() => draw(r, 1, 3));
      const some = xShape.map((_, d) => d).filter(() => r() < 0.5);
      const all = xShape.map((_, d) => d);
      const plans: [string, CopyPlan][] = [
        ['transpose', transposePlan(xShape, perm)],
        ['slice', slicePlan(begin, size)],
        ['pad', padPlan(xShape, paddings, -1.5)],
        ['tile', tilePlan(xShape, reps)],
        ['reverse some', reversePlan(xShape, some)],
        ['reverse all', reversePlan(xShape, all)],
      ];
      for (const [name, plan] of plans) expectWasmMatch(be, L.stridedCopyKernel, [x, plan], EXACT, `${name} of [${xShape}]`);
    }
  });

  it('strided copies of random plans: wraps, both steps, reads that start or end outside x', () => {
    const r = rng(29);
    for (let i = 0; i < 60; i++) {
      const rank = 1 + (i % 5);
      const xShape = Array.from({ length: rank }, () => draw(r, 1, 6));
      const plan = randomPlan(r, xShape);
      expectWasmMatch(be, L.stridedCopyKernel, [values(xShape, 200 + i), plan], EXACT, `plan ${JSON.stringify(plan)} of [${xShape}]`);
    }
  });

  it('strided copies: a broadcast, a long reversed run, a pad of an empty tensor, an axis read wholly outside', () => {
    const x = values([1, 45], 3);
    expectWasmMatch(be, L.stridedCopyKernel, [x, tilePlan([1, 45], [5, 2])], EXACT, 'broadcast rows');
    expectWasmMatch(be, L.stridedCopyKernel, [values([3, 1], 4), tilePlan([3, 1], [2, 7])], EXACT, 'broadcast columns');
    expectWasmMatch(be, L.stridedCopyKernel, [x, { shape: [1, 43], axes: [{ from: 0, wrap: 1, step: 1, shift: 0 }, { from: 1, wrap: 43, step: -1, shift: 44 }], fill: 2 }], EXACT, 'reversed run');
    const empty = cpuTensor(new Float32Array(0), [0, 3]);
    expectWasmMatch(be, L.stridedCopyKernel, [empty, padPlan([0, 3], [[1, 2], [0, 1]], 3.5)], EXACT, 'pad of nothing');
    const outside = { shape: [2, 5], axes: [{ from: 0, wrap: 2, step: 1 as const, shift: 0 }, { from: 1, wrap: 5, step: 1 as const, shift: 45 }], fill: -4 };
    expectWasmMatch(be, L.stridedCopyKernel, [x, outside], EXACT, 'all outside');
    expect(wc.ops.stridedCopy(wc.tensor([1, 2], [1, 2]), { shape: [1, 0], axes: outside.axes, fill: 0 }).shape).toEqual([1, 0]);
  });

  it('concatAxis along every axis, ranks 1 to 4, parts of odd and zero width', () => {
    const shapes = [[7], [3, 5], [2, 3, 9], [2, 1, 3, 5]];
    for (const [i, shape] of shapes.entries()) {
      for (let axis = 0; axis < shape.length; axis++) {
        const widths = [shape[axis], 1, 0, 3, 37];
        const xs = widths.map((w, k) => values(shape.map((s, d) => (d === axis ? w : s)), 10 * i + k));
        expectWasmMatch(be, L.concatAxisKernel, [xs, axis], EXACT, `concat of [${shape}] along ${axis}`);
      }
    }
  });

  it('tileSum over tilings of ranks 1 to 5, tiles along unit and odd axes', () => {
    const cases: [number[], number[]][] = [
      [[7], [3]], [[3, 5], [2, 1]], [[1, 5], [4, 3]], [[3, 1], [2, 9]], [[2, 3, 6], [1, 2, 1]],
      [[2, 1, 3, 5], [2, 3, 1, 2]], [[1, 2, 1, 2, 3], [3, 1, 2, 2, 1]], [[2, 1], [3, 37]], [[1, 1], [5, 7]],
    ];
    for (const [i, [xShape, reps]] of cases.entries()) {
      const dyShape = xShape.map((n, d) => n * reps[d]);
      expectWasmMatch(be, L.tileSumKernel, [values(dyShape, 300 + i), xShape], EXACT, `tileSum of [${dyShape}] to [${xShape}]`);
    }
  });

  it('gatherAxis and its backward along every axis with batch axes, repeated and unordered indices', () => {
    const r = rng(41);
    const shapes = [[9], [5, 3], [2, 4, 37], [2, 3, 5, 2], [2, 2, 3, 2, 5]];
    let seed = 400;
    for (const xShape of shapes) {
      for (let axis = 0; axis < xShape.length; axis++) {
        for (let batchDims = 0; batchDims <= Math.min(axis, 2); batchDims++) {
          const dim = xShape[axis];
          const iShape = [...xShape.slice(0, batchDims), ...(r() < 0.5 ? [5] : [2, 3])];
          const n = sizeOf(iShape);
          // Repeats are likely: 5 or 6 draws from dim values.
          const inside = Array.from({ length: n }, () => draw(r, 0, dim - 1));
          const label = `[${xShape}] axis ${axis} batchDims ${batchDims}`;
          const x = values(xShape, seed++);
          expectWasmMatch(be, L.gatherAxisKernel, [x, indexTensor(inside, iShape), axis, batchDims], EXACT, `gather ${label}`);
          // The backward skips indices outside x (the forward throws on them).
          const mixed = inside.map((v, k) => (k % 4 === 3 ? [dim, -1, dim + 5][k % 3] : v));
          const yShape = [...xShape.slice(0, axis), ...iShape.slice(batchDims), ...xShape.slice(axis + 1)];
          expectWasmMatch(be, L.gatherAxisBackwardKernel, [values(yShape, seed++), indexTensor(mixed, iShape), xShape, axis, batchDims], EXACT, `backward ${label}`);
        }
      }
    }
  });

  it('gather with float indices, and a backward whose many repeats add in order', () => {
    const x = values([6, 5], 7);
    const idx = cpuTensor(Float32Array.of(5.9, 0.3, -0.7, 2, 5), [5]);
    expectWasmMatch(be, L.gatherAxisKernel, [x, idx, 0, 0], EXACT, 'float indices');
    const many = indexTensor(Array.from({ length: 64 }, (_, k) => [3, 1, 3, 0][k % 4]), [64]);
    expectWasmMatch(be, L.gatherAxisBackwardKernel, [values([64, 7], 8), many, [4, 7], 0, 0], EXACT, 'many repeats, rows of 7');
    expectWasmMatch(be, L.gatherAxisBackwardKernel, [values([3, 64], 9), many, [3, 4], 1, 0], EXACT, 'many repeats, single elements');
  });

  it('oneHotRows with indices outside, truncated and of odd depths', () => {
    const idx = cpuTensor(Float32Array.of(0, 4, -1, 2.5, 6, 3, -0.5, 1e9, 5), [3, 3]);
    for (const depth of [1, 5, 6, 37]) {
      expectWasmMatch(be, L.oneHotRowsKernel, [idx, depth, 1, 0], EXACT, `depth ${depth}`);
      expectWasmMatch(be, L.oneHotRowsKernel, [idx, depth, -0.75, 2.5], EXACT, `depth ${depth}, on -0.75, off 2.5`);
    }
  });

  it('no layout kernel falls back to the CPU reference', () => {
    const fallbacks = be.info().fallbackKernels;
    for (const name of ['stridedCopy', 'concatAxis', 'tileSum', 'gatherAxis', 'gatherAxisBackward', 'oneHotRows']) expect(fallbacks).not.toContain(name);
  });
});
