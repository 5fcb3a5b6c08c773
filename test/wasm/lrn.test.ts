import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { lrnBackwardKernel, lrnKernel, type LrnParams } from '../../src/kernels/lrn/index.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const rand = (shape: number[], seed: number, lo = -2, hi = 2) => cpuTensor(randomValues(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape);

// Channels 1, 3, 5, 7, 16 and 19: windows clipped at both ends, none whole
// (radius past the channels), odd counts of whole ones (the lane pairs' tail);
// radius 0; TF.js's defaults, AlexNet's, beta 1 and beta -0.5 (pow's special
// exponents -1 and 0.5), a negative alpha.
const cases: [number[], LrnParams][] = [
  [[2, 3, 4, 7], { depthRadius: 2, bias: 1, alpha: 1, beta: 0.5 }],
  [[1, 2, 3, 5], { depthRadius: 0, bias: 2, alpha: 1e-4, beta: 0.75 }],
  [[1, 2, 2, 3], { depthRadius: 5, bias: 1, alpha: 1, beta: 0.5 }],
  [[2, 3, 3, 16], { depthRadius: 5, bias: 2, alpha: 1e-4, beta: 0.75 }],
  [[1, 3, 2, 19], { depthRadius: 3, bias: 0.5, alpha: 0.3, beta: 1 }],
  [[2, 2, 3, 1], { depthRadius: 1, bias: 1.5, alpha: 0.2, beta: -0.5 }],
  [[1, 2, 5, 9], { depthRadius: 1, bias: 3, alpha: -0.1, beta: 0.5 }],
];

describe('lrn (wasm)', () => {
  it('runs in wasm: neither lrn kernel falls back to the CPU', () => {
    const fallback = wc.backendInfo().wasm?.fallbackKernels;
    expect(fallback).toBeDefined();
    for (const name of ['lrn', 'lrnBackward']) expect(fallback).not.toContain(name);
  });

  it('by hand: x / sqrt(1 + sum of squares), and its gradient at radius 0', () => {
    // Two channels, radius 1: both windows hold both, so the norm is 1 + 1 + 4 = 6.
    const y = wc.ops.lrn(wc.tensor([1, 2], [1, 1, 1, 2]), { depthRadius: 1, bias: 1, alpha: 1, beta: 0.5 });
    expect([...y.dataSync()]).toEqual([Math.fround(1 / Math.sqrt(6)), Math.fround(2 / Math.sqrt(6))]);
    // Radius 0, beta 1: y = x / (1 + x^2), dy/dx = (1 - x^2) / (1 + x^2)^2: at 2, 0.4 and -0.12.
    const p = { depthRadius: 0, bias: 1, alpha: 1, beta: 1 };
    const x = wc.tensor([2, 0], [1, 1, 2, 1]);
    expect([...wc.ops.lrn(x, p).dataSync()]).toEqual([Math.fround(0.4), 0]);
    const dx = wc.ops.lrnBackward(wc.tensor([1, 3], [1, 1, 2, 1]), x, p).dataSync();
    expect(dx[0]).toBeCloseTo(-0.12, 6);
    expect(dx[1]).toBe(3);
  });

  for (const [shape, p] of cases) {
    it(`forward and backward: [${shape}] ${JSON.stringify(p)}`, () => {
      const x = rand(shape, shape[3] + p.depthRadius);
      const dy = rand(shape, 7 * shape[3]);
      // f64 in the CPU's order, but AssemblyScript's pow (musl's) and V8's
      // may differ in the last f64 bit: a few ulps at most.
      expectWasmMatch(be, lrnKernel, [x, p], ULPS, 'lrn');
      expectWasmMatch(be, lrnBackwardKernel, [dy, x, p], ULPS, 'lrnBackward');
    });
  }

  it('the public op and its gradient on wasm match the CPU backend', async () => {
    const xv = randomValues(2 * 3 * 3 * 6, 9);
    const run = () => {
      const xt = wc.tensor(xv, [2, 3, 3, 6]);
      const { value, grads } = wc.valueAndGrads((a: wc.Tensor) => wc.localResponseNormalization(a, 2, 1, 0.5, 0.75).square().sum())([xt]);
      return [value.dataSync(), grads[0].dataSync()].map((v) => [...v]);
    };
    const onWasm = run();
    await wc.setBackend('cpu');
    const onCpu = run();
    be = await wasmBackend();
    onWasm.forEach((v, j) => v.forEach((a, e) => expect(a).toBeCloseTo(onCpu[j][e], 5)));
  });
});
