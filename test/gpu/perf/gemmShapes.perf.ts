// GEMM timings on the standard model's conv shapes (batch 64): forward, backward-input (B^T), backward-filter (A^T).
//   WEBCNN_PERF=1 npx vitest run --project perf test/gpu/perf/gemmShapes.perf.ts
import { afterAll, beforeAll, it } from 'vitest';
import { GpuPage } from '../../harness/gpu.js';

let gp: GpuPage;
beforeAll(async () => { gp = await GpuPage.open(); });
afterAll(async () => { await gp?.close(); });

it('prints GEMM GFLOP/s on the conv layers of mnistStandard', async () => {
  const rows = await gp.run(async ({ wc, engine }) => {
    const be = engine.backend() as import('../../../src/backend/webgpu/index.js').WebGpuBackend;
    const out: string[] = [];
    // [name, m, n, k, transA, transB] as conv2d records them: pixels P = 64*oh*ow, K = kh*kw*cin.
    const shapes: [string, number, number, number, boolean, boolean][] = [
      ['conv2 forward  col[P,K].W[K,C]', 36864, 32, 288, false, false],
      ['conv2 dX       dY[P,C].W^T', 36864, 288, 32, false, true],
      ['conv2 dW       col^T.dY', 288, 32, 36864, true, false],
      ['conv3 forward', 6400, 64, 288, false, false],
      ['conv3 dX', 6400, 288, 64, false, true],
      ['conv3 dW', 288, 64, 6400, true, false],
    ];
    for (const [name, m, n, k, ta, tb] of shapes) {
      const a = wc.tensor(new Float32Array(m * k).fill(0.5), ta ? [k, m] : [m, k]);
      const b = wc.tensor(new Float32Array(k * n).fill(0.25), tb ? [n, k] : [k, n]);
      be.matmul(a, b, ta, tb).dispose();
      await be.sync();
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        be.matmul(a, b, ta, tb).dispose();
        await be.sync();
        best = Math.min(best, performance.now() - t0);
      }
      out.push(`${name.padEnd(34)} ${m}x${n}x${k}: ${best.toFixed(1)} ms, ${((2 * m * n * k) / best / 1e6).toFixed(2)} GFLOP/s`);
      a.dispose(); b.dispose();
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
});
