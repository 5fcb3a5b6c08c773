// Step time of mnistStandard at batch 64: trainOnBatch on one batch, on a new gathered batch each step, and fit over shuffled batches (with and without batch logs).
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/fitLoop.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times trainOnBatch and fit steps', async () => {
  const rows = await gp.run(async ({ wc }) => {
    const out: string[] = [];
    const model = wc.models.mnistStandard();
    model.compile({ optimizer: wc.optimizers.adam({ learningRate: 0.002 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const n = 64 * 4;
    const x = wc.tensor(new Float32Array(n * 784).map((_, i) => (i % 13) / 13), [n, 28, 28, 1]);
    const y = wc.tensor(new Float32Array(n * 10).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), [n, 10]);
    const xb = wc.ops.gatherRows(x, Int32Array.from({ length: 64 }, (_, i) => i));
    const yb = wc.ops.gatherRows(y, Int32Array.from({ length: 64 }, (_, i) => i));
    await model.fit(x, y, { batchSize: 64, epochs: 1 }); // warm-up + autotune
    for (let round = 0; round < 1; round++) {
      let t0 = performance.now();
      for (let i = 0; i < 4; i++) await model.trainOnBatch(xb, yb);
      out.push(`trainOnBatch: ${((performance.now() - t0) / 4).toFixed(0)} ms/step`);
      t0 = performance.now();
      for (let i = 0; i < 4; i++) {
        const idx = Int32Array.from({ length: 64 }, (_, j) => (j * 4 + i) % n);
        const xg = wc.ops.gatherRows(x, idx); const yg = wc.ops.gatherRows(y, idx);
        await model.trainOnBatch(xg, yg); xg.dispose(); yg.dispose();
      }
      out.push(`trainOnBatch, other rows each step: ${((performance.now() - t0) / 4).toFixed(0)} ms/step`);
      t0 = performance.now();
      for (let i = 0; i < 4; i++) await model.trainOnBatch(xb, yb);
      out.push(`trainOnBatch again: ${((performance.now() - t0) / 4).toFixed(0)} ms/step`);
      t0 = performance.now();
      await model.fit(x, y, { batchSize: 64, epochs: 1 });
      out.push(`fit, no callbacks: ${((performance.now() - t0) / 4).toFixed(0)} ms/step`);
      t0 = performance.now();
      const ends: number[] = [];
      await model.fit(x, y, { batchSize: 64, epochs: 1, callbacks: { onBatchEnd: async () => { ends.push(performance.now()); } } });
      out.push(`fit, onBatchEnd: ${((performance.now() - t0) / 4).toFixed(0)} ms/step; batch ends at ${ends.map((e) => (e - t0).toFixed(0)).join(', ')} ms`);
    }
    // Kernel time of each: the same kernels, or does fit run more?
    for (const [name, f] of [['trainOnBatch x4', async () => { for (let i = 0; i < 4; i++) await model.trainOnBatch(xb, yb); }], ['fit 4 batches', async () => { await model.fit(x, y, { batchSize: 64, epochs: 1 }); }]] as const) {
      const p = await wc.profile(f);
      out.push(`${name}: kernels ${p.totalMs.toFixed(0)} ms, wall ${p.wallMs.toFixed(0)} ms; ${p.kernels.slice(0, 6).map((k) => `${k.name} ${k.calls}x ${k.totalMs.toFixed(0)}`).join('; ')}`);
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 900_000);
