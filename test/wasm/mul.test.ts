import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { mulKernel } from '../../src/kernels/mul.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { EXACT, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const values = (shape: number[], seed: number) => cpuTensor(randomValues(shape.reduce((a, b) => a * b, 1), seed, -3, 3), shape);

// A float32 product is exact in f64, so float32 lanes round it as the CPU does: exact.
describe('mul (wasm)', () => {
  it('runs in wasm, by hand, with its gradient', () => {
    expect(be.info().fallbackKernels).not.toContain('mul');
    const a = wc.tensor([1, -2, 3, 0.5, 7], [5]);
    const b = wc.tensor([4, 5, -6, 8, 0], [5]);
    const c = wc.ops.mul(a, b);
    expect(c.backend.name).toBe('wasm');
    expect([...c.dataSync()]).toEqual([4, -10, -18, 4, 0]);
    const [da, db] = wc.ops.mulBackward(wc.tensor([1, 1, 2, 2, 1], [5]), a, b);
    expect([...da.dataSync()]).toEqual([4, 5, -12, 16, 0]);
    expect([...db.dataSync()]).toEqual([1, -2, 6, 1, 7]);
  });

  for (const shape of [[1], [3], [4], [3, 7, 5], [2, 64]]) {
    it(`[${shape}]: lanes and a tail`, () => {
      expectWasmMatch(be, mulKernel, [values(shape, 1), values(shape, 2)], EXACT, `mul [${shape}]`);
    });
  }
});
