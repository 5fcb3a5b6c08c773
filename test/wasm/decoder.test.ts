import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { upSampling2dBackwardKernel, upSampling2dKernel, type Interpolation, type UpSampling2dParams } from '../../src/kernels/decoder/index.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const rand = (shape: number[], seed: number) => cpuTensor(randomValues(shape.reduce((a, b) => a * b, 1), seed, -3, 3), shape);

// Channels 1, 3, 4, 6 and 9 (lane tails and none), factors 1 to 4, unequal
// ones, one-pixel rows and columns (bilinear's clamp on every output).
const cases: [number[], [number, number]][] = [
  [[2, 3, 4, 3], [2, 2]],
  [[1, 5, 3, 4], [3, 2]],
  [[2, 2, 5, 6], [1, 3]],
  [[1, 4, 4, 9], [4, 1]],
  [[3, 1, 3, 1], [2, 3]],
  [[1, 3, 1, 5], [3, 4]],
  [[1, 2, 2, 7], [1, 1]],
];

describe('upSampling2d (wasm)', () => {
  it('runs in wasm: neither up-sampling kernel falls back to the CPU', () => {
    const fallback = wc.backendInfo().wasm?.fallbackKernels;
    expect(fallback).toBeDefined();
    for (const name of ['upSampling2d', 'upSampling2dBackward']) expect(fallback).not.toContain(name);
  });

  it('by hand: 2x2 nearest and bilinear, and their backwards of ones', () => {
    const x = wc.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const nearest: UpSampling2dParams = { size: [2, 2], interpolation: 'nearest' };
    const bilinear: UpSampling2dParams = { size: [2, 2], interpolation: 'bilinear' };
    expect([...wc.ops.upSampling2d(x, nearest).dataSync()]).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // Half-way blends where the source has a next pixel; the last row and column repeat.
    expect([...wc.ops.upSampling2d(x, bilinear).dataSync()]).toEqual([1, 1.5, 2, 2, 2, 2.5, 3, 3, 3, 3.5, 4, 4, 3, 3.5, 4, 4]);
    const ones = wc.tensor(new Float32Array(16).fill(1), [1, 4, 4, 1]);
    expect([...wc.ops.upSampling2dBackward(ones, [1, 2, 2, 1], nearest).dataSync()]).toEqual([4, 4, 4, 4]);
    // Per axis the first pixel takes 1 + 0.5 of the ones, the last 0.5 + 1 + 1: the outer product.
    expect([...wc.ops.upSampling2dBackward(ones, [1, 2, 2, 1], bilinear).dataSync()]).toEqual([2.25, 3.75, 3.75, 6.25]);
  });

  for (const [shape, size] of cases) {
    for (const interpolation of ['nearest', 'bilinear'] as Interpolation[]) {
      it(`[${shape}] size ${size} ${interpolation}`, () => {
        const p: UpSampling2dParams = { size, interpolation };
        const x = rand(shape, shape[3] + size[0]);
        const yShape = [shape[0], shape[1] * size[0], shape[2] * size[1], shape[3]];
        const dy = rand(yShape, 2 * shape[3] + size[1]);
        // Copies and float32 sums in the CPU's order, or its f64 blends: exact.
        expectWasmMatch(be, upSampling2dKernel, [x, p], EXACT, 'upSampling2d');
        expectWasmMatch(be, upSampling2dBackwardKernel, [dy, shape, p], EXACT, 'upSampling2dBackward');
      });
    }
  }
});
