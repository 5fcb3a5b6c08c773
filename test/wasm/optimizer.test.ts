import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as O from '../../src/kernels/optimizer/index.js';
import { movingAverageUpdateKernel } from '../../src/kernels/batchNorm/index.js';
import { randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

// 4 * 9 + 3 elements: the lane loop and the one-at-a-time tail both run.
const n = 39;
const slot = (seed: number, f: (v: number) => number = (v) => v) => cpuTensor(randomValues(n, seed).map(f), [n]);

// The updates run in float32 where the CPU reference rounds f64 once: a few ulps.
describe('optimizer updates (wasm)', () => {
  it('sgd by hand, in place', () => {
    const w = wc.tensor([1, 2, 3, 4, 5], [5]);
    wc.ops.sgdUpdate(w, wc.tensor([10, 20, 30, 40, 50], [5]), { learningRate: 0.5 });
    expect([...w.dataSync()]).toEqual([-4, -8, -12, -16, -20]);
  });

  it('sgd', () => {
    expectWasmMatch(be, O.sgdUpdateKernel, [slot(1), slot(2), { learningRate: 0.05 }], ULPS);
  });

  for (const nesterov of [false, true]) {
    it(`momentum, nesterov ${nesterov}`, () => {
      expectWasmMatch(be, O.momentumUpdateKernel, [slot(1), slot(2), slot(3), { learningRate: 0.1, momentum: 0.9, nesterov }], ULPS);
    });
  }

  for (const weightDecay of [0, 0.01]) {
    it(`adam, weight decay ${weightDecay}`, () => {
      const p = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay, beta1Power: 0.9 ** 3, beta2Power: 0.999 ** 3 };
      expectWasmMatch(be, O.adamUpdateKernel, [slot(1), slot(2), slot(3), slot(4, Math.abs), p], ULPS);
    });
  }

  for (const centered of [false, true]) {
    it(`rmsprop, centered ${centered}`, () => {
      const p = { learningRate: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered };
      const ms = slot(3, (v) => Math.abs(v) + 1);
      expectWasmMatch(be, O.rmspropUpdateKernel, [slot(1), slot(2), ms, slot(4), centered ? slot(5, (v) => v * 0.1) : null, p], ULPS);
    });
  }

  // A set guard (src/kernels/stepGuard) turns each update into nothing, a clear one changes nothing.
  for (const flag of [1, 0]) {
    it(`sgd, adam and the moving average under a guard with flag ${flag}`, () => {
      const guard = () => cpuTensor(new Float32Array([flag, 3, 7.5, 0]), [4]);
      const adam = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0, beta1Power: 0.9, beta2Power: 0.999 };
      expectWasmMatch(be, O.sgdUpdateKernel, [slot(1), slot(2), { learningRate: 0.05 }, guard()], ULPS);
      expectWasmMatch(be, O.adamUpdateKernel, [slot(1), slot(2), slot(3), slot(4, Math.abs), adam, guard()], ULPS);
      expectWasmMatch(be, movingAverageUpdateKernel, [slot(1), slot(2), 0.9, guard()], ULPS);
    });
  }
});
