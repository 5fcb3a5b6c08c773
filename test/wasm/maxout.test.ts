import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { maxoutBackwardKernel, maxoutKernel } from '../../src/kernels/maxout/index.js';
import { maxoutLayout } from '../../src/kernels/maxout/layout.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

/** Values on a grid of quarters, so units hold ties (the first one must win). */
function input(shape: number[], seed: number) {
  const v = randomValues(shape.reduce((a, b) => a * b, 1), seed).map((x) => Math.round(x * 4) / 4);
  return cpuTensor(v, shape);
}

// The last axis (NHWC channels) with blocks of 1, 3, 5, 8 and 9 elements
// (lane tails and none), a middle axis and the first, one unit (one group),
// group 1 (the identity), and a rank-2 tensor.
const cases: [number[], number, number][] = [
  [[2, 3, 5, 12], 3, 3],
  [[2, 3, 4, 10], 5, 3],
  [[1, 2, 3, 16], 8, 3],
  [[3, 2, 2, 18], 9, 3],
  [[2, 6, 3, 3], 2, 1],
  [[6, 5, 7], 3, 0],
  [[2, 4, 3], 1, 1],
  [[2, 7], 7, 1],
  [[4, 9], 1, 1],
];

describe('maxout (wasm)', () => {
  it('runs in wasm: neither maxout kernel falls back to the CPU', () => {
    const fallback = wc.backendInfo().wasm?.fallbackKernels;
    expect(fallback).toBeDefined();
    for (const name of ['maxout', 'maxoutBackward']) expect(fallback).not.toContain(name);
  });

  it('by hand: unit u is the first maximum of features u, u + units, ...; dy goes there', () => {
    // 6 features, 2 units: unit 0 = max(4, 4, 2) (a tie: the first), unit 1 = max(1, 7, 7).
    const x = wc.tensor([4, 1, 4, 7, 2, 7, 1, 2, 3, 4, 5, -6], [2, 6]);
    expect([...wc.ops.maxout(x, 2, 1).dataSync()]).toEqual([4, 7, 5, 4]);
    const dx = wc.ops.maxoutBackward(wc.tensor([10, 20, 30, 40], [2, 2]), x, 2, 1);
    expect([...dx.dataSync()]).toEqual([10, 0, 0, 20, 0, 0, 0, 0, 0, 40, 30, 0]);
  });

  for (const [shape, units, axis] of cases) {
    it(`[${shape}], ${units} units on axis ${axis}`, () => {
      const x = input(shape, shape.length + units);
      const out = maxoutLayout(shape, units, axis).outShape;
      const dy = cpuTensor(randomValues(out.reduce((a, b) => a * b, 1), 3), out);
      // Comparisons and selections, dy added to 0: exact.
      expectWasmMatch(be, maxoutKernel, [x, units, axis], EXACT, 'maxout');
      expectWasmMatch(be, maxoutBackwardKernel, [dy, x, units, axis], EXACT, 'maxoutBackward');
    });
  }

  it('keeps a NaN in the first candidate and ignores one after it, as the CPU reference does', () => {
    const N = NaN;
    // 2 units, blocks of 5 (four lanes and a tail): NaN first in lanes 0 and 4, NaN second in lane 1.
    const v = [N, 1, 5, 2, N, 3, 4, 7, 1, 2, 6, 8, 4, 9, 1, 1, 3, 2, 8, 8, 2, N, 0, 1, 1, 0, 1, 1, 1, 1];
    const x = wc.tensor(v, [1, 30]);
    const want = maxoutKernel.cpu(cpuTensor(Float32Array.from(v), [1, 30]), 5, 1).dataSync();
    expect([...wc.ops.maxout(x, 5, 1).dataSync()]).toEqual([...want]);
    const dy = wc.tensor(randomValues(5, 4), [1, 5]);
    const wantDx = maxoutBackwardKernel.cpu(cpuTensor(dy.dataSync() as Float32Array, [1, 5]), cpuTensor(Float32Array.from(v), [1, 30]), 5, 1).dataSync();
    expect([...wc.ops.maxoutBackward(dy, x, 5, 1).dataSync()]).toEqual([...wantDx]);
  });
});
