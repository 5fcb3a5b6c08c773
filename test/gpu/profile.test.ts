// wc.profile on WebGPU: every dispatch is counted under the kernel
// that recorded it, times come from GPU timestamps where the device has them
// (from queue completion otherwise, or when asked), shares sum to 1, and the
// backend is left as it was.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

for (const timing of ['default', 'submitted-work-done'] as const) {
  it(`counts and times the kernels of hand-made calls and of a training step (${timing})`, async () => {
    const r = await gp.run(async ({ wc, engine }, mode) => {
      type Be = import('../../src/backend/webgpu/index.js').WebGpuBackend;
      const be = engine.backend() as Be;
      const options = mode === 'default' ? {} : { timing: mode };
      const p = { strides: [1, 1], padding: 'same', dilations: [1, 1] } as const;
      const a = wc.tensor(new Float32Array(16 * 16).fill(0.5), [16, 16]);
      const x = wc.tensor(new Float32Array(2 * 8 * 8 * 3).fill(0.25), [2, 8, 8, 3]);
      const w = wc.tensor(new Float32Array(3 * 3 * 3 * 4).fill(0.1), [3, 3, 3, 4]);
      // Dispatches one conv2d records, measured outside any profile.
      let before = be.stats().dispatches;
      wc.ops.conv2d(x, w, null, p).dispose();
      const perConv = be.stats().dispatches - before;
      await be.sync();

      before = be.stats().dispatches;
      const calls = await wc.profile(async () => {
        for (let i = 0; i < 3; i++) wc.ops.matmul(a, a, false, false).dispose();
        for (let i = 0; i < 2; i++) wc.ops.conv2d(x, w, null, p).dispose();
      }, options);
      const dispatched = be.stats().dispatches - before;

      const model = wc.sequential({ layers: [
        wc.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu' }),
        wc.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
        wc.layers.flatten(),
        wc.layers.dense({ units: 2, activation: 'softmax' }),
      ] });
      model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      const ys = wc.tensor([1, 0, 0, 1], [2, 2]);
      await model.trainOnBatch(x, ys); // warm-up
      const step = await wc.profile(() => model.trainOnBatch(x, ys), options);

      const sum = (ks: { calls: number; share: number; name: string }[], f: (k: { calls: number; share: number; name: string }) => number) => ks.reduce((s, k) => s + f(k), 0);
      const out = {
        timestampQuery: be.ctx.gpu.timestampQuery,
        calls: { timing: calls.timing, names: calls.kernels.map((k) => k.name), total: sum(calls.kernels, (k) => k.calls), dispatched,
          matmul: sum(calls.kernels.filter((k) => k.name.startsWith('matmul/')), (k) => k.calls),
          conv: sum(calls.kernels.filter((k) => k.name.startsWith('conv2d/')), (k) => k.calls), perConv,
          shares: sum(calls.kernels, (k) => k.share), totalMs: calls.totalMs },
        step: { timing: step.timing, names: step.kernels.map((k) => k.name), shares: sum(step.kernels, (k) => k.share), totalMs: step.totalMs, loss: step.result },
        // Profiling leaves nothing behind: no wrapper on the instance, no profiler in the scheduler.
        leftovers: Object.keys(be).filter((k) => k === 'conv2d' || k === 'matmul').length + (be.ctx.scheduler.profiler ? 1 : 0),
      };
      for (const t of [a, x, w, ys]) t.dispose();
      return out;
    }, timing);

    const expected = timing === 'default' ? (r.timestampQuery ? 'timestamp-query' : 'submitted-work-done') : timing;
    expect(r.calls.timing).toBe(expected);
    expect(r.step.timing).toBe(expected);
    // Every dispatch is counted once, under the kernel that recorded it.
    expect(r.calls.total).toBe(r.calls.dispatched);
    expect(r.calls.matmul).toBe(3);
    expect(r.calls.conv).toBe(2 * r.calls.perConv);
    expect(r.calls.names.some((n) => /^matmul\/gemm/.test(n))).toBe(true);
    expect(r.calls.shares).toBeCloseTo(1, 6);
    expect(Number.isFinite(r.calls.totalMs)).toBe(true);
    // A training step shows its convolution and the dense layer's GEMMs. With 3 input channels the conv and
    // its backward-filter run without a column matrix (conv2d.ts); with cin % 4 == 0 training keeps one.
    expect(r.step.names).toContain('conv2d/conv2dDirect');
    expect(r.step.names).toContain('conv2dBackwardFilter/conv2dBackwardFilterDirect');
    expect(r.step.names).not.toContain('conv2dColumns/im2col');
    expect(r.step.names.some((n) => /^matmul\/gemm/.test(n))).toBe(true);
    expect(r.step.names.some((n) => n.includes('/gemm'))).toBe(true);
    expect(r.step.shares).toBeCloseTo(1, 6);
    expect(Number.isFinite(r.step.totalMs)).toBe(true);
    expect(typeof r.step.loss).toBe('number');
    expect(r.leftovers).toBe(0);
  });
}
