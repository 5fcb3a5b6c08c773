// Steady state: after a warm-up forward + backward step of a conv + dense
// computation, an identical step creates no GPU buffers and no pipelines, and
// wc.memory() returns to its baseline once everything is disposed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

describe('webgpu memory', () => {
  it('a second training step allocates nothing new', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as Gpu;
      const baseline = wc.memory();
      const p = { strides: [1, 1], padding: 'same', dilations: [1, 1] } as const;
      const rnd = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + s) * 0.5);
      const x = wc.tensor(rnd(2 * 6 * 6 * 1, 1), [2, 6, 6, 1]);
      const w1 = wc.tensor(rnd(3 * 3 * 1 * 4, 2), [3, 3, 1, 4]);
      const b1 = wc.tensor(rnd(4, 3), [4]);
      const w2 = wc.tensor(rnd(144 * 10, 4), [144, 10]);
      const b2 = wc.tensor(rnd(10, 5), [10]);
      const dProbs = wc.tensor(rnd(20, 6), [2, 10]);
      const step = async () => {
        const grads = wc.tidy(() => {
          // forward: conv + bias + relu, flatten, dense + bias, softmax
          const z1 = wc.ops.conv2d(x, w1, b1, p);
          const h1 = wc.ops.activation(z1, 'relu', 0);
          const flat = h1.reshape([2, 144]);
          const probs = wc.ops.softmax(wc.ops.biasAdd(wc.ops.matmul(flat, w2, false, false), b2));
          // backward, in reverse
          const dLogits = wc.ops.softmaxBackward(dProbs, probs);
          const dW2 = wc.ops.matmul(flat, dLogits, true, false);
          const dB2 = wc.ops.biasAddBackward(dLogits);
          const dZ1 = wc.ops.activationBackward(wc.ops.matmul(dLogits, w2, false, true).reshape([2, 6, 6, 4]), z1, h1, 'relu', 0);
          const dW1 = wc.ops.conv2dBackwardFilter(x, dZ1, w1.shape, p);
          const dB1 = wc.ops.biasAddBackward(dZ1);
          const dX = wc.ops.conv2dBackwardInput(dZ1, w1, x.shape, p);
          return [dW1, dB1, dW2, dB2, dX];
        });
        const sums = [];
        for (const g of grads) sums.push((await g.data()).reduce((a, b) => a + Math.abs(b), 0));
        for (const g of grads) g.dispose();
        return sums;
      };
      const warm = await step();
      const afterWarmUp = be.stats();
      const second = await step();
      const afterSecond = be.stats();
      for (const t of [x, w1, b1, w2, b2, dProbs]) t.dispose();
      return { warm, second, afterWarmUp, afterSecond, baseline, end: wc.memory() };
    }, null);
    expect(r.second).toEqual(r.warm);
    expect(r.warm.every((s) => s > 0), 'every gradient is non-zero').toBe(true);
    expect(r.afterSecond.buffersCreated).toBe(r.afterWarmUp.buffersCreated);
    expect(r.afterSecond.stagingCreated).toBe(r.afterWarmUp.stagingCreated);
    expect(r.afterSecond.pipelines).toBe(r.afterWarmUp.pipelines);
    expect(r.afterSecond.pipelinesCreatedSync).toBe(0);
    expect(r.end).toEqual(r.baseline);
  });
});
