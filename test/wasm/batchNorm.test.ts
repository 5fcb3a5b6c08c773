import { beforeAll, describe, expect, it } from 'vitest';
import * as wc from '../../src/index.js';
import { cpuTensor } from '../../src/backend/cpu/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as bn from '../../src/kernels/batchNorm/index.js';
import { expectClose, randomValues } from '../util/check.js';
import { wasmBackend } from './harness.js';
import { ULPS, expectWasmMatch } from './tight.js';

let be: WasmBackend;
beforeAll(async () => { be = await wasmBackend(); });

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const values = (shape: number[], seed: number, lo = -1, hi = 1) => cpuTensor(randomValues(size(shape), seed, lo, hi), shape);

// The statistics sum in f64 as the CPU's do; the element-wise passes run in
// float32 with mean and gamma * invStd rounded to float32: a few ulps (ULPS).

// Channels 6 (a lane group and a tail of 2), 8, 3 (tail only) and 1; an
// off-centre input (mean 2) so that x - mean matters.
const shapes = [[2, 5, 3, 6], [3, 4, 4, 8], [7, 3], [4, 2, 2, 1]];

describe('batchNorm (wasm)', () => {
  it('training by hand: one channel of [1, 2, 3, 4]', () => {
    const r = wc.ops.batchNormTrain(wc.tensor([1, 2, 3, 4], [4, 1]), wc.tensor([1], [1]), wc.tensor([0], [1]), 0);
    expect(r.y.backend.name).toBe('wasm');
    // mean 2.5, biased variance 1.25, invStd 1 / sqrt(1.25) = 0.8944272
    expectClose(r.mean.dataSync(), [2.5], ULPS);
    expectClose(r.variance.dataSync(), [1.25], ULPS);
    expectClose(r.y.dataSync(), [-1.3416408, -0.4472136, 0.4472136, 1.3416408], ULPS);
  });

  for (const shape of shapes) {
    const c = shape[shape.length - 1];
    it(`train, inference, backward on [${shape}]`, () => {
      const x = values(shape, 1, 1, 3);
      const gamma = values([c], 2, 0.5, 1.5);
      const beta = values([c], 3);
      expectWasmMatch(be, bn.batchNormTrainKernel, [x, gamma, beta, 1e-3], ULPS, 'batchNormTrain');
      expectWasmMatch(be, bn.batchNormInferenceKernel, [x, gamma, beta, values([c], 4, 1, 3), values([c], 5, 0.5, 2), 1e-3], ULPS, 'batchNormInference');
      const { mean, invStd } = bn.batchNormTrainKernel.cpu(x, gamma, beta, 1e-3);
      expectWasmMatch(be, bn.batchNormBackwardKernel, [values(shape, 6), x, gamma, mean, invStd], ULPS, 'batchNormBackward');
    });
  }

  it('the moving-average update, in place', () => {
    expectWasmMatch(be, bn.movingAverageUpdateKernel, [values([11], 7), values([11], 8), 0.99], ULPS);
    const v = wc.tensor([1, 2, 3, 4, 5], [5]);
    wc.ops.movingAverageUpdate(v, wc.tensor([3, 2, 1, 0, 5], [5]), 0.75);
    expect([...v.dataSync()]).toEqual([1.5, 2, 2.5, 3, 5]);
  });
});
