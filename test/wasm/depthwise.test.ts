import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { Conv2dParams, FusedActivation } from '../../src/backend/types.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as dw from '../../src/kernels/depthwise/index.js';
import { depthwiseGeometry } from '../../src/kernels/depthwise/geometry.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const rand = (shape: number[], seed: number) => cpuTensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

interface Case { x: number[]; k: [number, number]; m: number; p: Conv2dParams }

// Channels 1, 3, 5 and 8 (lane tails and none), multipliers 1 and 2, strides
// 1 and 2, dilation 2, 'same', 'valid' and explicit padding, batches of 1-3;
// then channels past 16.
const cases: Case[] = [
  { x: [2, 7, 9, 1], k: [3, 3], m: 1, p: { strides: [1, 1], dilations: [1, 1], padding: 'same' } },
  { x: [3, 6, 5, 3], k: [3, 3], m: 2, p: { strides: [2, 2], dilations: [1, 1], padding: 'same' } },
  { x: [2, 8, 7, 5], k: [3, 2], m: 1, p: { strides: [1, 2], dilations: [1, 1], padding: 'valid' } },
  { x: [1, 9, 9, 8], k: [3, 3], m: 1, p: { strides: [1, 1], dilations: [2, 2], padding: 'same' } },
  { x: [2, 7, 6, 8], k: [3, 3], m: 2, p: { strides: [2, 2], dilations: [1, 1], padding: 'valid' } },
  { x: [2, 6, 7, 5], k: [2, 3], m: 2, p: { strides: [1, 1], dilations: [2, 1], padding: [[1, 2], [0, 1]] } },
  { x: [1, 5, 6, 3], k: [3, 3], m: 1, p: { strides: [2, 2], dilations: [1, 1], padding: [[2, 0], [1, 1]] } },
  { x: [2, 10, 10, 8], k: [5, 5], m: 1, p: { strides: [2, 2], dilations: [1, 1], padding: 'same' } },
  // Wide channels, for the interior pixels' 16-channel blocks: 21 = 16 + 4 + 1, 37 = 2·16 + 4 + 1.
  { x: [2, 6, 7, 21], k: [3, 3], m: 1, p: { strides: [1, 1], dilations: [1, 1], padding: 'same' } },
  { x: [1, 9, 8, 37], k: [3, 3], m: 1, p: { strides: [1, 1], dilations: [2, 2], padding: [[1, 0], [2, 1]] } },
  { x: [2, 7, 9, 20], k: [3, 3], m: 1, p: { strides: [2, 2], dilations: [1, 1], padding: 'valid' } },
  { x: [1, 5, 5, 18], k: [3, 3], m: 2, p: { strides: [1, 1], dilations: [1, 1], padding: 'same' } },
];

const activations: FusedActivation[] = ['linear', 'relu', 'relu6'];

describe('depthwise convolution (wasm)', () => {
  it('runs in wasm: no depthwise kernel falls back to the CPU', () => {
    const fallback = wc.backendInfo().wasm?.fallbackKernels;
    expect(fallback).toBeDefined();
    for (const name of ['depthwiseConv2d', 'depthwiseConv2dBackwardInput', 'depthwiseConv2dBackwardFilter']) expect(fallback).not.toContain(name);
  });

  cases.forEach(({ x: xShape, k, m, p }, i) => {
    const fShape = [k[0], k[1], xShape[3], m];
    const g = depthwiseGeometry('test', xShape, fShape, p);
    const yShape = [g.n, g.oh, g.ow, g.c * g.m];
    const label = `[${xShape}] filter [${fShape}] stride ${p.strides} dilation ${p.dilations} padding ${JSON.stringify(p.padding)}`;

    it(`forward, plain and with bias and each activation: ${label}`, () => {
      const x = rand(xShape, 10 + i);
      const f = rand(fShape, 20 + i);
      const bias = rand([g.c * g.m], 30 + i);
      // float32 sums against the reference's float64 products: a few ulps.
      expectWasmMatch(be, dw.depthwiseConv2dKernel, [x, f, p], ULPS, 'depthwiseConv2d');
      for (const a of activations) expectWasmMatch(be, dw.depthwiseConv2dKernel, [x, f, p, bias, a], ULPS, `depthwiseConv2d ${a}`);
    });

    it(`dx and dW: ${label}`, () => {
      const x = rand(xShape, 40 + i);
      const f = rand(fShape, 50 + i);
      const dy = rand(yShape, 60 + i);
      expectWasmMatch(be, dw.depthwiseConv2dBackwardInputKernel, [dy, f, xShape, p], ULPS, 'depthwiseConv2dBackwardInput');
      expectWasmMatch(be, dw.depthwiseConv2dBackwardFilterKernel, [x, dy, fShape, p], ULPS, 'depthwiseConv2dBackwardFilter');
    });
  });

  it('the public op and its gradient on wasm match the CPU backend', async () => {
    const x = randomValues(2 * 6 * 6 * 3, 7);
    const f = randomValues(3 * 3 * 3 * 2, 8);
    const run = () => {
      const xt = wc.tensor(x, [2, 6, 6, 3]);
      const ft = wc.tensor(f, [3, 3, 3, 2]);
      const { value, grads } = wc.valueAndGrads((a: wc.Tensor, b: wc.Tensor) => wc.depthwiseConv2d(a, b, 2, 'same').square().sum())([xt, ft]);
      return [value.dataSync(), grads[0].dataSync(), grads[1].dataSync()].map((v) => [...v]);
    };
    const onWasm = run();
    await wc.setBackend('cpu');
    const onCpu = run();
    be = await wasmBackend();
    onWasm.forEach((v, j) => v.forEach((a, e) => expect(a).toBeCloseTo(onCpu[j][e], 3)));
  });
});
