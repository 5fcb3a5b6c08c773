// The 1024³ GEMM as the bench runs it (autotune off) with each workgroup shape the tuner offers, and
// text-patched versions of the 8x8 one, interleaved in one page (timing noise on a shared machine
// is larger than most changes). Patches: WEBCNN_GEMM_PATCHES, a JSON list of variants, each a list
// of [find, replace] pairs applied to the assembled shader source.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/gemmConfigs.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';
let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });
it('times the 1024^3 GEMM with each workgroup shape and each patch', async () => {
  const patches = JSON.parse(process.env.WEBCNN_GEMM_PATCHES ?? '[]') as [string, string][][];
  const rows = await gp.run(async ({ wc, engine }, patches) => {
    await wc.setBackend('webgpu', { autotune: false });
    type Gpu = import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    type Spec = import('../../../src/backend/webgpu/pipelines.js').PipelineSpec;
    const be = engine.backend() as Gpu;
    const ctx = be.ctx;
    const mm = await (new Function('u', 'return import(u)'))('/src/kernels/matmul/webgpu.ts') as typeof import('../../../src/kernels/matmul/webgpu.js');
    const out: string[] = [];
    const n = 1024;
    const shape = { m: n, n, k: n, transA: false, transB: false };
    const specs: Record<string, Spec> = {};
    for (const s of mm.gemmCandidatePipelines(ctx, shape)) specs[`${s.constants!.WG_X}x${s.constants!.WG_Y}`] = s;
    const base = specs['8x8'];
    patches.forEach((ps: [string, string][], i: number) => {
      let code = base.code;
      for (const [f, r] of ps) { if (!code.includes(f)) throw new Error('patch not found: ' + f); code = code.split(f).join(r); }
      specs[`patch${i}`] = { ...base, name: `gemmPatch${i}`, code };
    });
    await ctx.pipelines.prepare(Object.values(specs));
    const a = ctx.scratchFrom(new Float32Array(n * n).map((_, i) => ((i * 3) % 11) / 11 - 0.5), 'a');
    const b = ctx.scratchFrom(new Float32Array(n * n).map((_, i) => ((i * 7) % 11) / 11 - 0.5), 'b');
    const c = ctx.scratch(n * n, 'c');
    const best: Record<string, number> = Object.fromEntries(Object.keys(specs).map((k) => [k, Infinity]));
    const runOnce = (spec: Spec) => ctx.run(spec, { m: n, n, k: n, kChunk: n, relu: 0 }, [a, a, b, b, ctx.scheduler.empty, c], [n / (4 * Number(spec.constants!.WG_X)), n / (8 * Number(spec.constants!.WG_Y)), 1]);
    for (const s of Object.values(specs)) { runOnce(s); await be.sync(); }
    for (let round = 0; round < 4; round++) {
      for (const [name, s] of Object.entries(specs)) {
        const t0 = performance.now();
        for (let r = 0; r < 2; r++) runOnce(s);
        await be.sync();
        best[name] = Math.min(best[name], (performance.now() - t0) / 2);
      }
    }
    for (const [name, ms] of Object.entries(best)) out.push(`${name} best ${ms.toFixed(1)} ms ${(2 * n ** 3 / ms / 1e6).toFixed(2)} GFLOP/s`);
    return out;
  }, patches);
  console.log(rows.join('\n'));
}, 900_000);
