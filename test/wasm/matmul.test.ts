import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { biasAddBackwardKernel, biasAddKernel, matmulKernel } from '../../src/kernels/matmul/index.js';
import { batchMatMulKernel } from '../../src/kernels/linalg/index.js';
import type { FusedActivation } from '../../src/backend/types.js';
import { cpuT } from '../harness/cpu.js';
import { randomValues } from '../util/check.js';
import { expectWasmParity, wasmBackend } from './harness.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const rand = (shape: number[], seed: number) => cpuT(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

describe('matmul (wasm)', () => {
  it('[[1, 2], [3, 4]] . [[5, 6], [7, 8]] = [[19, 22], [43, 50]], and with bias [1, -100] and relu [[20, 0], [44, 0]]', () => {
    const a = wc.tensor([[1, 2], [3, 4]]);
    const b = wc.tensor([[5, 6], [7, 8]]);
    expect([...wc.ops.matmul(a, b, false, false).dataSync()]).toEqual([19, 22, 43, 50]);
    expect([...wc.ops.matmul(a, b, false, false, wc.tensor([1, -100]), 'relu').dataSync()]).toEqual([20, 0, 44, 0]);
  });

  // Sizes around the GEMM's blocks: 4-row and 8-column register tiles, 128-row
  // and 256-deep cache blocks (gemm.ts), and their edges.
  const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [4, 8, 256], [13, 17, 300], [133, 9, 513], [40, 70, 3], [2, 130, 1], [129, 33, 257]];
  for (const [m, n, k] of shapes) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`m=${m} n=${n} k=${k}${tA ? ' a^T' : ''}${tB ? ' b^T' : ''} matches the CPU reference`, () => {
        const a = rand(tA ? [k, m] : [m, k], m * 7 + k);
        const b = rand(tB ? [n, k] : [k, n], n * 11 + k);
        expectWasmParity(be, matmulKernel, [a, b, tA, tB, null, 'linear'] as const);
      });
    }
  }

  for (const act of ['linear', 'relu', 'relu6'] as FusedActivation[]) {
    it(`fuses a bias and ${act} (edge tiles too: m=6, n=11, k=37)`, () => {
      const scale = (t: wc.Tensor, s: number) => cpuT(Float32Array.from(t.dataSync(), (v) => v * s), t.shape);
      // Values spread over [-8, 8] so relu6 clips on both sides.
      expectWasmParity(be, matmulKernel, [scale(rand([6, 37], 1), 2), scale(rand([37, 11], 2), 2), false, false, scale(rand([11], 3), 4), act] as const);
    });
  }

  it('k = 0 gives the bias alone', () => {
    expectWasmParity(be, matmulKernel, [cpuT([], [3, 0]), cpuT([], [0, 5]), false, false, rand([5], 4), 'relu'] as const);
  });
});

describe('biasAdd and biasAddBackward (wasm)', () => {
  for (const shape of [[7], [3, 5], [2, 3, 8], [4, 1], [2, 2, 2, 13]]) {
    it(`shape [${shape}]`, () => {
      const c = shape[shape.length - 1];
      expectWasmParity(be, biasAddKernel, [rand(shape, 5), rand([c], 6)] as const);
      expectWasmParity(be, biasAddBackwardKernel, [rand(shape, 7)] as const);
    });
  }
});

describe('batchMatMul (wasm)', () => {
  // [a shape, b shape]: equal batches, broadcast on either side, batch of rank 2.
  const cases: [number[], number[]][] = [[[3, 5, 7], [3, 7, 4]], [[1, 6, 9], [4, 9, 10]], [[2, 3, 5, 6], [3, 6, 2]], [[4, 1, 1], [1, 1, 3]]];
  for (const [as, bs] of cases) {
    for (const [tA, tB] of [[false, false], [true, true]] as const) {
      it(`a [${as}]${tA ? '^T' : ''} . b [${bs}]${tB ? '^T' : ''}`, () => {
        const swap = (s: number[], t: boolean) => (t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
        expectWasmParity(be, batchMatMulKernel, [rand(swap(as, tA), 8), rand(swap(bs, tB), 9), tA, tB] as const);
      });
    }
  }
});
