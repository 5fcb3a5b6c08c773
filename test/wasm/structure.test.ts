import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as S from '../../src/kernels/structure/index.js';
import * as D from '../../src/kernels/dropout/index.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const values = (shape: number[], seed: number) => cpuTensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

// Copies, one float32 add or product per element, and the dropout mask's
// integer arithmetic: exact. scale rounds its factor to float32 first, and the
// full sum adds in another order (four running f64 sums): a few ulps.
describe('structure and dropout (wasm)', () => {
  it('zero padding by hand, and its crop', () => {
    const x = wc.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = wc.ops.zeroPad2d(x, [[1, 0], [0, 1]]);
    expect(y.backend.name).toBe('wasm');
    expect(y.shape).toEqual([1, 3, 3, 1]);
    expect([...y.dataSync()]).toEqual([0, 0, 0, 1, 2, 0, 3, 4, 0]);
    expect([...wc.ops.zeroPad2dBackward(y, [[1, 0], [0, 1]]).dataSync()]).toEqual([1, 2, 3, 4]);
  });

  for (const [shape, pads] of [[[2, 3, 5, 3], [[1, 2], [0, 3]]], [[1, 4, 4, 8], [[2, 2], [1, 1]]]] as const) {
    it(`zeroPad2d and its backward on [${shape}], pads ${JSON.stringify(pads)}`, () => {
      expectWasmMatch(be, S.zeroPad2dKernel, [values([...shape], 1), pads], EXACT);
      const padded = [shape[0], shape[1] + pads[0][0] + pads[0][1], shape[2] + pads[1][0] + pads[1][1], shape[3]];
      expectWasmMatch(be, S.zeroPad2dBackwardKernel, [values(padded, 2), pads], EXACT);
    });
  }

  it('add, scale and sum on a length with a lane tail', () => {
    expectWasmMatch(be, S.addKernel, [values([3, 7, 5], 3), values([3, 7, 5], 4)], EXACT);
    expectWasmMatch(be, S.scaleKernel, [values([3, 7, 5], 5), -0.37], ULPS);
    for (const n of [1, 3, 4, 1001]) expectWasmMatch(be, S.sumKernel, [values([n], 6)], ULPS, `sum of ${n}`);
  });

  it('concat along the last axis and its split, widths 3, 1 and 6', () => {
    const xs = [values([2, 3, 3], 7), values([2, 3, 1], 8), values([2, 3, 6], 9)];
    expectWasmMatch(be, S.concatKernel, [xs], EXACT);
    expectWasmMatch(be, S.concatBackwardKernel, [values([2, 3, 10], 10), [3, 1, 6]], EXACT);
    const y = wc.ops.concat([wc.tensor([1, 2], [2, 1]), wc.tensor([3, 4, 5, 6], [2, 2])]);
    expect([...y.dataSync()]).toEqual([1, 3, 4, 2, 5, 6]);
  });

  it('gatherRows', () => {
    expectWasmMatch(be, S.gatherRowsKernel, [values([5, 3, 2], 11), Int32Array.of(4, 0, 0, 2)], EXACT);
  });

  it('dropout and its backward draw the CPU reference\'s mask', () => {
    for (const [rate, seed] of [[0.5, 7], [0.1, 123456789], [0, 1]] as const) {
      expectWasmMatch(be, D.dropoutKernel, [values([3, 37], 12), rate, seed], EXACT, `dropout ${rate}`);
      expectWasmMatch(be, D.dropoutBackwardKernel, [values([3, 37], 13), rate, seed], EXACT, `dropoutBackward ${rate}`);
    }
  });
});
