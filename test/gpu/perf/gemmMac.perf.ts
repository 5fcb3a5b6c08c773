// gemm.wgsl's four-step multiply-add (mac4) three ways, interleaved in one page on the real
// kernel (the bench's 8x8 workgroup, shared loads where the adapter has them): as a
// matrix-vector product (the shader's), as a chain of fma, and as multiplies and adds.
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/gemmMac.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times gemm.wgsl at 1024^3 and 512^3 with each form of mac4', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    await wc.setBackend('webgpu', { autotune: false });
    type Gpu = import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const be = engine.backend() as Gpu;
    const ctx = be.ctx;
    const mm = await (new Function('u', 'return import(u)'))('/src/kernels/matmul/webgpu.ts') as typeof import('../../../src/kernels/matmul/webgpu.js');
    const out: string[] = [];
    for (const n of [1024, 512]) {
      const shape = { m: n, n, k: n, transA: false, transB: false };
      const base = mm.gemmCandidatePipelines(ctx, shape).find((s) => s.constants?.WG_X === 8)!;
      const matLine = 'return acc + mat4x4f(b0, b1, b2, b3) * a;';
      if (!base.code.includes(matLine)) throw new Error('gemm.wgsl: mac4 is no longer the matrix-vector product this probe patches');
      const specs = {
        mat: base,
        fma: { ...base, name: 'gemmFma', code: base.code.replace(matLine, 'return fma(vec4f(a.w), b3, fma(vec4f(a.z), b2, fma(vec4f(a.y), b1, fma(vec4f(a.x), b0, acc))));') },
        mul: { ...base, name: 'gemmMul', code: base.code.replace(matLine, 'return acc + a.x * b0 + a.y * b1 + a.z * b2 + a.w * b3;') },
      };
      await ctx.pipelines.prepare(Object.values(specs));
      const a = ctx.scratchFrom(new Float32Array(n * n).map((_, i) => ((i * 3) % 11) / 11 - 0.5), 'a');
      const b = ctx.scratchFrom(new Float32Array(n * n).map((_, i) => ((i * 7) % 11) / 11 - 0.5), 'b');
      const c = ctx.scratch(n * n, 'c');
      const best: Record<string, number> = Object.fromEntries(Object.keys(specs).map((k) => [k, Infinity]));
      const runOnce = (spec: typeof base) => ctx.run(spec, { m: n, n, k: n, kChunk: n, relu: 0 }, [a, a, b, b, ctx.scheduler.empty, c], [n / 32, n / 64, 1]);
      for (const s of Object.values(specs)) { runOnce(s); await be.sync(); }
      const reps = n === 1024 ? 2 : 8;
      for (let round = 0; round < 5; round++) {
        for (const [name, s] of Object.entries(specs)) {
          const t0 = performance.now();
          for (let r = 0; r < reps; r++) runOnce(s);
          await be.sync();
          best[name] = Math.min(best[name], (performance.now() - t0) / reps);
        }
      }
      for (const [name, ms] of Object.entries(best)) out.push(`${n}: ${name} best ${ms.toFixed(1)} ms ${(2 * n ** 3 / ms / 1e6).toFixed(2)} GFLOP/s`);
      for (const x of [a, b, c]) ctx.release(x);
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 900_000);
