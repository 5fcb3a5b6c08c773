import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { LocallyConnected2dParams } from '../../src/backend/types.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as lc from '../../src/kernels/locallyConnected2d/index.js';
import { windowGeometry } from '../../src/kernels/geometry.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const rand = (shape: number[], seed: number) => cpuTensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

// Input channels 1, 3, 4, 5 and 6 (dx's lane tails and none); output
// channels 1, 3, 4, 7, 8, 13 and 20 (the eight- and four-lane passes and the
// scalar tail); strides 1 to 3, unequal ones; a window the whole image; odd
// batches; the last rows and columns unread; one output row.
const cases: [number[], LocallyConnected2dParams, number][] = [
  [[2, 5, 6, 3], { kernelSize: [2, 3], strides: [2, 1] }, 7],
  [[1, 4, 4, 1], { kernelSize: [2, 2], strides: [1, 1] }, 1],
  [[3, 6, 5, 4], { kernelSize: [3, 3], strides: [2, 2] }, 8],
  [[2, 7, 7, 5], { kernelSize: [3, 2], strides: [3, 2] }, 13],
  [[1, 3, 3, 6], { kernelSize: [3, 3], strides: [1, 1] }, 20],
  [[2, 4, 5, 2], { kernelSize: [1, 1], strides: [1, 2] }, 4],
  [[3, 5, 4, 3], { kernelSize: [2, 2], strides: [1, 1] }, 3],
  [[2, 3, 9, 2], { kernelSize: [3, 2], strides: [1, 2] }, 6],
];

describe('locallyConnected2d (wasm)', () => {
  it('runs in wasm: no locally-connected kernel falls back to the CPU', () => {
    const fallback = wc.backendInfo().wasm?.fallbackKernels;
    expect(fallback).toBeDefined();
    for (const name of ['locallyConnected2d', 'locallyConnected2dBackwardInput', 'locallyConnected2dBackwardFilter']) expect(fallback).not.toContain(name);
  });

  it('by hand: each output position has its own weights', () => {
    // 1x3 image [1, 2, 3], kernel 1x2, stride 1: two positions, weights [1, 1] and [10, -1], biases 0 and 100.
    const p: LocallyConnected2dParams = { kernelSize: [1, 2], strides: [1, 1] };
    const x = wc.tensor([1, 2, 3], [1, 1, 3, 1]);
    const w = wc.tensor([1, 1, 10, -1], [2, 2, 1]);
    expect([...wc.ops.locallyConnected2d(x, w, wc.tensor([0, 100], [1, 2, 1]), p).dataSync()]).toEqual([3, 117]);
    // dy [1, 2]: dx gathers 1 * [1, 1] at pixels 0-1 and 2 * [10, -1] at pixels 1-2; dW is each window times its dy.
    const dy = wc.tensor([1, 2], [1, 1, 2, 1]);
    expect([...wc.ops.locallyConnected2dBackwardInput(dy, w, [1, 1, 3, 1], p).dataSync()]).toEqual([1, 21, -2]);
    expect([...wc.ops.locallyConnected2dBackwardFilter(x, dy, [2, 2, 1], p).dataSync()]).toEqual([1, 2, 4, 6]);
  });

  cases.forEach(([xShape, p, cout], i) => {
    const g = windowGeometry('test', xShape, p.kernelSize, p.strides, [1, 1], 'valid');
    const wShape = [g.oh * g.ow, g.kh * g.kw * g.c, cout];
    const yShape = [g.n, g.oh, g.ow, cout];
    const label = `[${xShape}] kernel ${p.kernelSize} stride ${p.strides}, ${cout} out`;

    it(`forward with and without bias, dx and dW: ${label}`, () => {
      const x = rand(xShape, 10 + i);
      const w = rand(wShape, 20 + i);
      const bias = rand([g.oh, g.ow, cout], 30 + i);
      const dy = rand(yShape, 40 + i);
      // f64 sums of exact products in the CPU's order, rounded where it stores: exact.
      expectWasmMatch(be, lc.locallyConnected2dKernel, [x, w, null, p], EXACT, 'locallyConnected2d');
      expectWasmMatch(be, lc.locallyConnected2dKernel, [x, w, bias, p], EXACT, 'locallyConnected2d bias');
      expectWasmMatch(be, lc.locallyConnected2dBackwardInputKernel, [dy, w, xShape, p], EXACT, 'locallyConnected2dBackwardInput');
      expectWasmMatch(be, lc.locallyConnected2dBackwardFilterKernel, [x, dy, wShape, p], EXACT, 'locallyConnected2dBackwardFilter');
    });
  });
});
