// fit's data order and batch norm's inference on WebGPU: the very runs of
// test/train/pinned.ts (sent to the page as source text), held to the same
// expectations as on the CPU.

import { afterAll, beforeAll, describe, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';
import { batchNormInferenceRun, expectBatchNormInference, expectOrderRuns, orderRuns, type BatchNormInferenceRun, type OrderRuns } from '../train/pinned.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

/** Runs one of pinned.ts's functions in the page with the page's webcnn. */
function inPage<R>(fn: (w: never) => Promise<R>): Promise<R> {
  return gp.run(async ({ wc }, a) => (0, eval)(`(${a.src})`)(wc) as Promise<R>, { src: fn.toString() });
}

describe('pinned behaviour (webgpu)', () => {
  it("fit's batches: shuffled per epoch, reproducible by seed, in order without shuffle; validation rows never trained", async () => {
    expectOrderRuns(await inPage<OrderRuns>(orderRuns));
  });

  it('batchNormalization in inference: epsilon inside the square root, alone and folded into a conv', async () => {
    // float32 on the GPU, a fused conv epilogue included: 1e-5
    expectBatchNormInference(await inPage<BatchNormInferenceRun>(batchNormInferenceRun), 1e-5);
  });
});
