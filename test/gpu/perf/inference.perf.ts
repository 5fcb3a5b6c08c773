// Where mnistStandard's inference time goes at batch 64: predict's wall time and wc.profile's kernels.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/inference.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('profiles predict of the standard model', async () => {
  const rows = await gp.run(async ({ wc }) => {
    const out: string[] = [];
    const model = wc.models.mnistStandard();
    const x = wc.tensor(new Float32Array(64 * 784).map((_, i) => (i % 13) / 13), [64, 28, 28, 1]);
    const once = async () => { const p = model.predict(x) as typeof x; await p.data(); p.dispose(); };
    await once();
    await (x.backend as { autotune?: () => Promise<void> }).autotune?.();
    await once();
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await once();
    out.push(`predict b64: ${((performance.now() - t0) / 3).toFixed(0)} ms/batch`);
    const p = await wc.profile(once);
    out.push(`kernels ${p.totalMs.toFixed(0)} ms, wall ${p.wallMs.toFixed(0)} ms`);
    for (const k of p.kernels) out.push(`  ${k.name} ${k.calls}x ${k.totalMs.toFixed(1)} ms`);
    for (const c of wc.backendInfo().kernels) out.push(`  choice ${c.kernel} ${c.shape}: ${c.variant} (${c.source}, ${c.ms} ms)`);
    // each layer alone, each algorithm
    const xb = wc.tensor(new Float32Array(32 * 784).map((_, i) => (i % 13) / 13), [32, 28, 28, 1]);
    let h = xb;
    for (const layer of model.layers) {
      if (layer.className === 'Conv2D') {
        for (const algo of ['im2col', 'direct'] as const) {
          (x.backend as unknown as { pinConvAlgorithm(a: string | null): void }).pinConvAlgorithm(algo);
          const run = async () => { const y = layer.apply(h) as typeof x; await y.data(); y.dispose(); };
          await run();
          const q = await wc.profile(run);
          out.push(`${layer.name} in ${h.shape} ${algo}: ${q.totalMs.toFixed(1)} ms: ${q.kernels.map((k) => `${k.name} ${k.totalMs.toFixed(1)}`).join(', ')}`);
        }
        (x.backend as unknown as { pinConvAlgorithm(a: string | null): void }).pinConvAlgorithm(null);
      }
      h = layer.apply(h) as typeof x;
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 600_000);
