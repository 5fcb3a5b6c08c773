// Verification mode: every kernel also runs on the CPU reference, and the
// first disagreement is thrown at the next sync point, naming the kernel,
// shapes, worst element and both values.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open({ verify: true }); });
afterAll(async () => { await gp?.close(); });

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

describe('webgpu verification mode', () => {
  it('checks correct kernels silently', async () => {
    const checked = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as Gpu;
      const before = be.verifier?.checked ?? -1;
      const x = wc.tensor([-2, -0.5, 0, 0.5, 2, 3], [2, 3]);
      const y = wc.ops.softmax(x);
      const ys = [wc.ops.activation(x, 'elu', 1), y, wc.ops.activation(x, 'tanh', 0), wc.ops.softmaxBackward(x, y),
        wc.ops.add(x, x), wc.ops.scale(x, 3), wc.ops.matmul(x, x, true, false), wc.ops.biasAddBackward(x)];
      for (const y of ys) await y.data();
      for (const t of [x, ...ys]) t.dispose();
      return (be.verifier?.checked ?? -1) - before;
    }, null);
    expect(checked).toBe(8);
  });

  // Each conv and its two backwards, as 3 checked kernels: a 3-channel, 5-filter 'same' conv at stride 2 x 1
  // (the column path); one channel, 3x3, stride 1 (the row sweeps); 3 channels at stride 2 (the tap table).
  const convCases: [string, number[], number[], [number, number]][] = [
    ['convolutions and their backwards (null bias, shape and params arguments)', [3, 7, 9, 3], [3, 3, 3, 5], [2, 1]],
    ['the few-channel row sweeps and their backwards', [2, 9, 8, 1], [3, 3, 1, 32], [1, 1]],
    ['the few-channel tap table and its backwards', [2, 9, 8, 3], [3, 3, 3, 8], [2, 2]],
  ];
  for (const [name, xs, ws, strides] of convCases) {
    it(`checks ${name}`, async () => {
      const checked = await gp.run(async ({ wc, engine }, v) => {
        const be = engine.backend() as Gpu;
        const before = be.verifier?.checked ?? -1;
        const p = { strides: v.strides, padding: 'same', dilations: [1, 1] } as const;
        const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
        const x = wc.tensor(Float32Array.from({ length: size(v.xs) }, (_, i) => Math.sin(i)), v.xs);
        const w = wc.tensor(Float32Array.from({ length: size(v.ws) }, (_, i) => Math.cos(i)), v.ws);
        const y = wc.ops.conv2d(x, w, null, p);
        const dx = wc.ops.conv2dBackwardInput(y, w, x.shape, p);
        const dw = wc.ops.conv2dBackwardFilter(x, y, w.shape, p);
        await be.sync();
        for (const t of [x, w, y, dx, dw]) t.dispose();
        return (be.verifier?.checked ?? -1) - before;
      }, { xs, ws, strides });
      expect(checked).toBe(3);
    });
  }

  it('throws on a wrong kernel result, naming the kernel, shapes, element and both values', async () => {
    const message = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as Gpu;
      if (!be.verifier) return 'no verifier';
      const x = wc.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      // Test hook: element 0 of the next activation's output is overwritten with 12345.
      be.verifier.corruptNext = 'activation';
      const y = wc.ops.activation(x, 'relu', 0);
      try {
        await y.data();
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      } finally {
        x.dispose(); y.dispose();
      }
    }, null);
    expect(message).toMatch(/activation\(\[2, 3\], "relu", 0\)/);
    expect(message).toMatch(/element 0 is 12345 on the GPU, 1 on the CPU/);
    expect(message).toMatch(/tolerance/);
  });

  it('checks long runs without a sync point in the background, and reports at the next one', async () => {
    const r = await gp.run(async ({ wc, engine }) => {
      const be = engine.backend() as Gpu;
      if (!be.verifier) return { message: 'no verifier', checkedBeforeSync: 0 };
      const before = be.verifier.checked;
      let x = wc.tensor([1, 2, 3], [3]);
      // 600 kernels with no read; one of them is corrupted.
      for (let i = 0; i < 600; i++) {
        if (i === 100) be.verifier.corruptNext = 'scale';
        const y = wc.ops.scale(x, 1);
        x.dispose();
        x = y;
      }
      // Give the background check time to run (polled: the machine may be slow).
      for (let t = 0; t < 200 && be.verifier.checked === before; t++) await new Promise((resolve) => setTimeout(resolve, 50));
      const checkedBeforeSync = be.verifier.checked - before;
      let message = 'no error';
      try {
        await x.data();
      } catch (err) {
        message = (err as Error).message;
      }
      x.dispose();
      return { message, checkedBeforeSync };
    }, null);
    expect(r.message).toMatch(/scale\(\[3\], 1\) disagrees/);
    expect(r.checkedBeforeSync).toBeGreaterThan(0);
  });

  it('keeps working after a reported failure', async () => {
    const values = await gp.run(async ({ wc, engine }) => {
      const x = wc.tensor([1, -1], [2]);
      const y = wc.ops.activation(x, 'relu', 0);
      const v = Array.from(await y.data());
      x.dispose(); y.dispose();
      return v;
    }, null);
    expect(values).toEqual([1, 0]);
  });
});
