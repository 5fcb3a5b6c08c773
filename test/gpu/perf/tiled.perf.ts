// The workgroup-memory tiled GEMM (gemmTiled.wgsl) against today's
// register-blocked GEMM (gemm.wgsl, the default 8x8 workgroup, subgroup-shared
// loads where the adapter has them) on square products, and the tiled
// implicit-GEMM conv against the tuner's other algorithms on the standard
// model's conv2 (forward, dx, dW). Interleaved round by round; best and median.
// GFLOP/s = 2 m n k / time (a conv: 2 * pixels * kh * kw * cin * cout).
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/tiled.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('times the tiled GEMM and conv against today\'s kernels', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    type Gpu = import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    engine.forgetBackend(engine.backend());
    await wc.setBackend('webgpu', { autotune: false });
    const be = engine.backend() as Gpu;
    const out: string[] = [`adapter ${wc.backendInfo().adapter?.vendor}/${wc.backendInfo().adapter?.architecture}`];
    const once = async (f: () => { dispose(): void }) => {
      const t0 = performance.now(); f().dispose(); await be.sync(); return performance.now() - t0;
    };
    const line = (name: string, ms: number[], flops: number) => {
      const s = [...ms].sort((a, b) => a - b);
      const best = s[0], median = s[s.length >> 1];
      return `${name.padEnd(40)} best ${best.toFixed(1)} ms (${(flops / best / 1e6).toFixed(2)} GFLOP/s), median ${median.toFixed(1)} ms (${(flops / median / 1e6).toFixed(2)} GFLOP/s)`;
    };
    for (const [size, rounds] of [[256, 7], [1024, 4]] as const) {
      const a = wc.tensor(Float32Array.from({ length: size * size }, (_, i) => ((i * 7) % 13) / 13 - 0.5), [size, size]);
      const b = wc.tensor(Float32Array.from({ length: size * size }, (_, i) => ((i * 5) % 11) / 11 - 0.5), [size, size]);
      const ms: Record<string, number[]> = { 'gemm.wgsl 8x8': [], 'gemmTiled.wgsl 64x64': [] };
      for (let r = 0; r <= rounds; r++) {
        for (const kernel of Object.keys(ms)) {
          await be.pinGemmWorkgroup(kernel.startsWith('gemmTiled') ? 'tiled' : 8);
          const t = await once(() => wc.ops.matmul(a, b, false, false));
          if (r > 0) ms[kernel].push(t);  // round 0 compiles
        }
      }
      for (const [kernel, t] of Object.entries(ms)) out.push(line(`${size}^3 ${kernel}`, t, 2 * size ** 3));
      a.dispose(); b.dispose();
    }
    await be.pinGemmWorkgroup(null);
    // conv2 of the standard model at batch 16: x [16,26,26,32], w [3,3,32,32], 'valid'.
    const xs = [16, 26, 26, 32], ws = [3, 3, 32, 32], ys = [16, 24, 24, 32];
    const p = { strides: [1, 1], padding: 'valid', dilations: [1, 1] } as const;
    const fill = (shape: number[], s: number) => wc.tensor(Float32Array.from({ length: shape.reduce((q, d) => q * d, 1) }, (_, i) => ((i * s) % 17) / 17 - 0.5), shape);
    const [x, w, dy] = [fill(xs, 3), fill(ws, 5), fill(ys, 7)];
    const flops = 2 * 16 * 24 * 24 * 9 * 32 * 32;
    const passes = {
      forward: () => wc.ops.conv2d(x, w, null, p),
      dx: () => wc.ops.conv2dBackwardInput(dy, w, xs, p),
      dW: () => wc.ops.conv2dBackwardFilter(x, dy, ws, p),
    };
    for (const [pass, f] of Object.entries(passes)) {
      const ms: Record<string, number[]> = { 'today (unmeasured choice)': [], tiled: [] };
      for (let r = 0; r <= 4; r++) {
        for (const algo of Object.keys(ms)) {
          be.pinConvAlgorithm(algo === 'tiled' ? 'tiled' : null);
          const t = await once(f);
          if (r > 0) ms[algo].push(t);
        }
      }
      for (const [algo, t] of Object.entries(ms)) out.push(line(`conv2 ${pass} ${algo}`, t, flops));
    }
    be.pinConvAlgorithm(null);
    for (const t of [x, w, dy]) t.dispose();
    return out;
  }, null);
  console.log(rows.join('\n'));
}, 600_000);
