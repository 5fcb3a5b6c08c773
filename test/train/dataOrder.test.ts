// fit's data order on the CPU backend, pinned: shuffling, seeds, shuffle: false,
// validationSplit's held-out tail and validationData (test/train/pinned.ts
// holds the runs; test/gpu/dataOrder.test.ts runs them on WebGPU). Batch norm
// in inference against a hand-computed answer with a nonzero epsilon.

import { beforeAll, describe, it } from 'vitest';
import * as wc from '../../src/index.js';
import { batchNormInferenceRun, expectBatchNormInference, expectOrderRuns, orderRuns } from './pinned.js';

describe('pinned behaviour (cpu)', () => {
  beforeAll(async () => { await wc.setBackend('cpu'); });

  it("fit's batches: shuffled per epoch, reproducible by seed, in order without shuffle; validation rows never trained", async () => {
    expectOrderRuns(await orderRuns(wc));
  });

  it('batchNormalization in inference: epsilon inside the square root, alone and folded into a conv', async () => {
    // float32 of a few operations on values near 1: 1e-5
    expectBatchNormInference(await batchNormInferenceRun(wc), 1e-5);
  });
});
