import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { Pool2dParams } from '../../src/backend/types.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as pool from '../../src/kernels/pool2d/index.js';
import { windowGeometry } from '../../src/kernels/geometry.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

/** Values on a grid of quarters, so windows hold ties (the first one must win). */
function input(shape: number[], seed: number) {
  const v = randomValues(shape.reduce((a, b) => a * b, 1), seed).map((x) => Math.round(x * 4) / 4);
  return cpuTensor(v, shape);
}

// Odd sizes, channels not a multiple of 4 (lane tails), 'same' padding with
// partial windows, strides > 1, overlapping windows and non-square ones.
const cases: [number[], Pool2dParams][] = [
  [[2, 7, 9, 6], { poolSize: [3, 3], strides: [2, 2], padding: 'same' }],
  [[1, 6, 6, 8], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }],
  [[2, 5, 5, 3], { poolSize: [3, 2], strides: [1, 2], padding: 'same' }],
  [[1, 4, 7, 5], { poolSize: [2, 3], strides: [3, 1], padding: 'valid' }],
  // 2x2 stride 2 over channels in fours (the unclipped fast path): odd sizes leave the last row and column unread;
  // 'same' on odd sizes clips the last windows (the general path).
  [[3, 7, 9, 8], { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }],
  [[2, 5, 7, 4], { poolSize: [2, 2], strides: [2, 2], padding: 'same' }],
];

describe('pool2d (wasm)', () => {
  it('max and average pooling by hand, average counting only real pixels', () => {
    const x = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expect([...wc.ops.maxPool2d(x, { poolSize: [2, 2], strides: [2, 2], padding: 'same' }).dataSync()]).toEqual([5, 6, 8, 9]);
    // 'same' 3x3 windows over 3x3 at stride 2: out 2x2, pads 1 each side of [1, 3] -> top-left window is (1 2 4 5).
    expect([...wc.ops.avgPool2d(x, { poolSize: [2, 2], strides: [2, 2], padding: 'same' }).dataSync()]).toEqual([3, 4.5, 7.5, 9]);
  });

  for (const [shape, p] of cases) {
    const g = windowGeometry('test', shape, p.poolSize, p.strides, [1, 1], p.padding);
    const yShape = [g.n, g.oh, g.ow, g.c];
    const label = `[${shape}] pool ${p.poolSize} stride ${p.strides} ${p.padding}`;

    it(`max and min pooling and their backwards, first extreme among ties: ${label}`, () => {
      const x = input(shape, 3);
      const dy = cpuTensor(randomValues(yShape.reduce((a, b) => a * b), 4), yShape);
      // The same comparisons and the same order of additions as the CPU: exact.
      expectWasmMatch(be, pool.maxPool2dKernel, [x, p], EXACT, 'maxPool2d');
      expectWasmMatch(be, pool.maxPool2dBackwardKernel, [dy, x, p], EXACT, 'maxPool2dBackward');
      expectWasmMatch(be, pool.minPool2dKernel, [x, p], EXACT, 'minPool2d');
      expectWasmMatch(be, pool.minPool2dBackwardKernel, [dy, x, p], EXACT, 'minPool2dBackward');
    });

    it(`average, sum and L2 pooling and their backwards: ${label}`, () => {
      const x = input(shape, 5);
      const dy = cpuTensor(randomValues(yShape.reduce((a, b) => a * b), 6), yShape);
      // Window sums in float32 against float64: a few ulps.
      expectWasmMatch(be, pool.avgPool2dKernel, [x, p], ULPS, 'avgPool2d');
      expectWasmMatch(be, pool.avgPool2dBackwardKernel, [dy, shape, p], ULPS, 'avgPool2dBackward');
      expectWasmMatch(be, pool.sumPool2dKernel, [x, p], ULPS, 'sumPool2d');
      expectWasmMatch(be, pool.sumPool2dBackwardKernel, [dy, shape, p], ULPS, 'sumPool2dBackward');
      expectWasmMatch(be, pool.l2Pool2dKernel, [x, p], ULPS, 'l2Pool2d');
      expectWasmMatch(be, pool.l2Pool2dBackwardKernel, [dy, x, pool.l2Pool2dKernel.cpu(x, p), p], ULPS, 'l2Pool2dBackward');
    });
  }

  it('2x2 max pooling keeps a NaN in the first tap and ignores one after it, as the CPU reference does', () => {
    // one pixel row pair, 2 output pixels, 4 channels: channel 0 NaN first, channel 1 NaN second, channel 2 ties, channel 3 plain
    const N = NaN;
    const x = wc.tensor([
      N, 1, 5, 1, 2, N, 5, 2, 7, 7, 7, 7, 1, 1, 1, 1,
      3, 4, 5, 4, 1, 2, 4, 3, 1, 1, 1, 9, 8, 8, 8, 8,
    ], [1, 2, 4, 4]);
    const y = [...wc.ops.maxPool2d(x, { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }).dataSync()];
    expect(y).toEqual([N, 4, 5, 4, 8, 8, 8, 9]);
    expectWasmMatch(be, pool.maxPool2dKernel, [input([1, 2, 4, 4], 1), { poolSize: [2, 2], strides: [2, 2], padding: 'valid' }], EXACT, 'maxPool2d');
  });

  it('an L2 window of zeros passes no gradient', () => {
    const x = wc.tensor([0, 0, 1, 2, 0, 0, 2, 4], [1, 2, 4, 1]);
    const p: Pool2dParams = { poolSize: [2, 2], strides: [2, 2], padding: 'valid' };
    const y = wc.ops.l2Pool2d(x, p);
    expect([...y.dataSync()]).toEqual([0, 5]);
    const dx = wc.ops.l2Pool2dBackward(wc.tensor([1, 10], [1, 1, 2, 1]), x, y, p);
    // dx = dy * x / y: 10 * [1, 2, 2, 4] / 5.
    expect([...dx.dataSync()]).toEqual([0, 0, 2, 4, 0, 0, 4, 8]);
  });
});
