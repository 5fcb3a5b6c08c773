// Where the time to the first trained step goes: the backend (device, pipelines) and the first step itself.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/firstStep.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times a fresh backend and the first step of each demo model', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    const out: string[] = [];
    for (const name of ['mnistLight', 'mnistStandard'] as const) {
      // A new device each time (the page's backend would be reused otherwise); Chrome may still cache shaders.
      engine.forgetBackend(engine.backend());
      const t0 = performance.now();
      await wc.setBackend('webgpu');
      const t1 = performance.now();
      const model = wc.models[name]();
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const x = wc.tensor(new Float32Array(64 * 784).map((_, i) => (i % 13) / 13), [64, 28, 28, 1]);
      const y = wc.tensor(new Float32Array(640).map((_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)), [64, 10]);
      await model.trainOnBatch(x, y);
      const t2 = performance.now();
      const later: number[] = [];
      for (let i = 0; i < 4; i++) {
        const s0 = performance.now();
        await model.trainOnBatch(x, y);
        later.push(performance.now() - s0);
      }
      const stats = (engine.backend() as unknown as { stats?: () => { pipelines: number; pipelinesCreatedSync: number } }).stats?.();
      out.push(`${name}: backend ${(t1 - t0).toFixed(0)} ms, first step ${(t2 - t1).toFixed(0)} ms, later steps ${later.map((v) => v.toFixed(0)).join(', ')} ms; pipelines ${stats?.pipelines} (sync ${stats?.pipelinesCreatedSync})`);
      x.dispose(); y.dispose(); model.dispose();
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
});
