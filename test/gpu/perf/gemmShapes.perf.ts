// GEMM timings on square shapes and the standard model's conv shapes (batch 64): forward, backward-input (B^T),
// backward-filter (A^T), with the lanes sharing loads and without.
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
      ['square 512', 512, 512, 512, false, false],
      ['square 1024', 1024, 1024, 1024, false, false],
      ['conv2 forward  col[P,K].W[K,C]', 36864, 32, 288, false, false],
      ['conv2 dX       dY[P,C].W^T', 36864, 288, 32, false, true],
      ['conv2 dW       col^T.dY', 288, 32, 36864, true, false],
      ['conv3 forward', 6400, 64, 288, false, false],
      ['conv3 dX', 6400, 288, 64, false, true],
      ['conv3 dW', 288, 64, 6400, true, false],
    ];
    for (const shared of [true, false]) {
    be.useSharedLoads(shared);
    out.push(shared ? 'lanes share loads of A (subgroups):' : 'every lane loads its own:');
    for (const [name, m, n, k, ta, tb] of shapes) {
      const a = wc.tensor(new Float32Array(m * k).fill(0.5), ta ? [k, m] : [m, k]);
      const b = wc.tensor(new Float32Array(k * n).fill(0.25), tb ? [n, k] : [k, n]);
      wc.ops.matmul(a, b, ta, tb).dispose();
      await be.sync();
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        wc.ops.matmul(a, b, ta, tb).dispose();
        await be.sync();
        best = Math.min(best, performance.now() - t0);
      }
      out.push(`${name.padEnd(34)} ${m}x${n}x${k}: ${best.toFixed(1)} ms, ${((2 * m * n * k) / best / 1e6).toFixed(2)} GFLOP/s`);
      a.dispose(); b.dispose();
    }
    }
    be.useSharedLoads(true);
    // The same layers' forward as im2col + GEMM and as the implicit GEMM (conv2dDirect), interleaved.
    const convs: [string, number[], number[]][] = [['conv2', [64, 26, 26, 32], [3, 3, 32, 32]], ['conv3', [64, 12, 12, 32], [3, 3, 32, 64]]];
    for (const [name, xs, ws] of convs) {
      const size = (v: number[]) => v.reduce((a, b) => a * b, 1);
      const x = wc.tensor(new Float32Array(size(xs)).fill(0.1), xs);
      const w = wc.tensor(new Float32Array(size(ws)).fill(0.1), ws);
      const flops = 2 * xs[0] * (xs[1] - 2) * (xs[2] - 2) * size(ws);
      const best: Record<string, number> = { im2col: Infinity, direct: Infinity };
      for (let i = 0; i < 4; i++) {
        for (const algo of ['im2col', 'direct'] as const) {
          be.pinConvAlgorithm(algo);
          wc.ops.conv2d(x, w, null, { strides: [1, 1], padding: 'valid', dilations: [1, 1] }).dispose();
          const t0 = performance.now();
          await be.sync();
          if (i > 0) best[algo] = Math.min(best[algo], performance.now() - t0);
        }
      }
      be.pinConvAlgorithm(null);
      // The backward passes (dX: GEMM + col2im; dW: im2col + GEMM).
      const dy = wc.tensor(new Float32Array(xs[0] * (xs[1] - 2) * (xs[2] - 2) * ws[3]).fill(0.1), [xs[0], xs[1] - 2, xs[2] - 2, ws[3]]);
      const p = { strides: [1, 1], padding: 'valid', dilations: [1, 1] } as const;
      for (const [pass, f] of [['dX', () => wc.ops.conv2dBackwardInput(dy, w, xs, p)], ['dW', () => wc.ops.conv2dBackwardFilter(x, dy, ws, p)]] as const) {
        let bestMs = Infinity;
        for (let i = 0; i < 3; i++) {
          f().dispose();
          const t0 = performance.now();
          await be.sync();
          if (i > 0) bestMs = Math.min(bestMs, performance.now() - t0);
        }
        out.push(`${name} ${pass} (with col2im / im2col): ${bestMs.toFixed(1)} ms`);
      }
      dy.dispose();
      for (const algo of ['im2col', 'direct']) out.push(`${name} forward ${algo.padEnd(6)} ${xs.join('x')} * ${ws.join('x')}: ${best[algo].toFixed(1)} ms, ${(flops / best[algo] / 1e6).toFixed(2)} GFLOP/s`);
      x.dispose(); w.dispose();
    }
    return out;
  }, null);
  console.log(rows.join('\n'));
});
