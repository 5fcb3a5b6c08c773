// The share of a training step that each kernel takes (every kernel, not the
// top few), for both demo models with the bench's optimizers (light: SGD,
// standard: Adam), and the step time of fit without callbacks against
// trainOnBatch (which reads its loss back every step).
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/stepShares.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('profiles every kernel of one training step of each demo model', async () => {
  const rows = await gp.run(async ({ wc }) => {
    const out: string[] = [];
    for (const name of ['mnistLight', 'mnistStandard'] as const) {
      const model = wc.models[name]();
      const optimizer = name === 'mnistLight' ? wc.optimizers.sgd({ learningRate: 0.01 }) : wc.optimizers.adam({ learningRate: 0.001 });
      model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const n = 64 * 4;
      const x = wc.tensor(new Float32Array(n * 784).map((_, i) => (i % 13) / 13), [n, 28, 28, 1]);
      const y = wc.tensor(new Float32Array(n * 10).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), [n, 10]);
      const xb = wc.ops.gatherRows(x, Int32Array.from({ length: 64 }, (_, i) => i));
      const yb = wc.ops.gatherRows(y, Int32Array.from({ length: 64 }, (_, i) => i));
      await model.fit(x, y, { batchSize: 64, epochs: 1 }); // warm-up + autotune
      let t0 = performance.now();
      for (let i = 0; i < 4; i++) await model.trainOnBatch(xb, yb);
      out.push(`${name}: trainOnBatch ${((performance.now() - t0) / 4).toFixed(1)} ms/step`);
      t0 = performance.now();
      await model.fit(x, y, { batchSize: 64, epochs: 1, shuffle: false });
      out.push(`${name}: fit without callbacks ${((performance.now() - t0) / 4).toFixed(1)} ms/step`);
      const p = await wc.profile(() => model.trainOnBatch(xb, yb));
      out.push(`${name}: ${p.timing}, kernels ${p.totalMs.toFixed(1)} ms, wall ${p.wallMs.toFixed(1)} ms`);
      for (const k of p.kernels) out.push(`  ${k.name.padEnd(50)} ${String(k.calls).padStart(3)} ${k.totalMs.toFixed(2).padStart(9)} ms ${(100 * k.share).toFixed(1).padStart(5)}%`);
      for (const t of [x, y, xb, yb]) t.dispose();
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 900_000);
