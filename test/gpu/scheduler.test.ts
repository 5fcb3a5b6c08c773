// The scheduler on a kernel's first use: the commands before a dispatch whose
// pipeline is still compiling are submitted without waiting for it, so the GPU
// works while the compiler does (a model's first step).

import { afterAll, beforeAll, expect, it } from 'vitest';
import { GpuPage } from '../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

type Gpu = import('../../src/backend/webgpu/index.js').WebGpuBackend;

it('a list waiting for a pipeline submits what is ready before it first, and computes the same values', async () => {
  const r = await gp.run(async ({ wc, engine }) => {
    // A fresh backend: a pipeline cache of its own, so exp's pipeline is not built yet.
    await wc.setBackend('webgpu', { autotune: false });
    try {
      const be = engine.backend() as Gpu;
      const x = wc.tensor([0.5, -1, 2, 0.25], [4]);
      const warm = wc.add(x, x);
      await warm.data();
      warm.dispose();
      // add (built) then exp (compiling) in one list, read back.
      const run = async () => {
        const s0 = be.stats().submits;
        const sum = wc.add(x, x);
        const e = wc.exp(sum);
        const values = Array.from(await e.data());
        for (const t of [sum, e]) t.dispose();
        return { submits: be.stats().submits - s0, values };
      };
      const first = await run();
      const again = await run();
      x.dispose();
      return { first, again };
    } finally {
      // Later files in this page get a backend of their own.
      engine.forgetBackend(engine.backend());
      await wc.setBackend('webgpu');
    }
  }, null);
  // The first time add goes alone, then exp with the copy for the read; once exp is built, one submit.
  expect(r.first.submits - r.again.submits).toBe(1);
  expect(r.first.values).toEqual(r.again.values);
  [1, -2, 4, 0.5].forEach((v, i) => expect(r.first.values[i]).toBeCloseTo(Math.exp(v), 4));
});
