// Where the standard model's predict time goes at batch 64 on the untuned (heuristic) kernels the
// bench's inference cell runs, and predict with each conv algorithm pinned, interleaved round by round.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/predictStandard.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('profiles untuned predict of the standard model and each pinned conv algorithm', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    type Gpu = import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const be = engine.backend() as Gpu;
    const out: string[] = [];
    const model = wc.models.mnistStandard();
    const x = wc.tensor(new Float32Array(64 * 784).map((_, i) => (i % 13) / 13), [64, 28, 28, 1]);
    const once = async () => { const p = model.predict(x, { batchSize: 64 }) as typeof x; await p.data(); p.dispose(); };
    await once();
    const p = await wc.profile(once);
    out.push(`heuristic: kernels ${p.totalMs.toFixed(0)} ms, wall ${p.wallMs.toFixed(0)} ms`);
    for (const k of p.kernels) out.push(`  ${k.name.padEnd(50)} ${String(k.calls).padStart(3)} ${k.totalMs.toFixed(2).padStart(8)} ms ${(100 * k.share).toFixed(1).padStart(5)}%`);
    for (const c of wc.backendInfo().kernels) out.push(`  choice ${c.kernel} ${c.shape}: ${c.variant} (${c.source})`);
    // The heuristic with and without Winograd on offer, and each algorithm pinned where it applies.
    const variants = [
      ['heuristic', null, true], ['heuristic without Winograd', null, false], ['winograd F(2x2)', 'winograd', true], ['direct', 'direct', true],
    ] as const;
    const use = (i: number) => { be.pinConvAlgorithm(variants[i][1]); be.offerWinograd(variants[i][2]); };
    const ms: number[][] = variants.map(() => []);
    for (let i = 0; i < variants.length; i++) { use(i); await once(); }
    for (let r = 0; r < 5; r++) {
      for (let i = 0; i < variants.length; i++) {
        use(i);
        const t0 = performance.now();
        for (let k = 0; k < 3; k++) await once();
        ms[i].push((performance.now() - t0) / 3);
      }
    }
    variants.forEach((v, i) => {
      const s = [...ms[i]].sort((a, b) => a - b);
      out.push(`predict b64 ${v[0]}: best ${s[0].toFixed(0)} median ${s[s.length >> 1].toFixed(0)} ms = ${(64000 / s[s.length >> 1]).toFixed(0)} images/s`);
    });
    for (const i of [1]) {
      use(i);
      const q = await wc.profile(once);
      out.push(`${variants[i][0]}: kernels ${q.totalMs.toFixed(0)} ms, wall ${q.wallMs.toFixed(0)} ms`);
      for (const k of q.kernels) out.push(`  ${k.name.padEnd(50)} ${String(k.calls).padStart(3)} ${k.totalMs.toFixed(2).padStart(8)} ms ${(100 * k.share).toFixed(1).padStart(5)}%`);
    }
    be.pinConvAlgorithm(null);
    be.offerWinograd(true);
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 900_000);
