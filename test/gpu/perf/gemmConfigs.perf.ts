// A GEMM as the bench runs it (autotune off) with each workgroup shape the tuner offers, and
// text-patched versions of the heuristic one, interleaved in one page (timing noise on a shared
// machine is larger than most changes). Patches: WEBCNN_GEMM_PATCHES, a JSON list of variants,
// each a list of [find, replace] pairs applied to the assembled shader source. Shapes:
// WEBCNN_GEMM_SHAPES, a JSON list of [m, n, k, transA, transB] (default 1024³).
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/gemmConfigs.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';
let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });
it('times GEMMs with each workgroup shape and each patch', async () => {
  const patches = JSON.parse(process.env.WEBCNN_GEMM_PATCHES ?? '[]') as [string, string][][];
  const shapes = JSON.parse(process.env.WEBCNN_GEMM_SHAPES ?? '[[1024, 1024, 1024, false, false]]') as [number, number, number, boolean, boolean][];
  const rows = await gp.run(async ({ wc, engine }, { patches, shapes }) => {
    await wc.setBackend('webgpu', { autotune: false });
    type Gpu = import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    type Spec = import('../../../src/backend/webgpu/pipelines.js').PipelineSpec;
    const be = engine.backend() as Gpu;
    const ctx = be.ctx;
    const mm = await (new Function('u', 'return import(u)'))('/src/kernels/matmul/webgpu.ts') as typeof import('../../../src/kernels/matmul/webgpu.js');
    const out: string[] = [];
    const heuristic = (n: number) => { let w = 1; while (w < 8 && w * 4 < n) w *= 2; return `${w}x${64 / w}`; };
    for (const [m, n, k, transA, transB] of shapes) {
      const shape = { m, n, k, transA, transB };
      const specs: Record<string, Spec> = {};
      for (const s of mm.gemmCandidatePipelines(ctx, shape)) specs[`${s.constants!.WG_X}x${s.constants!.WG_Y}`] = s;
      const base = specs[heuristic(n)];
      patches.forEach((ps: [string, string][], i: number) => {
        let code = base.code;
        for (const [f, r] of ps) { if (!code.includes(f)) throw new Error('patch not found: ' + f); code = code.split(f).join(r); }
        specs[`patch${i}`] = { ...base, name: `gemmPatch${i}`, code };
      });
      await ctx.pipelines.prepare(Object.values(specs));
      const a = ctx.scratchFrom(new Float32Array(m * k).map((_, i) => ((i * 3) % 11) / 11 - 0.5), 'a');
      const b = ctx.scratchFrom(new Float32Array(k * n).map((_, i) => ((i * 7) % 11) / 11 - 0.5), 'b');
      const c = ctx.scratch(m * n + 4, 'c');
      const best: Record<string, number> = Object.fromEntries(Object.keys(specs).map((key) => [key, Infinity]));
      const runOnce = (spec: Spec) => ctx.run(spec, { m, n, k, kChunk: k, relu: 0 }, [a, a, b, b, ctx.scheduler.empty, c],
        [Math.ceil(n / (4 * Number(spec.constants!.WG_X))), Math.ceil(m / (8 * Number(spec.constants!.WG_Y))), 1]);
      for (const s of Object.values(specs)) { runOnce(s); await be.sync(); }
      const reps = Math.max(1, Math.round(2e8 / (m * n * k)));
      for (let round = 0; round < 5; round++) {
        for (const [name, s] of Object.entries(specs)) {
          const t0 = performance.now();
          for (let r = 0; r < reps; r++) runOnce(s);
          await be.sync();
          best[name] = Math.min(best[name], (performance.now() - t0) / reps);
        }
      }
      for (const [name, ms] of Object.entries(best)) out.push(`${m}x${n}x${k}${transA ? ' Aᵀ' : ''}${transB ? ' Bᵀ' : ''} ${name}: best ${ms.toFixed(2)} ms ${(2 * m * n * k / ms / 1e6).toFixed(2)} GFLOP/s`);
      for (const x of [a, b, c]) ctx.release(x);
    }
    return out;
  }, { patches, shapes });
  console.log(rows.join('\n'));
}, 900_000);
