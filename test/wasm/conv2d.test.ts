import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import {
  conv2dBackwardFilterKernel, conv2dBackwardInputKernel, conv2dColumnsKernel, conv2dKernel,
} from '../../src/kernels/conv2d/index.js';
import type { Conv2dParams, FusedActivation, Padding } from '../../src/backend/types.js';
import { windowGeometry } from '../../src/kernels/geometry.js';
import { cpuT } from '../harness/cpu.js';
import { randomValues } from '../util/check.js';
import { expectWasmParity, wasmBackend } from './harness.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const rand = (shape: number[], seed: number) => cpuT(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

describe('conv2d (wasm)', () => {
  it("a 'valid' conv of 1..9 (3x3) with a 2x2 kernel of ones gives [12, 16, 24, 28]", () => {
    const x = wc.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const w = wc.tensor([1, 1, 1, 1], [2, 2, 1, 1]);
    const y = wc.ops.conv2d(x, w, null, { strides: [1, 1], padding: 'valid', dilations: [1, 1] });
    expect(y.backend.name).toBe('wasm');
    expect([...y.dataSync()]).toEqual([12, 16, 24, 28]);
  });

  // [x shape, kernel [kh, kw, cin, cout], strides, padding, dilations]
  const cases: [number[], number[], [number, number], Padding, [number, number]][] = [
    [[2, 7, 6, 1], [5, 5, 1, 8], [1, 1], 'valid', [1, 1]],
    [[1, 9, 8, 3], [3, 3, 3, 5], [2, 2], 'same', [1, 1]],
    [[2, 6, 7, 4], [3, 2, 4, 6], [1, 2], [[1, 0], [2, 1]], [1, 1]],
    [[1, 10, 9, 2], [3, 3, 2, 3], [1, 1], 'same', [2, 2]],
    [[3, 5, 5, 6], [1, 1, 6, 7], [1, 1], 'valid', [1, 1]],
    [[1, 8, 8, 5], [1, 1, 5, 4], [2, 2], 'valid', [1, 1]],
    // More output rows than one chunk of columns holds (k = 288): the chunks' seams.
    [[2, 26, 26, 32], [3, 3, 32, 9], [1, 1], 'valid', [1, 1]],
  ];
  for (const [xs, ws, strides, padding, dilations] of cases) {
    const p: Conv2dParams = { strides, padding, dilations };
    const label = `x [${xs}] w [${ws}] strides ${strides} padding ${JSON.stringify(padding)} dilations ${dilations}`;
    it(`${label}: forward, dx, dW and columns match the CPU reference`, () => {
      const g = windowGeometry('test', xs, [ws[0], ws[1]], strides, dilations, padding);
      const x = rand(xs, xs[1] * 3 + ws[3]);
      const w = rand(ws, ws[0] * 5 + ws[2]);
      const dy = rand([g.n, g.oh, g.ow, ws[3]], 99);
      expectWasmParity(be, conv2dKernel, [x, w, null, p, 'linear'] as const, `${label} forward`);
      expectWasmParity(be, conv2dBackwardInputKernel, [dy, w, xs, p] as const, `${label} dx`);
      expectWasmParity(be, conv2dBackwardFilterKernel, [x, dy, ws, p] as const, `${label} dW`);
      expectWasmParity(be, conv2dColumnsKernel, [x, [ws[0], ws[1]], p] as const, `${label} columns`);
    });
  }

  for (const act of ['relu', 'relu6'] as FusedActivation[]) {
    it(`fuses a bias and ${act}`, () => {
      const p: Conv2dParams = { strides: [1, 1], padding: 'same', dilations: [1, 1] };
      expectWasmParity(be, conv2dKernel, [rand([2, 5, 6, 3], 1), rand([3, 3, 3, 10], 2), rand([10], 3), p, act] as const);
    });
  }
});
