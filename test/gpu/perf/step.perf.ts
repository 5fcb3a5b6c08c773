// Where one training step of the demo models spends its time (wc.profile), after warm-up and autotuning.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/step.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('profiles one training step of each demo model', async () => {
  const rows = await gp.run(async ({ wc }) => {
    const out: string[] = [];
    for (const name of ['mnistLight', 'mnistStandard'] as const) {
      const model = wc.models[name]();
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const x = wc.tensor(new Float32Array(64 * 784).map((_, i) => (i % 13) / 13), [64, 28, 28, 1]);
      const y = wc.tensor(new Float32Array(640).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), [64, 10]);
      await model.fit(x, y, { batchSize: 64, epochs: 1 }); // warm-up + autotune
      let t0 = performance.now();
      for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
      out.push(`${name}: ${((performance.now() - t0) / 3).toFixed(0)} ms/step unprofiled`);
      t0 = performance.now();
      const p = await wc.profile(() => model.trainOnBatch(x, y));
      out.push(`${name}: ${p.timing}, kernels ${p.totalMs.toFixed(0)} ms, wall ${p.wallMs.toFixed(0)} ms`);
      for (const k of p.kernels.slice(0, 12)) out.push(`  ${k.name.padEnd(40)} ${String(k.calls).padStart(3)} ${k.totalMs.toFixed(1).padStart(8)} ms ${(100 * k.share).toFixed(1).padStart(5)}%`);
      x.dispose(); y.dispose(); model.dispose?.();
    }
    out.push(...wc.backendInfo().kernels.map((c) => `${c.shape} -> ${c.variant} ${c.ms.toFixed(1)} ms`));
    return out;
  }, null);
  console.log(rows.join('\n'));
});
